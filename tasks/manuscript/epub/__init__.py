"""EPUB → Book: the package and its checks, the table of contents, one XHTML document's blocks, chapters."""

from .reader import MAX_EPUB_BYTES, read_epub

__all__ = ["MAX_EPUB_BYTES", "read_epub"]
