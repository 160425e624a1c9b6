"""Names made from text: slugs for files and keys, texts clipped at a word for labels, counts with their noun."""

from __future__ import annotations

import re


def slugify(text: str) -> str:
    """'The Lion & the Mouse' -> 'the-lion-the-mouse' (at most 60 characters; 'untitled' when nothing is left)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "untitled"


def clip_words(text: str, limit: int) -> str:
    """`text` cut at the last word boundary within `limit` characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    at_boundary = text[limit - 1] == " " or " " not in head  # or one long word: cut inside it
    cut = head if at_boundary else head.rsplit(" ", 1)[0]
    return cut.rstrip(",;:.-—") + "…"


def counted(count: int, noun: str) -> str:
    """"1 chapter", "3 chapters" (a noun whose plural takes an s)."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
