"""Segmenting speed and memory on a novel-sized book (issue 17: 220,000 words in under 20 s and 300 MB).

The book is built from real manuscripts (default: the corpus under tests/corpus/books/, else
manuscripts/), their chapters repeated until the word count is reached, so the prose is real and
the size is a long novel's. Prints the word count, seconds of segment_book alone (wall and CPU: on a
shared machine the CPU time is the steadier number), the process's
peak resident memory (everything imported included) and the share of segments under 2 s.

    PYTHONPATH=. python benchmarks/bench_segment.py [MANUSCRIPT ...] [--words 220000]
"""

from __future__ import annotations

import argparse
import itertools
import resource
import sys
import time
from pathlib import Path

from tasks.manuscript.book import Book, Chapter
from tasks.core.errors import BarkbookError
from tasks.manuscript.ingest import read_manuscript
from tasks.text.lexicon import load_lexicon
from tasks.text.segment import segment_book

REPO = Path(__file__).resolve().parents[1]


def default_sources() -> list[Path]:
    corpus = REPO / "tests" / "corpus" / "books"
    books = sorted(p for p in corpus.iterdir() if p.suffix in {".txt", ".md", ".epub"}) if corpus.is_dir() else []
    return books or sorted((REPO / "manuscripts").glob("*.md"))


def novel(sources: list[Path], words: int) -> Book:
    """Chapters of the sources, repeated in order until the book holds `words` words."""
    chapters = []
    for source in sources:
        try:
            chapters += [c for c in read_manuscript(source).chapters if c.paragraphs]
        except BarkbookError as err:
            print(f"skipped: {err}", file=sys.stderr)
    book, total = Book("Benchmark novel", "Various", []), 0
    for chapter in itertools.cycle(chapters):
        if total >= words:
            break
        book.chapters.append(Chapter(chapter.title, list(chapter.paragraphs), chapter.headings))
        total += sum(len(p.split()) for p in chapter.paragraphs)
    return book


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", type=Path)
    parser.add_argument("--words", type=int, default=220_000)
    args = parser.parse_args()
    book = novel(args.sources or default_sources(), args.words)
    words = sum(len(p.split()) for c in book.chapters for p in c.paragraphs)
    start, cpu = time.perf_counter(), time.process_time()
    manifest = segment_book(book, lexicon=load_lexicon(book))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    short = float((manifest.seconds < 2.0).mean()) * 100
    print(f"{words} words, {len(book.chapters)} chapters -> {len(manifest)} segments "
          f"({short:.1f} % under 2 s): {seconds:.1f} s ({cpu:.1f} s CPU), peak RSS {peak_mb:.0f} MB")
    sys.exit(0)


if __name__ == "__main__":
    main()
