"""Names a person reads in the Prefect UI: which book a run belongs to, which chapter, which sentence.

Chapter runs are "<book> · <n>/<N> <chapter>"; a segment's log lines begin "<n>.<i> <first words of the
sentence>"; every run of a book carries the tag `book:<slug>`, so the runs list filters by book; artifact
keys name their book and chapter. (Renaming and tagging a running flow run is the flow's: flows/run_labels.py.)
"""

from __future__ import annotations

from pathlib import Path

from tasks.core.names import clip_words, slugify

from .models import ChapterPlan, SegmentPlan

SEP = " · "
SENTENCE_START = 48  # characters of a sentence a segment's label shows


def chapter_artifact_key(kind: str, chapter: ChapterPlan) -> str:
    """`<kind>-<book>-<chapter>`: artifact keys are global, and two books may both have "01-chapter-1"."""
    return f"{kind}-{slugify(chapter.tags.get('album', ''))}-{chapter.slug}".replace("--", "-")


def book_tag(title: str) -> str:
    return f"book:{slugify(title)}"


def book_run_name(title: str, output_dir: Path | str) -> str:
    """The book and where it is written: two renders of one book differ by their output folder."""
    return f"{title}{SEP}{output_dir}"


def chapter_run_name(chapter: ChapterPlan) -> str:
    """"<book> · <n>/<N> <chapter title>" (the book's title is the chapter's album tag; N counts the book's
    chapters, not its credits, which go by their title: "<book> · Opening Credits")."""
    book = chapter.tags.get("album", "")
    return f"{book}{SEP}{chapter.place}" if book else chapter.place


def segment_label(chapter: int, position: int, segment: SegmentPlan) -> str:
    """"<n>.<i> <first words>" of a segment (i counts from 1 within chapter n): how its log lines begin."""
    return f"{chapter}.{position} {clip_words(segment.text or segment.spoken, SENTENCE_START)}"


def render_task_name(parameters: dict) -> str:
    """`task_run_name` of a chapter's render task: "render · 2/3 The Lion and the Mouse"."""
    return f"render{SEP}{parameters['chapter'].place}"
