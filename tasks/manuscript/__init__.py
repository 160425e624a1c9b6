"""Readers: a manuscript file or folder (plain text, Markdown, EPUB) → `Book`: chapters, metadata and what
was left out and why."""

from .book import Book, Chapter, NotesPolicy, Skipped, given_isbn
from .ingest import MANUSCRIPT_SUFFIXES, ingest_manuscript, read_manuscript

__all__ = ["Book", "Chapter", "MANUSCRIPT_SUFFIXES", "NotesPolicy", "Skipped", "given_isbn", "ingest_manuscript",
           "read_manuscript"]
