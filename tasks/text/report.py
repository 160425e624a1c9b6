"""The report before rendering: what was left out and why, what a person should look at, who speaks.

Pure functions of the Book, its segments and its lexicon, shown by `barkbook segment` (and carried by
`--json`), so a producer can fix the manuscript before an hour of audio is generated from it.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from tasks.manuscript import Book

from .speakers import Role, book_cast, cast_listing
from .lexicon import Lexicon

SHORT_CHAPTER_SECONDS = 10.0
LONG_CHAPTER_SECONDS = 2 * 3600.0
SHORT_SEGMENT_SECONDS = 2.0


@dataclass(frozen=True)
class Dropped:
    """One kind of block that is not read: how many blocks and words."""

    kind: str
    blocks: int
    words: int
    sample: str = ""  # the first words of its first block, so a person sees what it was


@dataclass(frozen=True)
class ChapterNote:
    """A chapter a person should look at, and why."""

    number: int  # 1-based, as the summary lists chapters
    title: str
    problem: str


@dataclass(frozen=True)
class LexiconUse:
    written: str
    spoken: str
    note: str
    matches: int


@dataclass(frozen=True)
class BookReport:
    dropped: list[Dropped]
    warnings: list[str]
    chapters_to_check: list[ChapterNote]
    speakers: dict[str, int]  # speaker -> segments, most first
    cast: list[Role]  # each speaking character's aliases, gender and lines (segments), most first
    lexicon: list[LexiconUse]
    short_segments: float  # share of segments under SHORT_SEGMENT_SECONDS

    def as_json(self) -> dict:
        return dataclasses.asdict(self)


def dropped_kinds(book: Book) -> list[Dropped]:
    blocks, words, samples = Counter(), Counter(), {}
    for block in book.skipped:
        blocks[block.kind] += 1
        words[block.kind] += block.words
        if block.sample:
            samples.setdefault(block.kind, block.sample)
    return [Dropped(kind, blocks[kind], words[kind], samples.get(kind, ""))
            for kind in sorted(blocks, key=lambda k: -words[k])]


def title_key(title: str) -> str:
    """Titles compared loosely: lower case, punctuation removed, whitespace collapsed."""
    return " ".join(re.sub(r"[^\w\s]", " ", title.lower()).split())


def chapters_to_check(book: Book, segments: pd.DataFrame) -> list[ChapterNote]:
    """Empty chapters, repeated titles, and chapters under 10 s or over 2 h of speech."""
    seconds = segments.groupby("chapter_index").seconds.sum()
    titles = Counter(title_key(chapter.title) for chapter in book.chapters)
    notes = []
    for index, chapter in enumerate(book.chapters):
        speech = float(seconds.get(index, 0.0))
        problems = []
        if not any(p.strip() for p in chapter.paragraphs):
            problems.append("empty (no text besides its heading)")
        elif speech < SHORT_CHAPTER_SECONDS:
            problems.append(f"only {speech:.0f} s of speech")
        if speech > LONG_CHAPTER_SECONDS:
            problems.append(f"{speech / 3600:.1f} h of speech (a missed chapter break?)")
        if titles[title_key(chapter.title)] > 1:
            problems.append("its title is also another chapter's")
        notes += [ChapterNote(index + 1, chapter.title, problem) for problem in problems]
    return notes


def check_line(doubt) -> str:
    """A block read though it may not be the book's text, for a person to look at."""
    return f"check ({doubt.kind}, {doubt.where}): {doubt.words} words read (“{doubt.sample}…”)"


def book_report(book: Book, segments: pd.DataFrame, lexicon: Lexicon) -> BookReport:
    """Everything a producer should read before rendering `book` as `segments` says."""
    matches = lexicon.matches(segments.text)
    return BookReport(
        dropped=dropped_kinds(book),
        warnings=list(book.warnings) + [check_line(d) for d in book.doubts],
        chapters_to_check=chapters_to_check(book, segments),
        speakers=dict(Counter(segments.speaker).most_common()),
        cast=book_cast(book, segments),
        lexicon=[LexiconUse(e.written, e.spoken, e.note, matches[e.written]) for e in lexicon.entries],
        short_segments=float((segments.seconds < SHORT_SEGMENT_SECONDS).mean()) if len(segments) else 0.0,
    )


def report_lines(report: BookReport) -> list[str]:
    """The report for a person, a few lines per heading; headings with nothing to say are left out."""
    lines = []
    if report.dropped:
        lines.append("Not read:")
        lines += [f"  {d.kind}: {d.blocks} blocks, {d.words} words" + (f" (“{d.sample}…”)" if d.sample else "")
                  for d in report.dropped]
    if report.warnings:
        lines.append("Warnings:")
        lines += [f"  {warning}" for warning in report.warnings]
    if report.chapters_to_check:
        lines.append("Chapters to look at:")
        lines += [f"  {note.number:2d}. {note.title}: {note.problem}" for note in report.chapters_to_check]
    lines.append("Speakers (segments): " + ", ".join(f"{name} {count}" for name, count in report.speakers.items()))
    if report.cast:
        lines.append("Cast (gender, lines):")
        lines += cast_listing(report.cast)
    if report.lexicon:
        lines.append("Lexicon (matches):")
        lines += [f"  {use.written} -> {use.spoken}: {use.matches}" + (f"  ({use.note})" if use.note else "")
                  for use in report.lexicon]
    lines.append(f"Segments under {SHORT_SEGMENT_SECONDS:.0f} s: {report.short_segments:.1%}")
    return lines
