"""A pronunciation entry (written → spoken) added from the desk to the book's lexicon side file
(`<manuscript>.lexicon.csv`, tasks/text/lexicon.py), with a preview first: the book segmented with and
without it, the segments whose spoken form it changes — exactly those the next render renders again (a
segment's id and cache keys follow its spoken form). The credits are segmented with the lexicon too."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from flows.request import RenderRequest
from tasks.core import BarkbookError, atomic_write_text
from tasks.manuscript import Book, read_manuscript
from tasks.plan.credits import credit_texts, credits_book
from tasks.text import Lexicon, load_lexicon, segment_book
from tasks.text.lexicon import LexiconEntry, lexicon_files, parse_entry

NOTE = "added in the review desk"
COLUMNS = ("written", "spoken", "note")


@dataclass(frozen=True)
class Change:
    """A segment the entry changes: where it is, its text, what it said and what it will say."""

    chapter: str
    position: int  # 1-based in its chapter
    text: str
    before: str | None  # the spoken form of the segment at that place before (None: the segments moved)
    after: str


def lexicon_file(source: Path) -> Path:
    """The side file the book's lexicon is read from: the existing one, else `<stem>.lexicon.csv` beside
    the manuscript (`lexicon.csv` inside a folder book)."""
    existing = lexicon_files(source)
    if existing:
        return existing[0]
    return source / "lexicon.csv" if source.is_dir() else source.with_name(f"{source.stem}.lexicon.csv")


def new_entry(written: str, spoken: str) -> LexiconEntry:
    return parse_entry(written, spoken, NOTE, "the new pronunciation")  # empty or a bad pattern: one line


def book_segments(book: Book, lexicon: Lexicon, request: RenderRequest) -> pd.DataFrame:
    """Every segment the render plans: the chapters' and, when the render speaks credits, theirs."""
    tables = [segment_book(book, lexicon=lexicon)]
    if request.credits is not None:
        tables.append(segment_book(credits_book(book, credit_texts(book, request.credits)), lexicon=lexicon))
    return pd.concat(tables, ignore_index=True)


def preview(request: RenderRequest, written: str, spoken: str) -> list[Change]:
    """The segments that adding `written → spoken` would change, in reading order."""
    entry = new_entry(written, spoken)
    book = read_manuscript(request.manuscript, notes=request.notes)
    lexicon = load_lexicon(book)
    before = book_segments(book, lexicon, request)
    after = book_segments(book, Lexicon((*lexicon.entries, entry)), request)
    was, known = {(r.chapter_title, r.segment_index): r.spoken for r in before.itertuples()}, set(before.id)
    return [Change(r.chapter_title, r.segment_index + 1, r.text, was.get((r.chapter_title, r.segment_index)), r.spoken)
            for r in after.itertuples() if r.id not in known]


def add_entry(request: RenderRequest, written: str, spoken: str) -> tuple[Path, list[Change]]:
    """Append the entry to the book's lexicon side file (made with its header if there is none), after
    checking it changes something; the file and the changes."""
    changes = preview(request, written, spoken)
    if not changes:
        raise BarkbookError(f"{written.strip()!r} matches nothing the book says: no entry added")
    path = lexicon_file(Path(request.manuscript))
    old = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    delimiter = "\t" if path.suffix == ".tsv" else ","
    header = next(csv.reader(old.splitlines()[:1], delimiter=delimiter), None) if old.strip() else None
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    if header is None:
        header = list(COLUMNS)
        writer.writerow(header)
    row = {"written": written.strip(), "spoken": spoken.strip(), "note": NOTE}
    writer.writerow([row.get(column.strip().lower(), "") for column in header])  # in the file's column order
    atomic_write_text(path, old + ("" if not old or old.endswith("\n") else "\n") + buffer.getvalue())
    return path, changes
