"""The corpus's books in the formats people hand in (issue 35): each Project Gutenberg HTML edition and each
Standard Ebooks EPUB of ../shared/corpus converted to DOCX, ODT and RTF by pandoc and to PDF by Chromium
(print to PDF, with its document outline), into a cache folder outside the repository. The corpus report
(benchmarks/corpus_report.py) reads them beside the .txt and HTML editions; tests/test_corpus_formats.py
converts a few books of different shapes the same way.

    PYTHONPATH=. python benchmarks/convert_corpus.py [--cache DIR] [--only TEXT] [--jobs 2]

The corpus's HTML editions were copied without their pictures, so their <img> tags are taken out before
converting: pandoc and Chromium would otherwise print a missing picture's alt text ('0029m') as words of the
book, which no real document holds; so are PG's page-number marks (class "pagenum"), whose class pandoc drops. Needs Debian's `pandoc` and `chromium` (nothing in the product runs them). A converted file is kept while
its source and the converter's version are unchanged (its name carries their key), so a second run converts
nothing; converted books are never committed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
CACHE = Path(os.environ.get("BARKBOOK_CONVERSIONS", Path.home() / ".cache" / "barkbook" / "corpus-formats"))
FORMATS = ("docx", "odt", "rtf", "pdf")
PANDOC_FORMATS = ("docx", "odt", "rtf")
CONVERT_SECONDS = 300
PREPARATION = "img-pagenum-out-2"  # what prepared_source does: a new value converts every book again
IMG = re.compile(rb"<img\b[^>]*>", re.I)
PAGE_NUMBER = re.compile(  # PG's printed-page marks ('<span class="pagenum">p. 1</span>'), read by no narrator
    rb"<(span|div)\b[^>]*\bclass=[\"'][^\"']*\bpage-?(?:num|no)\b[^>]*>.*?</\1>", re.I | re.S)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"


@dataclass(frozen=True)
class Source:
    """A book to convert: its name in the corpus report ('gutenberg/36-war-of-the-worlds') and its file."""

    book: str
    path: Path


def corpus_sources(corpus: Path) -> list[Source]:
    """Every PG HTML edition and every Standard Ebooks EPUB."""
    sources = [Source(f"gutenberg/{folder.name}", html) for folder in sorted((corpus / "gutenberg").glob("*/"))
               for html in sorted(folder.glob("*.htm*"))[:1]]
    return sources + [Source(f"standardebooks/{p.stem}", p) for p in sorted((corpus / "standardebooks").glob("*.epub"))]


def tool_version(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout.splitlines()[0].strip()
    except (OSError, IndexError, subprocess.SubprocessError):
        return "missing"


def converted_path(cache: Path, source: Source, form: str, version: str) -> Path:
    """Where a conversion lives: named by the book, and keyed by the source's bytes, the converter's version and
    this script's preparation of the source."""
    key = hashlib.sha256(source.path.read_bytes() + version.encode() + PREPARATION.encode()).hexdigest()[:12]
    return cache / source.book / f"{source.path.stem}-{key}.{form}"


def converted(cache: Path, source: Source, form: str) -> Path | None:
    """The newest conversion of `source` to `form` in the cache, whatever converter made it (None: none)."""
    found = sorted((cache / source.book).glob(f"{source.path.stem}-*.{form}"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def convert(source: Source, form: str, target: Path) -> None:
    """One conversion, written whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / target.name
        source = prepared_source(source, Path(scratch))
        if form == "pdf":
            pdf_command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           f"--user-data-dir={scratch}/profile", "--generate-pdf-document-outline",
                           f"--print-to-pdf={out}", source_url(source, Path(scratch))]
            subprocess.run(pdf_command, capture_output=True, timeout=CONVERT_SECONDS, check=True)
        else:
            reader = "epub" if source.path.suffix == ".epub" else "html"
            subprocess.run(["pandoc", "-s", "-f", reader, "-t", form, "-o", str(out), str(source.path)],
                           capture_output=True, timeout=CONVERT_SECONDS, check=True)
        if not out.exists() or out.stat().st_size == 0:
            raise RuntimeError(f"{form} of {source.path.name}: nothing written")
        for stale in target.parent.glob(f"{source.path.stem}-*.{form}"):
            stale.unlink()
        shutil.move(out, target)


def prepared_source(source: Source, scratch: Path) -> Source:
    """An HTML edition without its <img> tags (the corpus has no pictures) and PG's page-number marks (class
    "pagenum": the HTML reader leaves them out by that class, which pandoc drops, gluing 'p. 1' to the heading after
    it, a mark no manuscript holds); an EPUB as it is."""
    if source.path.suffix == ".epub":
        return source
    page = scratch / source.path.name
    page.write_bytes(PAGE_NUMBER.sub(b"", IMG.sub(b"", source.path.read_bytes())))
    return Source(source.book, page)


def source_url(source: Source, scratch: Path) -> str:
    """What Chromium prints: the HTML itself, or an EPUB's documents joined into one page by pandoc."""
    if source.path.suffix != ".epub":
        return source.path.resolve().as_uri()
    page = scratch / "book.html"
    subprocess.run(["pandoc", "-s", "-f", "epub", "-t", "html5", "-o", str(page), str(source.path)],
                   capture_output=True, timeout=CONVERT_SECONDS, check=True)
    return page.as_uri()


def convert_all(sources: list[Source], cache: Path, jobs: int = 2, forms: tuple[str, ...] = FORMATS) -> list[str]:
    """Every missing conversion made, `jobs` at a time; one line per failure."""
    versions = {"pandoc": tool_version(["pandoc", "--version"]), "pdf": tool_version([CHROMIUM, "--version"])}
    work = [(s, f, converted_path(cache, s, f, versions["pdf" if f == "pdf" else "pandoc"]))
            for s in sources for f in forms]
    todo = [(s, f, t) for s, f, t in work if not t.exists()]

    def attempt(item) -> str | None:
        source, form, target = item
        try:
            convert(source, form, target)
        except (OSError, RuntimeError, subprocess.SubprocessError) as err:
            return f"{source.book} ({form}): {type(err).__name__}: {err}"
        return None

    with ThreadPoolExecutor(max(jobs, 1)) as pool:
        return [failure for failure in pool.map(attempt, todo) if failure]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--only", default="", help="only books whose name holds this text")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    sources = [s for s in corpus_sources(args.corpus) if args.only in s.book]
    started = time.perf_counter()
    failures = convert_all(sources, args.cache, args.jobs)
    print("\n".join(failures) or "every conversion made")
    print(f"{len(sources)} books x {len(FORMATS)} formats in {args.cache}: {time.perf_counter() - started:.0f} s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
