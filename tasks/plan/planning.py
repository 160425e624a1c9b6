"""Plan: everything a render needs decided up front — voices, model fingerprint, params — and checked.

The plan is plain, validated data (tasks/plan/models.py), so chapter flows and segment tasks receive only
texts, names and hashes; a bad voice or model fails here, before any audio is generated.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from prefect import task

from bark_model import resolve_model
from bark_model.engine import engine_fingerprint
from tasks.core import slugify
from tasks.manuscript import Book, given_isbn
from tasks.qc import speech_qc_library
from tasks.text import NARRATOR, SegmentationSettings, load_lexicon, segment_book

from .credits import CLOSING, OPENING, CreditWording, credit_texts, credits_book
from .decisions import ReviewDecisions, SegmentDecision
from .models import BookPlan, ChapterPlan, Packaging, RenderSettings, SegmentPlan
from .voices import voice_digests


def plan_chapters(
    book: Book, segments: pd.DataFrame, voices: dict[str, str], digests: dict[str, str], settings: RenderSettings,
    seed_offsets: dict[str, int] | None = None, decisions: ReviewDecisions | None = None,
) -> list[ChapterPlan]:
    """The segment table's chapters as plans: each segment with its voice (by speaker), the voice's digest,
    its seed offset and a person's decisions (`decided`); chapters numbered from 1."""
    tags = {"album": book.title, "artist": book.author}
    book_chapters = segments["chapter_index"].nunique()
    chapters = []
    for index, rows in segments.groupby("chapter_index", sort=True):
        segments = [
            decided(SegmentPlan(
                id=row.id,
                text=row.text,
                spoken=row.spoken,
                paragraph=row.paragraph_index,
                seconds=row.seconds,
                pause_after=row.pause_after,
                voice=voices.get(row.speaker, voices[NARRATOR]),
                voice_digest=digests[voices.get(row.speaker, voices[NARRATOR])],
                seed_offset=(seed_offsets or {}).get(row.id, 0),
            ), (decisions or ReviewDecisions()).of(row.id))
            for row in rows.sort_values("segment_index").itertuples()
        ]
        title = rows.iloc[0].chapter_title
        chapters.append(
            ChapterPlan(
                index=int(index) + 1,
                title=title,
                slug=f"{int(index) + 1:02d}-{slugify(title)}",
                segments=segments,
                settings=settings,
                tags=tags | {"title": title, "track": str(int(index) + 1)},
                book_chapters=book_chapters,
            )
        )
    return chapters


def decided(segment: SegmentPlan, decision: SegmentDecision) -> SegmentPlan:
    """The segment as a person decided (OUT/review.json): the spoken text they wrote (its length estimated
    again: the duration checks judge by it), the take they chose to keep and the takes a round it gets."""
    if decision.spoken is not None:
        segment = segment.model_copy(update={"spoken": decision.spoken,
                                             "seconds": round(SegmentationSettings().seconds(decision.spoken), 3)})
    return segment.model_copy(update={"keep_seed": decision.keep_seed, "takes": decision.takes})


def pin_model(render: RenderSettings) -> RenderSettings:
    """`render` with the model's files pinned (`model_fingerprint`), failing fast on an unknown model and on a
    speech checker that cannot load: one line now, not at the first segment."""
    fingerprint = engine_fingerprint(resolve_model(render.model), render.device, render.dtype, render.compile)
    if render.qc_mode == "speech":
        speech_qc_library()
    return render.model_copy(update={"model_fingerprint": fingerprint})


@task(name="plan")
def plan_book(book: Book, segments: pd.DataFrame, settings: RenderSettings, voices: dict[str, str],
              packaging: Packaging, seed_offsets: dict[str, int] | None = None,
              credits: CreditWording | None = CreditWording(), decisions: ReviewDecisions | None = None) -> BookPlan:
    """Every chapter laid out for rendering, with the credits (`credits` None: none) first and last:
    segments voiced by speaker (`voices`: speaker -> preset or .npz, none left to generate), each voice
    pinned by its digest, `settings` (pinned by `pin_model`) on every chapter. `seed_offsets`: segment id ->
    where its seeds start (retakes); `decisions`: what a person decided per segment (OUT/review.json)."""
    digests = voice_digests(set(voices.values()))
    chapters = plan_chapters(book, segments, voices, digests, settings, seed_offsets, decisions)
    if credits is not None:
        chapters = plan_credits(book, credits, chapters, voices, digests, settings, seed_offsets, decisions)
    return BookPlan(
        title=book.title,
        author=book.author,
        narrator=ai_voice_label(settings.model, voices[NARRATOR]),
        cover=packaging.cover,
        chapters=chapters,
        formats=packaging.formats,
        target=packaging.target,
        isbn=given_isbn(packaging.isbn) if packaging.isbn else book.isbn,
        language=book.language,
        sample_minutes=packaging.sample_minutes,
    )


def ai_voice_label(model: str, voice: str) -> str:
    """The narrator credit of synthetic narration, as the Audio Publishers Association words it ("AI Voice"),
    naming the model and the narrator's voice: "AI Voice (Bark small, v2/en_speaker_6)"."""
    name = Path(voice).name if voice.endswith(".npz") else voice
    return f"AI Voice (Bark {Path(model).name}, {name})"


def plan_credits(book: Book, wording: CreditWording, chapters: list[ChapterPlan], voices: dict[str, str],
                 digests: dict[str, str], settings: RenderSettings, seed_offsets: dict[str, int] | None,
                 decisions: ReviewDecisions | None = None) -> list[ChapterPlan]:
    """The chapters with the opening credits before them (index 0) and the closing credits after them,
    segmented (with the book's pronunciations) and voiced like any chapter, in the narrator's voice."""
    credit_segments = segment_book(credits_book(book, credit_texts(book, wording)), lexicon=load_lexicon(book))
    opening, closing = plan_chapters(book, credit_segments, voices, digests, settings, seed_offsets, decisions)
    last = len(chapters) + 1

    def placed(credit: ChapterPlan, index: int, kind: str) -> ChapterPlan:
        return credit.model_copy(update={"index": index, "slug": f"{index:02d}-{kind}", "kind": kind,
                                         "tags": credit.tags | {"track": str(index + 1)},
                                         "book_chapters": len(chapters)})

    return [placed(opening, 0, OPENING), *chapters, placed(closing, last, CLOSING)]
