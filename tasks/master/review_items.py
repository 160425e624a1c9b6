"""A chapter's segments whose best take still fails, each with where its speech starts in the chapter file:
what a person must listen to (the book's review list gathers them)."""

from __future__ import annotations

from dataclasses import dataclass

from tasks.core import seconds_clock
from tasks.render import take_cache_key

from .layout import SegmentSpan


@dataclass(frozen=True)
class ReviewItem:
    """One segment left for a person: where to listen, what to listen for."""

    chapter: str  # the chapter file's name without its format, e.g. `02-the-lion-and-the-mouse`
    start_s: float  # where the segment starts in that file
    segment: str
    text: str
    problems: list[str]
    takes: int  # takes tried
    take: str = ""  # the kept take's cache key: what a person approves (OUT/review.json)

    @property
    def start(self) -> str:
        """h:mm:ss, rounded down: the segment has begun by then."""
        return seconds_clock(self.start_s)

    def as_row(self) -> dict:
        return {"chapter": self.chapter, "start": self.start, "segment": self.segment, "text": self.text,
                "problems": "; ".join(self.problems), "takes": self.takes}


def review_items(chapter, rendered: list, spans: list[SegmentSpan]) -> list[ReviewItem]:
    """The chapter's segments whose kept take fails, with where their speech starts in the chapter file."""
    return [ReviewItem(chapter.slug, round(span.start_s, 2), r.segment_id, plan.spoken, r.kept.problems,
                       len(r.attempts), take_cache_key(plan, chapter.settings, r.seed))
            for r, span, plan in zip(rendered, spans, chapter.segments) if not r.kept.passed]
