"""`barkbook segment`: how a manuscript will be read — its chapters and minutes, what to check before
rendering, and every segment (its id for --retake, speaker, seconds, what is said), a page at a time on a
terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from flows.console import fail
from flows.options import DEFAULTS, FLAG, manuscript_argument, notes_option, stage_directions_option


def segment(
    manuscript: Path = manuscript_argument(),
    notes: str = notes_option(),
    stage_directions: str = stage_directions_option(),
    counts: bool = typer.Option(False, "--counts", **FLAG, help="Print the chapters' counts and the report only, not every segment."),
    as_json: bool = typer.Option(False, "--json", **FLAG, help="Print every segment and the report as one JSON object."),
) -> None:
    """Show how a manuscript splits into segments and what to check before rendering (nothing is generated)."""
    from flows.book_views import segment_lines, show_long
    from tasks.text import book_report, segments_json, segments_summary, report_lines

    book, lexicon, segments = read_and_segment(manuscript, notes, stage_directions)
    report = book_report(book, lexicon=lexicon, segments=segments)
    if as_json:
        json.dump({"segments": segments_json(book, segments), "report": report.as_json()}, sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    summary = [segments_summary(book, segments), *report_lines(report)]
    show_long("\n".join(summary if counts else [*summary, "", "Segments (chapter.segment, id, speaker, "
                                                                   "seconds, what is said):", *segment_lines(segments)]))


def read_and_segment(manuscript: Path, notes: str = DEFAULTS.notes, stage_directions: str = DEFAULTS.stage_directions):
    """The book, its lexicon and its segments; bad input is one line, exit 2."""
    from tasks.core import BarkbookError
    from tasks.manuscript import read_manuscript
    from tasks.text import load_lexicon, segment_book

    try:
        book = read_manuscript(manuscript, notes=notes, stage_directions=stage_directions)
        lexicon = load_lexicon(book)
        return book, lexicon, segment_book(book, lexicon=lexicon)
    except BarkbookError as err:
        fail(str(err))
