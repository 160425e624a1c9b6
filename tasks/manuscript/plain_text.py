"""Plain text -> Book: Project Gutenberg's wrapper off (tasks/manuscript/gutenberg.py), its header and title page
as metadata, chapters by the structure engine. Read for a .txt and for a word processor's document that is a
plain text's lines (a .docx, .odt or .rtf converted from a .txt: one paragraph per line)."""

from __future__ import annotations

import re
from pathlib import Path

from .book import Book
from .gutenberg import book_language, strip_gutenberg
from tasks.manuscript.structure.engine import structure_text


def read_plain_text(path: Path, text: str, default_title: str, pattern: re.Pattern | None, notes: str,
                    stage_directions: str = "read") -> Book:
    """A plain text: Project Gutenberg's wrapper off, its header and title page as metadata, chapters by structure."""
    pg = strip_gutenberg(text)
    known = {**pg.named, **pg.metadata}
    structure = structure_text(pg.body, known.get("title", default_title), pattern, notes, known, stage_directions)
    meta = {**pg.named, **structure.metadata, **pg.metadata}  # the header's fields, the title page, PG's title line
    warnings = list(pg.warnings)
    return Book(
        title=meta.get("title", default_title),
        author=meta.get("author", "Unknown"),
        chapters=structure.chapters,
        language=book_language(meta.get("language"), warnings, pg.body),
        source=path,
        contributors=pg.contributors,
        skipped=pg.skipped + structure.skipped,
        warnings=warnings,
        doubts=structure.doubts,
    )
