"""The producer's lexicon: what a word or pattern is spoken as, per book, applied before normalization.

Entries come from the manuscript's front matter (`pronunciations:`, a list of {written, spoken,
note} or a mapping written -> spoken) and from a side file: `<manuscript stem>.lexicon.csv` (or
`.tsv`) next to the manuscript, `lexicon.csv`/`.tsv` inside a folder book, with the columns
written, spoken, note. `written` is a whole word or phrase ("Knightley", "Mr. Darcy") matched
case-sensitively, or any case when written all lower-case (then a capital in the text stays a capital
in what is spoken); `/…/` is a regular expression and `spoken` may use its groups (\1). Entries apply
in order, front matter first, each to the result of the ones before.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from tasks.manuscript.book import Book, fail


@dataclass(frozen=True)
class LexiconEntry:
    written: str
    spoken: str
    note: str = ""
    pattern: re.Pattern = field(compare=False, repr=False, default=None)

    def apply(self, text: str) -> tuple[str, int]:
        """The text with this entry's matches replaced, and how many there were."""
        return self.pattern.subn(self.replacement, text)

    def replacement(self, match: re.Match) -> str:
        if self.written.startswith("/"):
            return match.expand(self.spoken)
        first = match.group(0)[:1]
        return self.spoken[:1].upper() + self.spoken[1:] if first.isupper() and self.written.islower() else self.spoken


def parse_entry(written: str, spoken: str, note: str, where: str) -> LexiconEntry:
    """One entry, or a ManuscriptError naming `where` (the file and row) and the problem."""
    written, spoken, note = (written or "").strip(), (spoken or "").strip(), (note or "").strip()
    if not written or not spoken:
        raise fail(where, f"needs both 'written' and 'spoken' (got {written!r}, {spoken!r})")
    if len(written) > 2 and written.startswith("/") and written.endswith("/"):
        try:
            pattern = re.compile(written[1:-1])
            pattern.sub(spoken, "")  # a bad group reference fails here, not mid-book
        except re.error as err:
            raise fail(where, f"the pattern {written} is not a valid regular expression ({err})") from None
    else:
        flags = re.IGNORECASE if written.islower() else 0
        pattern = re.compile(rf"(?<!\w){re.escape(written)}(?!\w)", flags)
    return LexiconEntry(written, spoken, note, pattern)


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[LexiconEntry, ...] = ()

    def apply(self, text: str) -> str:
        for item in self.entries:
            text = item.apply(text)[0]
        return text

    def matches(self, texts: Iterable[str]) -> Counter:
        """How often each entry matched over `texts` (entries that never matched count 0)."""
        counts = Counter({item.written: 0 for item in self.entries})
        for text in texts:
            for item in self.entries:
                text, n = item.apply(text)
                counts[item.written] += n
        return counts


NO_LEXICON = Lexicon()


def lexicon_files(source: Path | None) -> list[Path]:
    """The side files a manuscript's lexicon may live in, those that exist."""
    if source is None:
        return []
    folder = source if source.is_dir() else source.parent
    stem = "lexicon" if source.is_dir() else f"{source.stem}.lexicon"
    return [path for suffix in (".csv", ".tsv") if (path := folder / f"{stem}{suffix}").is_file()]


def read_lexicon_file(path: Path) -> list[LexiconEntry]:
    """A CSV or TSV with a header row naming written, spoken and (optionally) note."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise fail(path, f"cannot be read as UTF-8 text ({err.__class__.__name__})") from None
    reader = csv.DictReader(text.splitlines(), delimiter="\t" if path.suffix == ".tsv" else ",")
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if not {"written", "spoken"} <= set(columns):
        got = ", ".join(columns) or "none"
        raise fail(path, f"needs a header row with the columns written, spoken, note (got {got})")
    reader.fieldnames = columns
    entries = []
    for row in reader:
        if any((value or "").strip() for key, value in row.items() if key):
            where = f"{path}: row {reader.line_num}"
            entries.append(parse_entry(row.get("written"), row.get("spoken"), row.get("note"), where))
    return entries


def front_matter_entries(book: Book) -> list[LexiconEntry]:
    """The raw `pronunciations:` entries of the front matter, checked."""
    entries = []
    for number, raw in enumerate(book.pronunciations, start=1):
        where = f"{book.source or book.title}: pronunciations entry {number}"
        if not isinstance(raw, dict):
            raise fail(where, "is not a mapping (use written: …, spoken: …, note: …)")
        if "written" in raw or "spoken" in raw:
            written, spoken, note = (str(raw.get(key, "")) for key in ("written", "spoken", "note"))
            entries.append(parse_entry(written, spoken, note, where))
        else:
            entries += [parse_entry(str(written), str(spoken), "", where) for written, spoken in raw.items()]
    return entries


def load_lexicon(book: Book) -> Lexicon:
    """The book's lexicon: its front matter's entries, then its side files'."""
    entries = front_matter_entries(book)
    for path in lexicon_files(book.source):
        entries += read_lexicon_file(path)
    return Lexicon(tuple(entries))
