"""Real public-domain books, read the way a narrator would read them (issue 17, points 1-3, 5, 7, 9).

Each book in tests/corpus/books/ has a ground truth in tests/corpus/expected/<book>.json, written by
reading the book itself (its contents list, headings and boilerplate), never from our output:
chapter titles, metadata, phrases that must never be spoken, sentences that must be read, and
where the body lies in the file. The body's words are counted here by a small oracle of its own
(plain regex over line ranges for text, lxml over document/anchor ranges for EPUB), so the
"≥ 99.5 % of the body kept" check does not lean on the ingest code it judges.

The books come from public repositories (tests/corpus/SOURCES.md). When the folder is absent
(e.g. a checkout without the data) every test here is skipped with the reason; BARKBOOK_CORPUS
may point at another copy.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from corpus.make_encodings import derive
from tasks.manuscript.ingest import read_manuscript
from tasks.text.lexicon import load_lexicon
from tasks.text.segment import NARRATOR, segment_book

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = CORPUS / "expected"
ROOT = Path(__file__).resolve().parent.parent


def corpus_books() -> Path | None:
    """The books folder: $BARKBOOK_CORPUS, ../shared/corpus/books beside the checkout (CI has it), or a local copy."""
    candidates = [os.environ.get("BARKBOOK_CORPUS"), ROOT.parent / "shared" / "corpus" / "books",
                  ROOT / "shared" / "corpus" / "books", CORPUS / "books"]
    return next((Path(c) for c in candidates if c and (Path(c) / "alice_pg11.txt").is_file()), None)


BOOKS = corpus_books()
if BOOKS is None and os.environ.get("CI") == "true":
    raise RuntimeError("CI=true but the corpus books are not at ../shared/corpus/books (or $BARKBOOK_CORPUS): "
                       "the corpus test must run in CI, not skip")
if BOOKS is None:
    pytest.skip("the corpus books are not here: fetched texts are not committed, so they are read from "
                "$BARKBOOK_CORPUS, tests/corpus/books or shared/corpus/books beside the checkout "
                "(tests/corpus/SOURCES.md lists each file with its source and sha256)", allow_module_level=True)

NAMES = sorted(p.stem for p in EXPECTED.glob("*.json"))
MIN_KEPT = 0.995  # share of the body's words that must reach the manifest
MAX_SHORT_SHARE = 0.03  # issue 17 point 7: segments under 2 s, goal under 3 % on every corpus book
SHORT_SECONDS = 2.0


def loose(text: str) -> str:
    """Comparison key: lower case, punctuation (and PG's _italic_ marks) gone, whitespace collapsed."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.lower()).split())


def contains(haystack: str, needle: str) -> bool:
    """Whole-word containment under the loose key."""
    return f" {loose(needle)} " in f" {haystack} "


# --- the independent oracle: where the body is, and its words ------------------------------------

def text_body(path: Path, spec: dict) -> str:
    """A .txt book's body: its line ranges (1-based, inclusive) less heading lines and excluded paragraphs."""
    lines = path.read_bytes().decode(spec["encoding"]).replace("\r\n", "\n").split("\n")
    skip = set(spec.get("heading_lines", []))
    kept = [lines[n - 1] if n not in skip else "" for a, b in spec["ranges"] for n in range(a, b + 1)]
    paragraphs = re.split(r"\n\s*\n", "\n".join(kept))
    dropped = re.compile(spec["exclude_paragraphs"]) if spec.get("exclude_paragraphs") else None
    return "\n\n".join(p for p in paragraphs if not (dropped and dropped.match(p)))


BLOCKS = {"p", "div", "li", "br", "td", "h1", "h2", "h3", "h4", "h5", "h6", "section", "blockquote"}  # end with a space


def element_text(element, start: str | None, stop: str | None, excluded: set) -> str:
    """Text in document order from the element with id `start` up to (not into) the one with id `stop`."""
    out: list[str] = []
    on = start is None

    def walk(node):
        nonlocal on
        if not isinstance(node.tag, str) or node in excluded:  # comments; excluded subtrees (their tails stay)
            return
        if node.get("id") is not None:
            on = (on or node.get("id") == start) and node.get("id") != stop
        if node.text and on:
            out.append(node.text)
        for child in node:
            walk(child)
            if child.tail and on:
                out.append(child.tail)
        if etree.QName(node).localname in BLOCKS:
            out.append(" ")

    walk(element)
    return "".join(out)


def epub_body(path: Path, spec: dict) -> str:
    """An EPUB's body: the listed documents (or anchor ranges within them) less the excluded elements."""
    namespaces = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
    texts = []
    with zipfile.ZipFile(path) as archive:
        for part in spec["parts"]:
            root = etree.fromstring(archive.read(part["doc"]), etree.XMLParser(recover=True, resolve_entities=False))
            excluded = {e for xpath in spec["exclude_xpath"] for e in root.xpath(xpath, namespaces=namespaces)}
            body = root.find("h:body", namespaces)
            texts.append(element_text(body, part.get("from"), part.get("until"), excluded))
    return "\n\n".join(texts)


@functools.cache
def body_text(name: str) -> str:
    spec = expected(name)["body"]
    reader = text_body if spec["kind"] == "text" else epub_body
    return reader(BOOKS / expected(name)["file"], spec)


# --- what our pipeline makes of each book (once per book) ----------------------------------------

@functools.cache
def expected(name: str) -> dict:
    return json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))


@functools.cache
def pipeline(name: str):
    """(book, manifest) for one corpus book, with the default note policy (notes not read)."""
    book = read_manuscript(BOOKS / expected(name)["file"])
    return book, segment_book(book, lexicon=load_lexicon(book))


def read_text(manifest) -> str:
    """Everything the manifest will read, source text and spoken text, under the loose key."""
    return loose(" ".join(manifest.text) + " " + " ".join(manifest.spoken))


def title_matches(got: str, want: str | list[str]) -> bool:
    """A title (book, author or chapter) against the book's own; a list gives the spellings the book itself uses."""
    return loose(got) in {loose(w) for w in ([want] if isinstance(want, str) else want)}


# --- the ground truth agrees with the book (no product code involved) ---------------------------

@pytest.mark.parametrize("name", NAMES)
def test_expectations_agree_with_the_book(name):
    truth = expected(name)
    assert hashlib.sha256((BOOKS / truth["file"]).read_bytes()).hexdigest() == truth["sha256"], "not the recorded copy"
    body = loose(body_text(name))
    assert [s for s in truth["body_samples"] if not contains(body, s)] == []
    assert [p for p in truth["never_spoken"] if contains(body, p)] == []
    assert len(body.split()) > 1000


# --- the pipeline against the ground truth -------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_chapter_titles_follow_the_books_own_contents(name):
    book, _ = pipeline(name)
    got, want = [c.title for c in book.chapters], expected(name)["chapters"]
    assert len(got) == len(want), f"{len(got)} chapters, the book has {len(want)}: {got}"
    assert [(g, w) for g, w in zip(got, want) if not title_matches(g, w)] == []


@pytest.mark.parametrize("name", NAMES)
def test_title_author_and_language_come_from_the_book(name):
    book, _ = pipeline(name)
    truth = expected(name)
    assert title_matches(book.title, truth["title"]), book.title
    assert title_matches(book.author, truth["author"]), book.author
    assert book.language.split("-")[0].lower() == truth["language"]


@pytest.mark.parametrize("name", NAMES)
def test_boilerplate_and_front_and_back_matter_are_never_spoken(name):
    _, manifest = pipeline(name)
    said = read_text(manifest)
    assert [p for p in expected(name)["never_spoken"] if contains(said, p)] == []


@pytest.mark.parametrize("name", NAMES)
def test_body_sentences_are_read(name):
    _, manifest = pipeline(name)
    read = loose(" ".join(manifest.text))
    assert [s for s in expected(name)["body_samples"] if not contains(read, s)] == []


@pytest.mark.parametrize("name", NAMES)
def test_body_words_are_kept(name):
    _, manifest = pipeline(name)
    want = Counter(loose(body_text(name)).split())
    got = Counter(loose(" ".join(manifest.text)).split())
    kept = sum(min(n, got[w]) for w, n in want.items()) / sum(want.values())
    missing = sorted(((want[w] - got[w], w) for w in want if got[w] < want[w]), reverse=True)[:10]
    assert kept >= MIN_KEPT, f"{kept:.2%} of the body's words kept; most missing: {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_no_digit_is_spoken(name):
    _, manifest = pipeline(name)
    digits = [s for s in manifest.spoken if re.search(r"\d", s)]
    assert digits == [], f"{len(digits)} segments speak digits, e.g. {digits[:5]}"


@pytest.mark.parametrize("name", NAMES)
def test_short_segments_are_rare(name):
    """ISSUE 17 POINT 7 GOAL: under 3 % of segments shorter than 2 s (the share is printed per book), not
    counting a short line of dialogue that is a whole paragraph ('“No.”'): issue 33 gives each speaker
    their own segments, so such a line can join nothing without giving two speakers one voice; nor a
    chapter's spoken heading, which is read alone so that the pause after it stays ('IV. Death by Water')."""
    book, manifest = pipeline(name)
    short = manifest.seconds < SHORT_SECONDS
    alone = manifest.groupby(["chapter_index", "paragraph_index"]).id.transform("size") == 1
    spoken_line = (manifest.speaker != NARRATOR) | manifest.text.str.match(r"[“\"‘'«»„—–-]")  # a first-person 'said I'
    whole_line = short & alone & spoken_line
    headings = {(i, h) for i, chapter in enumerate(book.chapters) for h in chapter.spoken_headings}
    heading = short & manifest.index.isin([k for k, i, t in zip(manifest.index, manifest.chapter_index, manifest.text)
                                           if (i, t) in headings])
    share = float((short & ~whole_line & ~heading).mean())
    print(f"{name}: {share:.1%} of {len(manifest)} segments under {SHORT_SECONDS:g} s "
          f"(and {whole_line.mean():.1%} whole short lines of dialogue, {heading.mean():.1%} headings)")
    assert share < MAX_SHORT_SHARE


# --- one real book in the encodings and line ends readers meet -----------------------------------

@pytest.fixture(scope="module")
def alice_copies(tmp_path_factory) -> dict[str, Path]:
    return derive(tmp_path_factory.mktemp("encodings"), BOOKS)


@pytest.mark.parametrize("copy", ["alice_pg11_utf16.txt", "alice_pg11_cp1252.txt", "alice_pg11_utf8_lf.txt"])
def test_a_re_encoded_copy_reads_as_the_original(copy, alice_copies):
    original, _ = pipeline("alice_pg11")
    book = read_manuscript(alice_copies[copy])
    assert (book.title, book.author, book.language) == (original.title, original.author, original.language)
    assert [(c.title, c.paragraphs) for c in book.chapters] == [(c.title, c.paragraphs) for c in original.chapters]
