"""The same book in every format reads the same (issue 35): a few corpus books of different shapes, converted
from their HTML or EPUB edition to DOCX, ODT and RTF by pandoc and to PDF by Chromium
(benchmarks/convert_corpus.py, into its cache outside the repository), each read as its source is: the same
chapters and titles (as its source or as the plain text reads them), and the plain text's words (99 %; 98 % for
PDF). docs/corpus.md holds the whole corpus.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from convert_corpus import (CACHE, CHROMIUM, FORMATS, Source, convert_all, converted, corpus_sources,  # noqa: E402
                            prepared_source)
from corpus_report import CORPUS, MIN_WORDS_CONVERTED, Edition, format_agreements, measure_all  # noqa: E402

BOOKS = ("gutenberg/1026-diary-of-a-nobody", "gutenberg/2542-a-dolls-house", "gutenberg/36-war-of-the-worlds",
         "gutenberg/13415-lady-with-the-dog", "gutenberg/2852-hound-of-the-baskervilles")
# a diary, a play with its cast, a novel in books with an epigraph and a contents list, stories, a novel
TOOLS = ("pandoc", CHROMIUM)

missing = [tool for tool in TOOLS if not shutil.which(tool)] + ([] if (CORPUS / "gutenberg").is_dir() else [str(CORPUS)])
if missing:
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true but {', '.join(missing)} missing: the formats' corpus check must run in CI")
    pytest.skip(f"needs {', '.join(missing)}", allow_module_level=True)


@functools.cache
def agreements() -> dict[tuple[str, str], object]:
    """The chosen books converted (once: kept in the cache) and read in every format, with their sources and .txt."""
    sources = [s for s in corpus_sources(CORPUS) if s.book in BOOKS]
    failures = convert_all(sources, CACHE)
    assert failures == []
    editions = []
    for source in sources:
        editions.append(Edition(source.book, "epub" if source.path.suffix == ".epub" else "html", source.path))
        editions += [Edition(source.book, "txt", p) for p in sorted(source.path.parent.glob("*.txt"))[:1]
                     if source.book.startswith("gutenberg/")]
        editions += [Edition(source.book, form, converted(CACHE, source, form)) for form in FORMATS]
    measures = measure_all(editions, 2, lambda e: False)
    assert [m.error for m in measures if m.error] == []
    return {(a.book, a.form): a for a in format_agreements(measures)}


CASES = [(book, form) for book in BOOKS for form in FORMATS]


@pytest.mark.parametrize("book, form", CASES)
def test_each_format_gives_the_chapters_of_its_source_or_of_the_plain_text(book, form):
    found = agreements()[(book, form)]
    assert found.same_chapters, (found.chapters, found.of_source, found.of_text)


@pytest.mark.parametrize("book, form", CASES)
def test_each_format_reads_the_plain_texts_words(book, form):
    found = agreements()[(book, form)]
    assert found.words >= MIN_WORDS_CONVERTED[form], f"{found.words:.2%}"


def test_pictures_and_pgs_page_number_marks_are_taken_out_before_converting(tmp_path):
    """pandoc drops class="pagenum", gluing 'p. 1' to the heading after it ('p. 1SONGS OF INNOCENCE')."""
    page = tmp_path / "b.htm"
    page.write_text('<h2><span class="pagenum">p.\n1</span>SONGS OF INNOCENCE</h2><p>Piping down <img src="a.jpg" '
                    'alt="0029m"/>the valleys wild.</p>', encoding="utf-8")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    prepared = prepared_source(Source("gutenberg/b", page), scratch).path.read_text(encoding="utf-8")
    assert prepared == "<h2>SONGS OF INNOCENCE</h2><p>Piping down the valleys wild.</p>"
