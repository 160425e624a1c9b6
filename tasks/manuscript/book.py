"""The book as data: what ingest produces and every later step reads (Book, Chapter, Skipped)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, get_args
from pathlib import Path

from tasks.core.errors import BarkbookError, ManuscriptError


NotesPolicy = Literal["skip", "chapter-end"]  # footnotes/endnotes: not read (counted), or read at the chapter's end
NOTES_POLICIES: tuple[str, ...] = get_args(NotesPolicy)
StageDirections = Literal["read", "skip"]  # a play's stage directions: read by the narrator, or left out (counted)
STAGE_DIRECTIONS: tuple[str, ...] = get_args(StageDirections)


@dataclass(frozen=True)
class Cue:
    """How one paragraph is read where it is not plain narration.

    `speaker`: a play's character says it (its speech prefix is not in the text); `opens`: it opens a
    new letter, diary entry or speech, so it never shares a segment with the paragraph before;
    `line_ends`: verse, where its lines end (offsets in the text; each line ends with a short pause,
    the paragraph, a stanza, with a longer one).
    """

    speaker: str | None = None
    opens: bool = False
    line_ends: tuple[int, ...] = ()


@dataclass
class Chapter:
    """A chapter: its title and its paragraphs of plain text (markup already removed).

    `title` is the chapter's name in chapter marks and file tags ("Volume Two, Chapter Three");
    `headings` is what is read aloud before its text (a part's heading only at the part's first
    chapter: ["Volume Two", "Chapter Three"], then ["Chapter Four"]); None reads `title`.
    """

    title: str
    paragraphs: list[str]
    headings: list[str] | None = None
    lead: list[str] = field(default_factory=list)  # read before the headings: an opening epigraph or dedication
    parts: tuple[str, ...] = ()  # the headings of the levels above it (volume, book, part), outermost first
    cues: dict[int, Cue] = field(default_factory=dict)  # paragraph index -> how it is read (plays, letters, verse)

    @property
    def spoken_headings(self) -> list[str]:
        return [self.title] if self.headings is None else self.headings


@dataclass(frozen=True)
class Skipped:
    """A block of the source that is deliberately not read, counted for the report before rendering.

    `kind`: boilerplate, front matter, back matter, contents, notes, page numbers, line numbers,
    tables, figures, code, … ; `where`: the chapter or document it came from; `sample`: its first words;
    `marked`: the source itself marks it as not the book's text (Project Gutenberg's header, license and
    credits, `[Footnote …]`/`[Illustration …]`, an EPUB's epub:type or role, page-number markup); False
    where barkbook's own reading judged it (a contents list, a title page, back matter), which the
    report lists block by block.
    """

    kind: str
    where: str
    words: int
    sample: str = ""
    marked: bool = False
    text: str = field(default="", repr=False, compare=False)  # what was left out, for a report to weigh


@dataclass(frozen=True)
class Doubt:
    """A block that is read though it may not be the book's text (a list that looks like a contents list
    but names no heading, …): the report lists it under "check" for a person to decide."""

    kind: str
    where: str
    words: int
    sample: str = ""


@dataclass
class Book:
    """A manuscript as data: metadata and chapters, in reading order, and what was left out."""

    title: str
    author: str
    chapters: list[Chapter]
    narrator: str | None = None
    language: str = "en"
    voice: str | None = None
    cover: Path | None = None  # an image file named by the manuscript (front matter `cover:`, a folder's cover.jpg)
    cover_image: bytes | None = field(default=None, repr=False)  # an EPUB's own cover image, as stored in it
    isbn: str | None = None  # the audiobook's ISBN where the manuscript gives one (Google Play names files by it)
    source: Path | None = field(default=None, compare=False)
    contributors: list[str] = field(default_factory=list)  # translators, editors, illustrators
    skipped: list[Skipped] = field(default_factory=list, compare=False)
    warnings: list[str] = field(default_factory=list, compare=False)  # read despite a fault, for the report
    pronunciations: list[dict] = field(default_factory=list)  # raw front-matter entries; see tasks/text/lexicon.py
    doubts: list[Doubt] = field(default_factory=list, compare=False)  # read, but worth a look (the report's "check")


def isbn_of(identifier: str) -> str | None:
    """The ISBN-13 or ISBN-10 in an identifier ("urn:isbn:978-0-14-…", "ISBN 0-14-…"), digits only; else None."""
    text = re.sub(r"[\s-]", "", identifier.strip().lower())
    digits = text.removeprefix("urn:isbn:").removeprefix("isbn:").removeprefix("isbn")
    return digits.upper() if re.fullmatch(r"97[89]\d{10}|\d{9}[\dx]", digits) else None


def given_isbn(value: str) -> str:
    """An ISBN given as an option, digits only; anything else is a BarkbookError saying so."""
    isbn = isbn_of(value)
    if isbn is None:
        raise BarkbookError(f"isbn {value!r} is not an ISBN-10 or ISBN-13")
    return isbn


def words_of(text: str) -> list[str]:
    """The words of a text: tokens with a letter or digit (a dot leader's '. . .' is none)."""
    return [token for token in text.split() if re.search(r"\w", token)]


def skip(skipped: list[Skipped], kind: str, where: str, text: str, marked: bool = False) -> None:
    """Count `text` as not read; a block of the same kind from the same place as the last one joins it."""
    words = words_of(text)
    last = skipped[-1] if skipped else None
    if last and (last.kind, last.where, last.marked) == (kind, where, marked):
        skipped[-1] = Skipped(kind, where, last.words + len(words), last.sample, marked, f"{last.text}\n\n{text}")
    elif words:
        skipped.append(Skipped(kind, where, len(words), " ".join(words[:8]), marked, text))


def doubt(doubts: list[Doubt], kind: str, where: str, text: str) -> None:
    """List `text` as read but worth a look."""
    words = words_of(text)
    if words:
        doubts.append(Doubt(kind, where, len(words), " ".join(words[:8])))


def fail(path: Path, problem: str) -> ManuscriptError:
    return ManuscriptError(f"{path}: {problem}")


def join_lines(block: str) -> str:
    """A block's lines as one line: runs of whitespace become one space."""
    return " ".join(block.split())
