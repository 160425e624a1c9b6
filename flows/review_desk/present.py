"""The book view as plain data: what the page's template draws and `/api/segments` returns."""

from __future__ import annotations

from pathlib import Path

from tasks.core import seconds_clock

from .book import ChapterView, DeskBook, SegmentView, TakeView
from .words import measures, verdict, what_is_wrong


def voice_label(voice: str) -> str:
    return Path(voice).name if voice.endswith(".npz") else voice


def take_data(segment: SegmentView, take: TakeView) -> dict:
    return {"seed": take.seed, "kept": take.kept, "chosen": take.seed == segment.decision.keep_seed,
            "passed": take.check is not None and take.check.passed, "verdict": verdict(take.check),
            "measures": measures(take.check) if take.check else "", "url": f"/audio/take/{segment.id}/{take.seed}.wav"}


def segment_data(segment: SegmentView) -> dict:
    kept = segment.rendered.kept if segment.rendered else None
    return {
        "id": segment.id, "chapter": segment.chapter.slug, "chapter_title": segment.chapter.title,
        "position": segment.position, "text": segment.plan.text, "spoken": segment.plan.spoken,
        "written_spoken": segment.written_spoken, "own_words": segment.decision.spoken is not None,
        "speaker": segment.speaker, "voice": voice_label(segment.plan.voice),
        "rendered": segment.rendered is not None, "flagged": segment.flagged, "approved": segment.approved,
        "failing": bool(segment.problems), "verdict": segment.verdict,
        "problems": what_is_wrong(kept) if kept else [], "kinds": segment.kinds,
        "measures": measures(kept) if kept else "", "kept_seed": segment.kept.seed if segment.kept else None,
        "chosen_seed": segment.decision.keep_seed, "takes": [take_data(segment, t) for t in segment.takes],
        "takes_per_round": segment.plan.takes or segment.chapter.settings.takes,
        "start": seconds_clock(segment.span.start_s) if segment.span else None,
        "context_url": f"/audio/context/{segment.id}.wav" if segment.context else None,
        "context": list(segment.context) if segment.context else None,
    }


FILE_LABELS = {"report": "QC table", "loudness-plot": "loudness plot"}


def chapter_data(chapter: ChapterView, output_dir: Path) -> dict:
    """The chapter, its segments, and links to its QC table and loudness plot (served from the output folder)."""
    files = chapter.result.delivered if chapter.result else []
    links = [{"label": FILE_LABELS.get(f.kind, f.kind), "url": "/out/" + Path(f.path).relative_to(output_dir).as_posix()}
             for f in files if Path(f.path).is_relative_to(output_dir)]
    return {"slug": chapter.plan.slug, "title": chapter.plan.title, "flagged": chapter.flagged, "links": links,
            "mastered": chapter.result is not None, "segments": [segment_data(s) for s in chapter.segments]}


def book_data(book: DeskBook) -> dict:
    chapters = [chapter_data(c, Path(book.request.output_dir)) for c in book.chapters]
    segments = [s for c in chapters for s in c["segments"]]
    return {
        "title": book.title, "chapters": chapters,
        "flagged": sum(s["flagged"] for s in segments), "approved": sum(s["approved"] for s in segments),
        "segments": len(segments), "due": sum(not s["rendered"] for s in segments)
        + sum(not c["mastered"] for c in chapters),
        "kinds": sorted({k for s in segments for k in s["kinds"]}),
        "speakers": sorted({s["speaker"] for s in segments}),
    }
