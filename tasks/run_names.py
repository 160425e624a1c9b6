"""Names and tags a person reads in the Prefect UI: which book a run belongs to, which chapter, which sentence.

Book runs start named after the manuscript file and its output folder (all that is known when a
deployment run is created), and are renamed to the book's title once it is read. Chapter runs are
"<book> · <n>/<N> <chapter>"; a segment's log lines begin "<n>.<i> <first words of the sentence>". Every run
of a book carries the tag `book:<slug>`, so the runs list filters by book.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import get_client, get_run_logger, runtime
from prefect.exceptions import MissingContextError

if TYPE_CHECKING:  # plan imports render (through voice), which imports this module
    from .plan import ChapterPlan, SegmentPlan
    from .render import RenderedSegment

SEP = " · "
SENTENCE_START = 48  # characters of a sentence a segment's label shows


def clip_words(text: str, limit: int) -> str:
    """`text` cut at the last word boundary within `limit` characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    at_boundary = text[limit - 1] == " " or " " not in head  # or one long word: cut inside it
    cut = head if at_boundary else head.rsplit(" ", 1)[0]
    return cut.rstrip(",;:.-—") + "…"


def slugify(text: str) -> str:
    from .plan import slugify  # imported late: see TYPE_CHECKING above

    return slugify(text)


def chapter_artifact_key(kind: str, chapter: ChapterPlan) -> str:
    """`<kind>-<book>-<chapter>`: artifact keys are global, and two books may both have "01-chapter-1"."""
    return f"{kind}-{slugify(chapter.tags.get('album', ''))}-{chapter.slug}".replace("--", "-")


def book_tag(title: str) -> str:
    return f"book:{slugify(title)}"


def book_run_name(title: str, output_dir: Path | str) -> str:
    """The book and where it is written: two renders of one book differ by their output folder."""
    return f"{title}{SEP}{output_dir}"


def book_run_name_from_parameters() -> str:
    """`flow_run_name` of render-book before the manuscript is read: its file name and output folder."""
    parameters = runtime.flow_run.parameters
    return book_run_name(Path(str(parameters.get("manuscript", "book"))).name, parameters.get("output_dir", "out"))


def chapter_run_name(chapter: ChapterPlan, chapters: list[ChapterPlan]) -> str:
    """"<book> · <n>/<N> <chapter title>" (the book's title is the chapter's album tag; N counts the book's
    chapters, not its credits, which go by their title: "<book> · Opening Credits")."""
    book = chapter.tags.get("album", "")
    total = sum(c.kind == "chapter" for c in chapters)
    place = f"{chapter.index}/{total} {chapter.title}" if chapter.kind == "chapter" else chapter.title
    return f"{book}{SEP}{place}" if book else place


def segment_label(chapter: int, position: int, segment: SegmentPlan) -> str:
    """"<n>.<i> <first words>" of a segment (i counts from 1 within chapter n): how its log lines begin."""
    return f"{chapter}.{position} {clip_words(segment.text or segment.spoken, SENTENCE_START)}"


def label_book_run(title: str, output_dir: Path | str) -> None:
    """Rename the running book run after its book and add the book's tag (a no-op outside a flow run)."""
    run_id = runtime.flow_run.id
    if not run_id:
        return
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id)
        tags = sorted(set(run.tags) | {book_tag(title)})
        client.update_flow_run(run_id, name=book_run_name(title, output_dir), tags=tags)


def tag_run(flow_run, tag: str) -> None:
    """Give this flow run `tag` (one request; none when it has it). Chapter runs carry their book's tag so
    the runs list filters by book; a `tags()` context would tag every task run too, and Prefect asks the
    server for a concurrency slot before each run of a tagged task."""
    if tag in flow_run.tags:
        return
    with get_client(sync_client=True) as client:
        client.update_flow_run(flow_run.id, tags=sorted({*flow_run.tags, tag}))


def segment_log_line(text: str, voice: str, rendered: RenderedSegment) -> str:
    """What the render logs of a segment (after its label): its text, voice, seconds, takes and QC verdict."""
    kept = rendered.kept
    verdict = "ok" if kept.passed else "FAILED: " + "; ".join(kept.problems)
    takes = len(rendered.attempts)
    return (f"{clip_words(text, 160)} — voice {voice} · {rendered.seconds:.1f} s · "
            f"{takes} take{'s' if takes != 1 else ''}, kept seed {rendered.seed} · QC {verdict}")


def run_logger() -> logging.Logger | logging.LoggerAdapter:
    """The current run's logger (its lines reach the run's page in the UI), else a plain one: a task's
    function called directly (a test, a script) logs too instead of failing."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("barkbook")
