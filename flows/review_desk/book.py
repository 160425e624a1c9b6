"""The book as the review desk shows it: the folder's last render request (OUT/.state/request.json) planned again the
way the render plans it, with no side effect, and each segment with its takes found in the render's cache,
their checks, where it sits in its mastered chapter and what a person decided about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from prefect.filesystems import LocalFileSystem, RemoteFileSystem
from prefect.results import ResultStore

from flows.request import RenderRequest
from flows.storage import is_url
from tasks.core import BarkbookError
from tasks.manuscript import read_manuscript
from tasks.master import MASTERING, ChapterResult, SegmentSpan, load_chapter
from tasks.plan import (GENERATE, ChapterPlan, RenderSettings, SegmentDecision, SegmentPlan, load_decisions,
                        load_seed_offsets, locked_voice_path, plan_book, voice_map)
from tasks.qc import TakeCheck
from tasks.render import RenderedSegment, segment_cache_key, take_cache_key
from tasks.text import NARRATOR, load_lexicon, segment_book

from .words import problem_kind, verdict


class NotInBook(BarkbookError):
    """A segment or take the page named is not in the book as it is now."""


@dataclass(frozen=True)
class TakeView:
    """One take of a segment found in the cache: its seed, its record's key and its check (None: no record of
    this render checked it)."""

    seed: int
    key: str
    check: TakeCheck | None
    kept: bool


@dataclass(frozen=True)
class SegmentView:
    """A segment as a producer reviews it."""

    plan: SegmentPlan
    chapter: ChapterPlan
    position: int  # 1-based, in its chapter
    speaker: str
    written_spoken: str  # what the text stage made it say (before a person's override)
    decision: SegmentDecision
    rendered: RenderedSegment | None  # None: not rendered as planned now (a render is due)
    takes: tuple[TakeView, ...] = ()
    span: SegmentSpan | None = None  # where its speech lies in the chapter's master
    context: tuple[float, float] | None = None  # the sentence before to the one after, in the master

    @property
    def id(self) -> str:
        return self.plan.id

    @property
    def kept(self) -> TakeView | None:
        return next((take for take in self.takes if take.kept), None)

    def take(self, seed: int) -> TakeView:
        found = next((take for take in self.takes if take.seed == seed), None)
        if found is None:
            raise NotInBook(f"segment {self.id} has no take {seed} (its takes: "
                            f"{', '.join(str(t.seed) for t in self.takes) or 'none yet'})")
        return found

    @property
    def flagged(self) -> bool:
        """Its kept take fails its checks and nobody approved it."""
        return self.rendered is not None and not self.rendered.kept.passed and not self.approved

    @property
    def approved(self) -> bool:
        return self.kept is not None and self.decision.approved_take == self.kept.key

    @property
    def problems(self) -> list[str]:
        return [] if self.rendered is None else list(self.rendered.kept.problems)

    @property
    def kinds(self) -> list[str]:
        return sorted({problem_kind(p) for p in self.problems})

    @property
    def verdict(self) -> str:
        return "not rendered with your latest decisions yet" if self.rendered is None else verdict(self.rendered.kept)


@dataclass(frozen=True)
class ChapterView:
    plan: ChapterPlan
    result: ChapterResult | None  # None: its master is not the one the plan now asks for (a render is due)
    segments: list[SegmentView] = field(default_factory=list)

    @property
    def flagged(self) -> int:
        return sum(s.flagged for s in self.segments)


def result_store(location: str) -> ResultStore:
    """The render's segment cache (a folder or an fsspec URL), read the way its tasks write it."""
    storage = RemoteFileSystem(basepath=location) if is_url(location) else LocalFileSystem(
        basepath=str(Path(location.removeprefix("file://")).expanduser()))
    return ResultStore(result_storage=storage)


def locked_voices(voices: dict[str, str], output_dir: Path) -> dict[str, str]:
    """The voice map with each generated voice at its locked file: the desk never generates one."""
    locked = {}
    for speaker, name in voices.items():
        path = locked_voice_path(output_dir, speaker)
        if name == GENERATE and not path.is_file():
            raise BarkbookError(f"{output_dir}: the generated voice of {speaker} is not locked yet; render the book first")
        locked[speaker] = str(path) if name == GENERATE else name
    return locked


@dataclass
class DeskBook:
    """The planned book and its segment views, loaded from the output folder and the cache."""

    request: RenderRequest
    title: str
    chapters: list[ChapterView]
    lexicon_source: Path | None  # the manuscript (its side lexicon file sits beside it)

    @property
    def segments(self) -> list[SegmentView]:
        return [s for c in self.chapters for s in c.segments]

    def segment(self, segment_id: str) -> SegmentView:
        found = next((s for s in self.segments if s.id == segment_id), None)
        if found is None:
            raise NotInBook(f"no segment {segment_id} in this book (it may have changed: reload the page)")
        return found


def load_book(request: RenderRequest, settings: RenderSettings, store: ResultStore) -> DeskBook:
    """The book `request` renders, planned as it is now (lexicon, retakes, decisions), with `settings` (pinned
    once by the caller) and the takes and records found in `store`."""
    output_dir = Path(request.output_dir)
    book = read_manuscript(request.manuscript, notes=request.notes)
    table = segment_book(book, lexicon=load_lexicon(book))
    voices = locked_voices(voice_map(book, request.voice, request.voices), output_dir)
    decisions = load_decisions(output_dir)
    plan = plan_book.fn(book, table, settings, voices, request.packaging(None), load_seed_offsets(output_dir),
                        request.credits, decisions)
    speakers = dict(zip(table.id, table.speaker))
    written = dict(zip(table.id, table.spoken))
    chapters = []
    for chapter in plan.chapters:
        result = load_chapter(output_dir, chapter.slug, chapter.content_key(MASTERING.as_dict()))
        spans = result.spans if result else []
        views = [segment_view(segment, chapter, i, speakers.get(segment.id, NARRATOR),
                              written.get(segment.id, segment.spoken), decisions.of(segment.id), store, spans)
                 for i, segment in enumerate(chapter.segments)]
        chapters.append(ChapterView(chapter, result, views))
    return DeskBook(request, plan.title, chapters, book.source)


def segment_view(segment: SegmentPlan, chapter: ChapterPlan, index: int, speaker: str, written: str,
                 decision: SegmentDecision, store: ResultStore, spans: list[SegmentSpan]) -> SegmentView:
    key = segment_cache_key(segment, chapter.settings)
    rendered = store.read(key).result if store.exists(key) else None
    span = spans[index] if index < len(spans) and spans[index].segment_id == segment.id else None
    context = None
    if span is not None:
        context = (spans[max(index - 1, 0)].start_s, spans[min(index + 1, len(spans) - 1)].end_s)
    return SegmentView(segment, chapter, index + 1, speaker, written, decision, rendered,
                       takes_of(segment, chapter.settings, store, rendered), span, context)


def takes_of(segment: SegmentPlan, settings: RenderSettings, store: ResultStore,
             rendered: RenderedSegment | None) -> tuple[TakeView, ...]:
    """Every take of the segment in the cache — the seeds of each round it has had (the first, and one a
    retake), and the chosen one —, each with its check from the records of those rounds."""
    budget = (segment.takes or settings.takes) * settings.max_attempts
    first, last = settings.seed, settings.seed + segment.seed_offset + budget
    seeds = sorted(set(range(first, last)) | ({segment.keep_seed} if segment.keep_seed is not None else set()))
    checks = round_checks(segment, settings, store)
    if rendered is not None:
        checks |= {c.seed: c for c in rendered.attempts}
    kept = rendered.seed if rendered is not None else None
    takes = []
    for seed in seeds:
        key = take_cache_key(segment, settings, seed)
        if store.exists(key):
            takes.append(TakeView(seed, key, checks.get(seed), seed == kept))
    return tuple(takes)


def round_checks(segment: SegmentPlan, settings: RenderSettings, store: ResultStore) -> dict[int, TakeCheck]:
    """Seed → check, from the records of the rounds the segment had before: at any earlier seed offset (each
    retake moved it), with the render's takes a round or its own."""
    checks: dict[int, TakeCheck] = {}
    for offset in range(segment.seed_offset, -1, -1):
        for takes in {None, segment.takes}:
            key = segment_cache_key(segment.model_copy(update={"seed_offset": offset, "keep_seed": None,
                                                               "takes": takes}), settings)
            if store.exists(key):
                checks |= {c.seed: c for c in store.read(key).result.attempts}
    return checks
