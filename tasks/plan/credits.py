"""Opening and closing credits: what the narrator says before the first chapter and after the last.

ACX's wording rules (help.acx.com, "audio submission requirements"): the opening states the title, author(s)
and narrator(s); the closing restates them and says "The End". The texts come from the book's metadata
(title, author, translator and editor where known) and a template with {title}, {author}, {narrator} and
{contributors}; the narrator is named as what it is ("an AI voice" unless told otherwise). The credits are
segmented like any chapter (tasks/text/segment.py), so they are rendered, cached and checked like one.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from tasks.core import BarkbookError
from tasks.manuscript import Book, Chapter

OPENING, CLOSING = "opening-credits", "closing-credits"
CREDIT_TITLES = {OPENING: "Opening Credits", CLOSING: "Closing Credits"}
SPOKEN_ROLES = {"translator": "translated by", "editor": "edited by"}  # contributors a credit names
FIELDS = ("title", "author", "narrator", "contributors")


@dataclass(frozen=True)
class CreditWording:
    """Templates of the two credits; `narrator` is how the narrator is named in them."""

    opening: str = "{title}, written by {author}{contributors}, narrated by {narrator}."
    closing: str = ("You have been listening to {title}, written by {author}{contributors}, "
                    "narrated by {narrator}. The End.")
    narrator: str = "an AI voice"

    def __post_init__(self):
        for template in (self.opening, self.closing):
            names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
            if names - set(FIELDS):
                raise BarkbookError(f"credit wording {template!r}: unknown field "
                                    f"{', '.join('{' + n + '}' for n in sorted(names - set(FIELDS)))}; "
                                    f"use {', '.join('{' + f + '}' for f in FIELDS)}")


def spoken_contributors(contributors: list[str]) -> str:
    """", translated by X, edited by Y" from "X (translator)", "Y (editor, illustrator)"; others unnamed."""
    parts = []
    for credit in contributors:
        match = re.fullmatch(r"(.+?)\s*\(([^)]*)\)", credit.strip())
        if match:
            roles = [r.strip() for r in match.group(2).split(",")]
            parts += [f"{SPOKEN_ROLES[r]} {match.group(1)}" for r in roles if r in SPOKEN_ROLES]
    return "".join(f", {part}" for part in dict.fromkeys(parts))


def credit_texts(book: Book, wording: CreditWording = CreditWording()) -> dict[str, str]:
    """kind -> the credit's text, as written (the segmenter makes it speakable)."""
    values = {"title": book.title, "author": book.author, "narrator": wording.narrator,
              "contributors": spoken_contributors(book.contributors)}
    return {OPENING: wording.opening.format(**values), CLOSING: wording.closing.format(**values)}


def credits_book(book: Book, texts: dict[str, str]) -> Book:
    """The credits as a book of their own (one chapter each, no heading read), for the segmenter."""
    chapters = [Chapter(CREDIT_TITLES[kind], [text], headings=[]) for kind, text in texts.items()]
    return Book(book.title, book.author, chapters, language=book.language, source=book.source)
