"""A book's structure from its blocks (plain text, or HTML's blocks with their markup): headings by the form
the book repeats in any language (headings), levels above and below chapters (levels), contents lists proved
against the headings they name (contents), what is left out and why (left_out: title pages, cast lists, back
matter), notes in every form (notes), plays, letters and verse (plays, letters, verse), and the engine that
reads them into chapters (reading, engine)."""

from .engine import split_blocks, structure_blocks, structure_text

__all__ = ["split_blocks", "structure_blocks", "structure_text"]
