"""Readers: a manuscript file or folder (plain text, Markdown, HTML, EPUB, DOCX, ODT, RTF, PDF) → `Book`: chapters, metadata and what
was left out and why."""

from .book import Book, Chapter, NotesPolicy, Skipped, StageDirections, given_isbn
from .ingest import MANUSCRIPT_SUFFIXES, ingest_manuscript, read_manuscript

__all__ = ["Book", "Chapter", "MANUSCRIPT_SUFFIXES", "NotesPolicy", "Skipped", "StageDirections", "given_isbn", "ingest_manuscript",
           "read_manuscript"]
