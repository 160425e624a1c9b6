"""EPUB -> Book: the spine is the reading order, the TOC (nav or NCX) cuts it into chapters.

The archive is checked before anything is parsed (epub_package), each document is read into
blocks that know whether a narrator reads them (epub_html), and chapters are the stretches of
the reading order between consecutive TOC targets (epub_chapters), fragment links included, so
a book in one XHTML file splits at its chapters' anchors. Policies, for a careful narrator:
- TOC entries named like front/back matter ("Contents", "Colophon", "Notes", the book's own
  title) are not chapters; a run of paragraphs that are each a link into the book is a contents
  list whatever it is called;
- documents the TOC does not list belong to the chapter before them (a chapter split over
  files lists only its first); before the first TOC entry they are front matter, read only when
  they have a heading and at least FRONT_MATTER_WORDS words (a preface the TOC forgot), or are
  marked as a dedication/epigraph (read at the start of the first chapter, before its heading);
- linear="no" documents are not read (counted as "non-linear"); notes in them still resolve;
- notes="skip" leaves footnotes/endnotes out (counted); notes="chapter-end" reads a chapter's
  notes after its text: a paragraph "Notes." and then each note it refers to, in order.
"""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

from tasks.manuscript.book import NOTES_POLICIES, Book, Chapter, Skipped, fail
from .chapters import (Flow, add_notes, build_chapters, entries_without_toc, mark_front_matter,
                             title_kind)
from .html import TYPE_KINDS, Block, Document, read_document
from .package import MAX_EPUB_BYTES, Package, check_epub_archive, check_not_encrypted, read_package
from .toc import TocEntry, read_landmarks, read_toc
from tasks.manuscript.gutenberg import is_credit, is_end_marker, is_start_marker

__all__ = ["MAX_EPUB_BYTES", "read_epub", "check_epub_archive"]

MIN_LIST_LINES = 3
def read_epub(path: Path, default_title: str, notes: str = "skip") -> Book:
    """An EPUB as a Book: chapters from its TOC in spine order, front/back matter and notes counted."""
    if notes not in NOTES_POLICIES:
        raise ValueError(f"notes must be one of {NOTES_POLICIES}, not {notes!r}")
    check_epub_archive(path)
    with zipfile.ZipFile(path) as archive:
        check_not_encrypted(path, archive)
        package = read_package(path, archive)
        toc = read_toc(package)
        flow = Flow(read_documents(path, package, reading_order(path, package, toc)))
        extra = read_documents(path, package, non_linear(package, flow))
        landmarks = read_landmarks(package)
    title = package.title or flow.hint("title") or default_title
    mark_gutenberg(flow)
    mark_landmarks(flow, landmarks, toc)
    mark_link_lists(flow)
    chapters = fold_opening(build_chapters(flow, chapter_entries(path, package, flow, toc, title), title))
    read_notes = add_notes(chapters, flow.docs + extra) if notes == "chapter-end" else set()
    if not chapters:
        raise fail(path, "has no text to read (every document is empty, an image, or front/back matter)")
    return make_book(path, title, package, flow, extra, [c for c, _ in chapters], read_notes)


def fold_opening(chapters: list[tuple[Chapter, list[str]]]) -> list[tuple[Chapter, list[str]]]:
    """An opening epigraph or dedication outside the TOC (the one chapter with no heading to announce)
    is read at the start of the first chapter, before its heading: the chapters stay the book's TOC."""
    if len(chapters) > 1 and chapters[0][0].headings == []:
        (opening, refs), (first, first_refs) = chapters[0], chapters[1]
        first.lead = opening.lead + opening.paragraphs + first.lead
        return [(first, refs + first_refs)] + chapters[2:]
    return chapters


def chapter_entries(path: Path, package: Package, flow: Flow, toc: list[TocEntry], title: str) -> list[TocEntry]:
    """Where chapters start: the TOC's entries that are not front/back matter, plus a preface it
    forgot; without a TOC, each document (with a warning)."""
    entries = mark_toc_titles(flow, [e for e in toc if e.path in flow.index], title)
    lost = [e.title for e in entries if e.fragment and e.fragment not in flow.docs[flow.index[e.path]].anchors]
    if lost:
        package.warnings.append(f"{path.name}: {len(lost)} table-of-contents entries point at missing anchors "
                                f"(first: {lost[0]!r}); they start at their document's start")
    if entries:
        return entries + mark_front_matter(flow, min(map(flow.position, entries)), title)
    if not toc:
        package.warnings.append(f"{path.name}: has no usable table of contents (nav or NCX); "
                                "chapters are its documents, titled by their headings")
    return entries_without_toc(flow, title)


def reading_order(path: Path, package: Package, toc: list[TocEntry]) -> list[str]:
    """The linear spine; without one, the TOC's documents in TOC order, else the manifest's."""
    if package.spine:
        return [doc for doc, linear in package.spine if linear]
    known = set(package.documents)
    order = list(dict.fromkeys(e.path for e in toc if e.path in known)) or list(package.documents)
    if not order:
        raise fail(path, "is not a readable EPUB (no spine and no content documents)")
    source = "table-of-contents" if toc else "manifest"
    package.warnings.append(f"{path.name}: has no usable spine (reading order); read in {source} order")
    return order


def read_documents(path: Path, package: Package, names: list[str]) -> list[Document]:
    docs = []
    for name in names:
        content = package.read(name)
        if content is None:
            package.warnings.append(f"{path.name}: {name} is listed but missing or unreadable; skipped")
        docs.append(read_document(name, content))
    return docs


def non_linear(package: Package, flow: Flow) -> list[str]:
    return [doc for doc, linear in package.spine if not linear and doc not in flow.index]


def mark_gutenberg(flow: Flow) -> None:
    """Project Gutenberg text outside its START/END markers (and its "Produced by" line) is boilerplate."""
    blocks = flow.blocks()
    start = next((i for i, b in enumerate(blocks) if is_start_marker(b.text)), None)
    end = next((i for i, b in enumerate(blocks) if is_end_marker(b.text)), None)
    if start is not None:
        flow.mark(blocks[: start + 1], "boilerplate", marked=True)
        credits = [b for b in blocks[start + 1: start + 6] if b.skip is None and is_credit(b.text)]
        flow.mark(credits, "boilerplate", marked=True)
    if end is not None:
        flow.mark(blocks[end:], "boilerplate", marked=True)


def mark_landmarks(flow: Flow, landmarks, toc: list[TocEntry]) -> None:
    """A landmark or guide entry typing a whole document as front/back matter skips it,
    unless the TOC finds chapters in it (a one-file book's guide may point at its only file)."""
    chapter_docs = {e.path for e in toc if title_kind(e.title) is None}
    skip_types = {t: kind for kind, names in TYPE_KINDS.items() if kind != "notes" for t in names}
    for types, doc_path, fragment in landmarks:
        kind = next((skip_types[t] for t in types if t in skip_types), None)
        if kind and not fragment and doc_path in flow.index and doc_path not in chapter_docs:
            flow.mark(flow.docs[flow.index[doc_path]].blocks, kind, marked=True)


def mark_link_lists(flow: Flow) -> None:
    """A run of MIN_LIST_LINES paragraphs that are each a link into the book is a contents list
    (with the heading just before it), whatever it is called."""
    blocks = [b for b in flow.blocks() if b.skip is None]
    runs = itertools.groupby(enumerate(blocks), key=lambda ib: ib[1].linked)
    for linked, run in runs:
        run = list(run)
        if linked and len(run) >= MIN_LIST_LINES:
            first = run[0][0]
            heading = [blocks[first - 1]] if first and blocks[first - 1].heading else []
            flow.mark(heading + [b for _, b in run], "contents")


def mark_toc_titles(flow: Flow, entries: list[TocEntry], book_title: str) -> list[TocEntry]:
    """TOC entries named like front/back matter ("Contents", "Colophon", "Notes", the book's title
    without chapters under it) are not chapters: their stretch is skipped (notes stay notes, so
    chapter-end notes still find them)."""
    ordered = sorted(entries, key=flow.position)
    kept = []
    for i, entry in enumerate(ordered):
        kind = title_kind(entry.title, "" if entry.has_children else book_title)
        if kind is None:
            kept.append(entry)
            continue
        end = flow.position(ordered[i + 1]) if i + 1 < len(ordered) else len(flow.blocks())
        stretch = flow.blocks()[flow.position(entry):end]
        flow.mark(contents_list(stretch) if kind == "contents" else stretch, kind)
    return kept


def contents_list(blocks: list[Block]) -> list[Block]:
    """The heading and list lines a contents stretch opens with; a preface after it is still read."""
    headings = list(itertools.takewhile(lambda b: b.heading, blocks))
    rest = itertools.takewhile(lambda b: b.linked or b.skip, blocks[len(headings):])
    return headings + list(rest)


def make_book(path, title, package, flow, extra, chapters, read_notes) -> Book:
    authors = package.authors or [a for a in [flow.hint("author")] if a]
    language = (package.language or "en").split("-")[0].lower()
    skipped = flow.skipped(read_notes) + [s for doc in extra for s in non_linear_skipped(doc, read_notes)]
    return Book(title, " and ".join(authors) or "Unknown", chapters, language=language, source=path,
                contributors=package.contributors, skipped=skipped, warnings=package.warnings,
                cover_image=package.cover_image, isbn=package.isbn)


def non_linear_skipped(doc: Document, read_notes: set[int]) -> list[Skipped]:
    blocks = [b if b.skip else Block(b.text, b.heading, "non-linear", 0) for b in doc.blocks]
    return Flow([Document(doc.path, blocks, doc.anchors, doc.removed)]).skipped(read_notes)
