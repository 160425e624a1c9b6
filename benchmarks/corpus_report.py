"""The corpus report (issue 32): every book of the shared corpus, read in every format it has -> docs/corpus.md.

Per edition: chapters and levels, words read, what was left out by kind (the source's own marks apart
from barkbook's judgement, each judged block listed), blocks read but worth a look ("check"), chapters
under 10 s or over 3 h, speakers, the share of short segments. Per Project Gutenberg book with an HTML
edition: whether the .txt reads as the HTML does (same chapters and titles, >= 99 % of the HTML's words),
the HTML's heading markup being the oracle no rule of ours wrote.

A column is a `Column` (header, how one `Measure` shows); a measure that needs the Book or its manifest
is a `PROBES` entry, run where the book is read (in the worker), its value kept in `Measure.probes`.

Every DOCX, ODT, RTF and PDF that benchmarks/convert_corpus.py made (in --conversions) is read too, and held
to the plain text (chapters and titles against the edition it was made from), segmenting skipped.

    PYTHONPATH=. python benchmarks/corpus_report.py [--corpus DIR] [--out docs/corpus.md] [--jobs 2] [--only TEXT]
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]  # this checkout's code
from convert_corpus import CACHE as CONVERSIONS, converted, corpus_sources  # noqa: E402

from tasks.manuscript.structure.headings import CHAPTER_WORD  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SHORT_CHAPTER_SECONDS = 10.0
LONG_CHAPTER_SECONDS = 3 * 3600.0
SHORT_SEGMENT_SECONDS = 2.0
MIN_WORDS_AGREEING = 0.99  # share of the HTML edition's words the .txt must read
CONVERTED_FORMS = ("docx", "odt", "rtf", "pdf")  # made by benchmarks/convert_corpus.py from the HTML or EPUB edition
MIN_WORDS_CONVERTED = {"docx": 0.99, "odt": 0.99, "rtf": 0.99, "pdf": 0.98}  # of the plain text's (or source's) words
MAX_JUDGED_SHARE = 0.005  # words left out by barkbook's judgement, of the book's words
NUMBER = re.compile(r"\d+|[ivxlcdm]+")  # a page number or a numeral, not a word of the book
NAMED_NUMBER = re.compile(rf"(?i)(?:{'|'.join(CHAPTER_WORD.values())})\s+(?P<number>[ivxlcdm]+|\d+)\.?")


@dataclass(frozen=True)
class Edition:
    """One file of the corpus: the book it is (folder or file stem), its format, its path."""

    book: str
    form: str  # txt, html, epub
    path: Path

    @property
    def name(self) -> str:
        return f"{self.book} ({self.form})"


@dataclass
class Measure:
    """What reading (and segmenting) one edition gave."""

    edition: Edition
    error: str | None = None
    chapters: list[str] = field(default_factory=list)
    levels: int = 0
    words: int = 0  # read: headings, leads and paragraphs
    marked: dict[str, int] = field(default_factory=dict)  # kind -> words the source marks as not the book
    judged: list[tuple[str, str, int, str]] = field(default_factory=list)  # (kind, where, words, sample)
    lost: int = 0  # words of the judged blocks that are read nowhere else in the book (numbers apart)
    checks: list[tuple[str, str, int, str]] = field(default_factory=list)  # read, but worth a look
    short_chapters: list[str] = field(default_factory=list)
    long_chapters: list[str] = field(default_factory=list)
    speakers: dict[str, int] = field(default_factory=dict)  # speaker -> segments
    segments: int = 0
    short_share: float = 0.0
    seconds: float = 0.0
    vocabulary: Counter = field(default_factory=Counter)  # words read, loosely
    probes: dict[str, str] = field(default_factory=dict)

    @property
    def judged_words(self) -> int:
        return sum(words for _, _, words, _ in self.judged)

    @property
    def book_words(self) -> int:
        return self.words + self.judged_words + sum(w for k, w in self.marked.items() if k != "boilerplate")

    @property
    def judged_share(self) -> float:
        return self.judged_words / self.book_words if self.book_words else 0.0

    @property
    def lost_share(self) -> float:
        return self.lost / self.book_words if self.book_words else 0.0


def unread_forms(book, manifest) -> str:
    """What the normalizer left unread in what Bark is given: digits, ':' '/' '^' between number words, and
    abbreviations of the language's table (tasks.text.normalize.leftovers), as a count and the first example."""
    from tasks.text.normalize import leftovers

    found = [left for spoken in manifest.spoken for left in leftovers(spoken, book.language)]
    return f"{len(found)}" + (f" ({found[0]})" if found else "")


# A probe measures something of a read book and its manifest in the worker: name -> fn(book, manifest) -> str.
PROBES: dict[str, Callable] = {"leftovers": unread_forms}


def loose(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.lower()).split())


# --- finding and measuring editions --------------------------------------------------------------


def find_editions(corpus: Path, conversions: Path | None = None) -> list[Edition]:
    """gutenberg/*/ as .txt and .htm, standardebooks/*.epub, books/* (the corpus test's eleven), and each book's
    DOCX, ODT, RTF and PDF where benchmarks/convert_corpus.py has made them in `conversions`."""
    editions = []
    for folder in sorted((corpus / "gutenberg").glob("*/")):
        editions += [Edition(f"gutenberg/{folder.name}", "txt", p) for p in sorted(folder.glob("*.txt"))[:1]]
        editions += [Edition(f"gutenberg/{folder.name}", "html", p) for p in sorted(folder.glob("*.htm*"))[:1]]
    editions += [Edition(f"standardebooks/{p.stem}", "epub", p) for p in sorted((corpus / "standardebooks").glob("*.epub"))]
    editions += [Edition(f"books/{p.stem}", p.suffix[1:], p) for p in sorted((corpus / "books").glob("*"))
                 if p.suffix in (".txt", ".epub")]
    return editions + (converted_editions(corpus, conversions) if conversions else [])


def converted_editions(corpus: Path, conversions: Path) -> list[Edition]:
    return [Edition(source.book, form, path) for source in corpus_sources(corpus) for form in CONVERTED_FORMS
            if (path := converted(conversions, source, form))]


def measure(edition: Edition, segment: bool = True) -> Measure:
    """Read (and segment) one edition; a refusal or a crash is recorded, never raised."""
    from tasks.core.errors import BarkbookError
    from tasks.manuscript.ingest import read_manuscript

    result = Measure(edition)
    start = time.perf_counter()
    try:
        book = read_manuscript(edition.path)
        describe_book(result, book)
        if segment:
            describe_manifest(result, book)
    except BarkbookError as err:
        result.error = f"refused: {err}"
    except Exception as err:  # noqa: BLE001 - a crash on a real book is what this report exists to show
        frame = traceback.extract_tb(err.__traceback__)[-1]
        result.error = f"crash: {type(err).__name__}: {err} ({Path(frame.filename).name}:{frame.lineno})"
    result.seconds = time.perf_counter() - start
    return result


def describe_book(result: Measure, book) -> None:
    result.chapters = [c.title for c in book.chapters]
    result.levels = 1 + max((len(getattr(c, "parts", ())) for c in book.chapters), default=0)
    texts = [t for c in book.chapters for t in [*c.lead, *c.spoken_headings, *c.paragraphs]]
    result.words = sum(len(t.split()) for t in texts)
    result.vocabulary = Counter(w for t in texts for w in loose(t).split())
    for s in book.skipped:
        if s.marked:
            result.marked[s.kind] = result.marked.get(s.kind, 0) + s.words
        else:
            result.judged.append((s.kind, s.where, s.words, s.sample))
            result.lost += sum(1 for w in loose(s.text).split() if not result.vocabulary[w] and not NUMBER.fullmatch(w))
    result.checks = [(c.kind, c.where, c.words, c.sample) for c in getattr(book, "doubts", [])]


def describe_manifest(result: Measure, book) -> None:
    from tasks.text.lexicon import load_lexicon
    from tasks.text.segment import segment_book

    manifest = segment_book(book, lexicon=load_lexicon(book))
    seconds = manifest.groupby("chapter_index").seconds.sum()
    for index, chapter in enumerate(book.chapters):
        speech = float(seconds.get(index, 0.0))
        if speech < SHORT_CHAPTER_SECONDS:
            result.short_chapters.append(f"{chapter.title} ({speech:.0f} s)")
        elif speech > LONG_CHAPTER_SECONDS:
            result.long_chapters.append(f"{chapter.title} ({speech / 3600:.1f} h)")
    result.speakers = dict(Counter(manifest.speaker).most_common())
    result.segments = len(manifest)
    result.short_share = float((manifest.seconds < SHORT_SEGMENT_SECONDS).mean()) if len(manifest) else 0.0
    result.probes = {name: str(probe(book, manifest)) for name, probe in PROBES.items()}


def measure_all(editions: list[Edition], jobs: int, segment: Callable[[Edition], bool] = lambda e: True) -> list[Measure]:
    """Every edition measured, `jobs` at a time, in the editions' order."""
    if jobs <= 1:
        return [measure(e, segment(e)) for e in editions]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(measure, editions, [segment(e) for e in editions]))


# --- the .txt against the HTML edition -----------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    """How the .txt reads against the HTML edition of the same book."""

    book: str
    text_chapters: int
    html_chapters: int
    titles: float  # share of the HTML's chapter titles the .txt gives, in order
    words: float  # share of the HTML's words the .txt reads

    @property
    def agrees(self) -> bool:
        return self.text_chapters == self.html_chapters and self.titles == 1.0 and self.words >= MIN_WORDS_AGREEING


def title_key(title: str) -> str:
    """A chapter's own title, loosely: its parts left off, and a bare number named in the book's language
    ('Part I, Chapter III', which the structure engine says for a numeral under a part) the same as 'III'."""
    own = title.split(", ")[-1] if title else ""
    named = NAMED_NUMBER.fullmatch(own.strip())
    return loose(named.group("number") if named else own)


def agreement(text: Measure, html: Measure) -> Agreement:
    want, got = [title_key(t) for t in html.chapters], [title_key(t) for t in text.chapters]
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    titles = sum(block.size for block in matcher.get_matching_blocks()) / len(want) if want else 0.0
    total = sum(html.vocabulary.values())
    words = sum(min(n, text.vocabulary[w]) for w, n in html.vocabulary.items()) / total if total else 0.0
    return Agreement(text.edition.book, len(text.chapters), len(html.chapters), titles, words)


def agreements(measures: list[Measure]) -> list[Agreement]:
    by_book: dict[str, dict[str, Measure]] = {}
    for m in measures:
        by_book.setdefault(m.edition.book, {})[m.edition.form] = m
    return [agreement(forms["txt"], forms["html"]) for forms in by_book.values()
            if {"txt", "html"} <= forms.keys() and not forms["txt"].error and not forms["html"].error]


@dataclass(frozen=True)
class FormatAgreement:
    """How a converted edition (DOCX, ODT, RTF, PDF) reads against the edition it was made from and the .txt."""

    book: str
    form: str
    chapters: int
    of_source: Agreement  # against the HTML or EPUB edition it was made from
    of_text: Agreement | None  # against the plain text (None: the book has no .txt)

    @property
    def words(self) -> float:
        """The words it is held to: the plain text's where the book has one, else its source's."""
        return (self.of_text or self.of_source).words

    @property
    def same_chapters(self) -> bool:
        """The chapters and titles of its source, or of the plain text (a PDF or a line-per-paragraph ODT reads
        a contents list and poems' numbers as the .txt does)."""
        return any(a is not None and a.text_chapters == a.html_chapters and a.titles == 1.0
                   for a in (self.of_source, self.of_text))

    @property
    def agrees(self) -> bool:
        return self.same_chapters and self.words >= MIN_WORDS_CONVERTED[self.form]


def format_agreements(measures: list[Measure]) -> list[FormatAgreement]:
    """Every converted edition against its source (the HTML or EPUB edition) and the book's .txt."""
    by_book: dict[str, dict[str, Measure]] = {}
    for m in measures:
        by_book.setdefault(m.edition.book, {})[m.edition.form] = m
    out = []
    for forms in by_book.values():
        source = forms.get("html") or forms.get("epub")
        text = forms.get("txt")
        for form in CONVERTED_FORMS:
            made = forms.get(form)
            if made is None or source is None or made.error or source.error:
                continue
            out.append(FormatAgreement(made.edition.book, form, len(made.chapters), agreement(made, source),
                                       agreement(made, text) if text and not text.error else None))
    return out


# --- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    show: Callable[[Measure], str]


def top_speakers(m: Measure, n: int = 4) -> str:
    named = [f"{k} {v}" for k, v in m.speakers.items()][:n]
    more = len(m.speakers) - n
    return ", ".join(named) + (f" (+{more})" if more > 0 else "")


def kinds(words: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(words.items(), key=lambda kv: -kv[1]))


def judged_kinds(m: Measure) -> str:
    words: Counter = Counter()
    for kind, _, n, _ in m.judged:
        words[kind] += n
    return kinds(words)


COLUMNS: list[Column] = [
    Column("edition", lambda m: m.edition.name),
    Column("chapters", lambda m: str(len(m.chapters))),
    Column("levels", lambda m: str(m.levels)),
    Column("words read", lambda m: f"{m.words:,}"),
    Column("left out by judgement", lambda m: f"{m.judged_words:,} ({m.judged_share:.2%})" + (
        f": {judged_kinds(m)}" if m.judged else "")),
    Column("of those, read nowhere", lambda m: f"{m.lost:,} ({m.lost_share:.2%})"),
    Column("left out as marked", lambda m: kinds(m.marked)),
    Column("check", lambda m: str(len(m.checks))),
    Column("< 10 s / > 3 h", lambda m: f"{len(m.short_chapters)} / {len(m.long_chapters)}"),
    Column("speakers", top_speakers),
    Column("short segments", lambda m: f"{m.short_share:.1%}" if m.segments else "–"),
    Column("left unread (digits, abbreviations)", lambda m: m.probes.get("leftovers", "–")),
    Column("s", lambda m: f"{m.seconds:.1f}"),
]


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)] + [
        "| " + " | ".join(cell(c) for c in row) + " |" for row in rows]


@dataclass(frozen=True)
class Summary:
    editions: int
    crashes: int
    refusals: int
    html_books: int
    agreeing: int
    judged_words: int
    over_budget: int  # editions leaving out more than MAX_JUDGED_SHARE by judgement
    lost_words: int  # of those, the words read nowhere else in their book
    lost_over_budget: int
    seconds: float

    def lines(self) -> list[str]:
        return [f"- editions read: {self.editions}; crashes: {self.crashes}; refused: {self.refusals}",
                f"- .txt agreeing with its HTML edition: {self.agreeing} of {self.html_books}",
                f"- words left out by judgement: {self.judged_words:,}; editions over "
                f"{MAX_JUDGED_SHARE:.1%}: {self.over_budget}",
                f"- of those, words read nowhere else in their book: {self.lost_words:,}; editions over "
                f"{MAX_JUDGED_SHARE:.1%}: {self.lost_over_budget}",
                f"- time: {self.seconds:.0f} s of reading and segmenting (summed over editions)"]


def summarize(measures: list[Measure], agreed: list[Agreement]) -> Summary:
    return Summary(len(measures), sum(bool(m.error and m.error.startswith("crash")) for m in measures),
                   sum(bool(m.error and m.error.startswith("refused")) for m in measures), len(agreed),
                   sum(a.agrees for a in agreed), sum(m.judged_words for m in measures),
                   sum(m.judged_share > MAX_JUDGED_SHARE for m in measures), sum(m.lost for m in measures),
                   sum(m.lost_share > MAX_JUDGED_SHARE for m in measures), sum(m.seconds for m in measures))


def report(measures: list[Measure], before: list[str] | None = None) -> str:
    """docs/corpus.md: summary, the .txt against the HTML, every edition, then the lists behind the counts."""
    agreed = agreements(measures)
    lines = ["# The corpus, read", "", "Written by `benchmarks/corpus_report.py` (issue 32): every book of "
             "`../shared/corpus/` in every format it has. \"Left out as marked\": the source itself says it is "
             "not the book (Project Gutenberg's header, license and credits, `[Footnote]`/`[Illustration]`, "
             "EPUB `epub:type`, page numbers); \"by judgement\": barkbook's reading decided it, each block "
             "listed below.", "", "## Summary", "", *summarize(measures, agreed).lines(), ""]
    if before:
        lines += ["Before this work (the code of issue 32's start):", "", *before, ""]
    lines += ["## The .txt against PG's HTML edition", "",
              *table(["book", ".txt chapters", "HTML chapters", "titles", "words", "agree"],
                     [[a.book, str(a.text_chapters), str(a.html_chapters), f"{a.titles:.0%}", f"{a.words:.2%}",
                       "yes" if a.agrees else "**no**"] for a in agreed]), ""]
    converted = format_agreements(measures)
    if converted:
        lines += ["## Every format against the plain text", "",
                  "DOCX, ODT and RTF made by pandoc and PDF by Chromium (`benchmarks/convert_corpus.py`) from the HTML "
                  "or EPUB edition: chapters and titles against that edition and the plain text, words against the "
                  "plain text's (the source's where there is no .txt); agreeing needs the chapters and titles of "
                  "either and "
                  f"{MIN_WORDS_CONVERTED['docx']:.0%} of the words ({MIN_WORDS_CONVERTED['pdf']:.0%} for PDF).", "",
                  *format_summary(converted), "",
                  *table(["book", "format", "chapters", "source's (titles)", ".txt's (titles)", "words of the .txt",
                          "words of the source", "agree"],
                         [[a.book, a.form, str(a.chapters), f"{a.of_source.html_chapters} ({a.of_source.titles:.0%})",
                           f"{a.of_text.html_chapters} ({a.of_text.titles:.0%})" if a.of_text else "–",
                           f"{a.of_text.words:.2%}" if a.of_text else "–", f"{a.of_source.words:.2%}",
                           "yes" if a.agrees else "**no**"] for a in converted]), ""]
    lines += ["## Every edition", "", *table([c.header for c in COLUMNS],
                                            [[c.show(m) for c in COLUMNS] for m in measures if not m.error]), ""]
    errors = [m for m in measures if m.error]
    if errors:
        lines += ["## Refused or crashed", "", *[f"- {m.edition.name}: {m.error}" for m in errors], ""]
    lines += section("Left out by judgement", [(m, j) for m in measures for j in m.judged])
    lines += section("Check (read, but worth a look)", [(m, c) for m in measures for c in m.checks])
    lines += ["## Chapters under 10 s or over 3 h", ""] + [
        f"- {m.edition.name}: {t}" for m in measures for t in m.short_chapters + m.long_chapters] + [""]
    return "\n".join(lines)


def format_summary(converted: list[FormatAgreement]) -> list[str]:
    """One line per format: how many editions agree, and the lowest word share."""
    lines = []
    for form in CONVERTED_FORMS:
        rows = [a for a in converted if a.form == form]
        if rows:
            lines.append(f"- {form}: {sum(a.agrees for a in rows)} of {len(rows)} agree; same chapters "
                         f"{sum(a.same_chapters for a in rows)}; words at least "
                         f"{min(a.words for a in rows):.2%}")
    return lines


def section(title: str, items: list[tuple[Measure, tuple[str, str, int, str]]]) -> list[str]:
    return [f"## {title}", "", *table(["edition", "kind", "where", "words", "first words"],
                                      [[m.edition.name, k, w, str(n), s] for m, (k, w, n, s) in items]), ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "corpus.md")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--only", default="", help="only editions whose name holds this text")
    parser.add_argument("--before", type=Path, help="a summary (lines) to quote as the figures before")
    parser.add_argument("--conversions", type=Path, default=CONVERSIONS,
                        help="benchmarks/convert_corpus.py's cache: its DOCX, ODT, RTF and PDF editions are read too")
    args = parser.parse_args()
    editions = [e for e in find_editions(args.corpus, args.conversions) if args.only in e.name]
    start = time.perf_counter()
    measures = measure_all(editions, args.jobs, lambda e: e.form not in CONVERTED_FORMS)
    before = args.before.read_text().splitlines() if args.before else None
    args.out.write_text(report(measures, before) + "\n", encoding="utf-8")
    print("\n".join(summarize(measures, agreements(measures)).lines() + format_summary(format_agreements(measures))))
    print(f"- wall: {time.perf_counter() - start:.0f} s with {args.jobs} jobs; written to {args.out}")
    sys.exit(0)


if __name__ == "__main__":
    main()
