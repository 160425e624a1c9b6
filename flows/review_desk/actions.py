"""What a producer does at the desk, checked first (an unknown segment or take, an empty text: one line), each
a decision in OUT/review.json and, where the audio changes, a render of the book through `render_book` — the
cache re-renders only what changed, and only the touched chapters are mastered and delivered again.
Approving changes no audio: it is a decision only (the next render leaves the take off review.csv)."""

from __future__ import annotations

from pydantic import ValidationError

from tasks.core import BarkbookError
from tasks.plan import SegmentDecision
from tasks.qc import MAX_TAKES
from tasks.text import SegmentationSettings

from .book import SegmentView
from .desk import Desk
from .pronunciations import Change, add_entry, preview


def rendered_segment(desk: Desk, segment_id: str) -> SegmentView:
    segment = desk.book().segment(segment_id)
    if segment.kept is None:
        raise BarkbookError(f"segment {segment_id} has no take yet: wait for the render to end")
    return segment


def approve(desk: Desk, segment_id: str) -> str:
    """The kept take was heard and is fine: it leaves the review list."""
    segment = rendered_segment(desk, segment_id)
    desk.decide(segment_id, approved_take=segment.kept.key)
    return f"approved take {segment.kept.seed} of segment {segment.position} ({segment.chapter.title})"


def unapprove(desk: Desk, segment_id: str) -> str:
    segment = desk.book().segment(segment_id)
    desk.decide(segment_id, approved_take=None)
    return f"segment {segment.position} ({segment.chapter.title}) is listed for review again"


def keep_take(desk: Desk, segment_id: str, seed: int) -> str:
    """Keep another take of the segment (mastered into its chapter by the render this starts)."""
    segment = rendered_segment(desk, segment_id)
    segment.take(seed)  # one it has
    what = f"keep take {seed} of segment {segment.position} ({segment.chapter.title})"
    desk.render(what, before=lambda: desk.decide(segment_id, keep_seed=seed, approved_take=None))
    return what


def retake(desk: Desk, segment_id: str, takes: int | None = None) -> str:
    """New takes of the segment with seeds it has not used (`--retake`), `takes` a round (None: as it had); a
    chosen take no longer holds. Once a segment has takes of its own, it keeps a number of its own."""
    segment = desk.book().segment(segment_id)
    if segment.chapter.kind != "chapter":  # the render's --retake knows the manuscript's segments only
        raise BarkbookError(f"the {segment.chapter.title.lower()} cannot be retaken; keep another take or change "
                            "what it says")
    own = segment.decision.takes
    takes = own if takes is None else takes
    own_takes = takes if own is not None or (takes is not None and takes != desk.request.takes) else None
    try:
        SegmentDecision(takes=own_takes)
    except ValidationError:
        raise BarkbookError(f"takes: {takes} is not in 1..{MAX_TAKES}") from None
    what = f"retake of segment {segment.position} ({segment.chapter.title})"
    desk.render(what, retake=[segment_id],
                before=lambda: desk.decide(segment_id, keep_seed=None, approved_take=None, takes=own_takes))
    return what


def speak(desk: Desk, segment_id: str, spoken: str | None) -> str:
    """Say `spoken` instead of what the text stage made of the segment (None or the same text: undo)."""
    segment = desk.book().segment(segment_id)
    if spoken is not None:
        try:
            spoken = SegmentDecision(spoken=spoken).spoken
        except ValidationError as err:
            raise BarkbookError(err.errors()[0]["msg"].removeprefix("Value error, ")) from None
        check_length(spoken)
    override = None if spoken in (None, segment.written_spoken) else spoken
    what = (f"new words for segment {segment.position} ({segment.chapter.title})" if override
            else f"segment {segment.position} ({segment.chapter.title}) back to its own words")
    desk.render(what, before=lambda: desk.decide(segment_id, spoken=override, keep_seed=None, approved_take=None))
    return what


def check_length(spoken: str, settings: SegmentationSettings = SegmentationSettings()) -> None:
    """A text one generation can say (Bark's window): longer is one line, with what to do."""
    if not settings.fits(spoken):
        raise BarkbookError(f"that text is about {settings.seconds(spoken):.0f} s of speech; one segment holds at most "
                            f"{settings.max_seconds:.0f} s: shorten it")


def render_again(desk: Desk) -> str:
    """Render the book with every decision made so far (review.csv and the manifest brought up to date)."""
    desk.render("render with the latest decisions")
    return "render with the latest decisions"


def preview_pronunciation(desk: Desk, written: str, spoken: str) -> list[Change]:
    """The segments an entry `written → spoken` would change (nothing is written)."""
    return preview(desk.request, written, spoken)


def add_pronunciation(desk: Desk, written: str, spoken: str) -> str:
    """The entry added to the book's lexicon file, and the segments it changes rendered."""
    added: list = []
    what = f"pronunciation {written.strip()!r} → {spoken.strip()!r}"
    desk.render(what, before=lambda: added.extend(add_entry(desk.request, written, spoken)[1]))
    return f"{what}: {len(added)} segment{'s' if len(added) != 1 else ''} to render again"
