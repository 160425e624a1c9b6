"""An HTML or XHTML book (a Project Gutenberg HTML edition, a saved web page) -> Book.

The document is read by the EPUB document reader (tasks/manuscript/epub/html.py: headings with their rank,
PG's page numbers, footnotes, tables, figures, poetry lines, speaker markup), PG's header and license
are cut at its START/END markers as in a .txt, and a run of in-book links is a contents list. Then
its blocks are structured as plain text is (tasks/manuscript/structure/engine.py): the markup's heading ranks are
headings of their own forms ("#h2", "#h3"), whose levels the book's pattern decides, beside the
headings its text repeats ("CHAPTER I." written as a plain paragraph).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from .book import Book, fail, join_lines
from tasks.manuscript.structure.contents import is_contents_title
from .encoding import html_as_utf8
from tasks.manuscript.epub.reader import MIN_LIST_LINES, mark_gutenberg, mark_link_lists
from tasks.manuscript.epub.chapters import Flow, title_kind
from tasks.manuscript.epub.html import Block, parse_xhtml, read_document
from .gutenberg import START_MARKER, TITLE_LINE, book_language, header_metadata
from tasks.manuscript.structure.engine import structure_blocks

MAX_VERSE_LINE = 80  # <br>-separated lines this short are verse even without poetry markup
EDITION_NOTICE = re.compile(  # what an edition's own pages say of it, never a book's text: 'this ebook', 'ISBN'
    r"(?i)\be-?(?:books?|boeks?|b[üu]ch(?:er)?|libros?|livres?)\b|\bpublic\s+domain\b|domaine\s+public|dominio\s+p[úu]blico"
    r"|publiek\s+domein|gemeinfrei|\bcopyright\b|\bISBN\b|\ball\s+rights\s+reserved\b|\bfirst\s+published\b")
PUBLISHER_PAGES = ("front matter", "back matter")  # the kinds of title_kind's names that are an edition's pages


def read_html(path: Path, data: bytes, default_title: str, notes: str = "skip", stage_directions: str = "read") -> Book:
    """An HTML/XHTML file as a Book: PG's wrapper off, chapters by the book's headings, markup and text alike."""
    data = html_as_utf8(path, data)
    root = parse_xhtml(data, recover=False)
    if root is None:
        raise fail(path, "is not readable HTML")
    flow = Flow([read_document(path.name, data, recover=False)])
    mark_gutenberg(flow)
    mark_publisher_pages(flow)
    mark_link_lists(flow)
    mark_contents_titles(flow)
    meta, contributors = html_metadata(root)
    title = meta.get("title") or default_title
    blocks = [b for b in flow.blocks() if b.skip is None]
    structure = structure_blocks([with_lines(b) for b in blocks], title, None, notes, meta,
                                 ranks={i: b.level for i, b in enumerate(blocks) if b.heading},
                                 verse={i for i, b in enumerate(blocks) if is_verse(b)},
                                 speakers={i: b.speaker for i, b in enumerate(blocks) if b.speaker},
                                 stage_directions=stage_directions)
    if not any(c.paragraphs for c in structure.chapters):
        raise fail(path, "has no text to read")
    meta = {**structure.metadata, **meta}
    warnings: list[str] = []
    return Book(title=meta.get("title") or title, author=meta.get("author", "Unknown"), chapters=structure.chapters,
                language=book_language(meta.get("language"), warnings), source=path, contributors=contributors,
                skipped=flow.skipped(set()) + structure.skipped, warnings=warnings, doubts=structure.doubts)


def mark_publisher_pages(flow: Flow) -> None:
    """A heading naming an edition's page ('Imprint', 'Copyright', 'Colophon', 'Colofon', 'Uncopyright') and the
    blocks under it up to the last one that speaks of the edition (EDITION_NOTICE) are the publisher's, as an EPUB's
    epub:type or a PG HTML's class says (Standard Ebooks' pages in a DOCX made from its EPUB): left out as marked;
    what follows them is read (an epigraph after the imprint). A page with sections of its own (a colophon's
    'Metadata', 'Document history') is the edition's to its end."""
    blocks = [b for b in flow.blocks() if b.skip is None]
    for i, block in enumerate(blocks):
        kind = title_kind(block.text) if block.heading else None
        if kind not in PUBLISHER_PAGES:
            continue
        section = list(itertools.takewhile(lambda b: not (b.heading and b.level <= block.level), blocks[i + 1:]))
        notices = [k for k, b in enumerate(section) if EDITION_NOTICE.search(b.text)]
        if notices:
            whole = any(b.heading for b in section)
            flow.mark([block, *section[: len(section) if whole else notices[-1] + 1]], kind, marked=True)


def mark_contents_titles(flow: Flow) -> None:
    """A paragraph of in-book links on their own lines is a contents list; a 'Contents' heading whose
    list is left out (a table of links) goes with it, and so do the headings inside that list ('PART I')."""
    blocks = flow.blocks()
    flow.mark([b for b in blocks if b.skip is None and b.linked and len(b.line_ends) + 1 >= MIN_LIST_LINES], "contents")
    for i, block in enumerate(blocks):
        if block.skip is None and block.heading and is_contents_title(block.text):
            flow.mark(contents_headings(blocks, i), "contents")


def contents_headings(blocks: list[Block], title: int) -> list[Block]:
    """The title and the headings among the left-out list after it (each run of headings followed by
    left-out blocks), up to the first text that is read."""
    marked, run = [], [blocks[title]]
    for block in blocks[title + 1:]:
        if block.skip is not None:
            marked += run
            run = []
        elif block.heading:
            run.append(block)
        else:
            break
    return marked


def with_lines(block: Block) -> str:
    """The block's text with its <br> line breaks back as newlines."""
    text, out, start = block.text, [], 0
    for end in block.line_ends:
        out.append(text[start:end])
        start = end + 1
    return "\n".join(out + [text[start:]])


def is_verse(block: Block) -> bool:
    """Lines the markup calls verse, or short <br>-separated lines."""
    lines = with_lines(block).splitlines()
    return len(lines) > 1 and not block.heading and (block.verse or max(map(len, lines)) <= MAX_VERSE_LINE)


def html_metadata(root) -> tuple[dict[str, str], list[str]]:
    """PG's header fields (before its START marker), else the <title> 'The Project Gutenberg eBook of X, by Y'.
    A <br> ends a header line as a newline does (an RTF's header is one paragraph of line breaks), and an indented
    line goes on the field above it across the blank line between paragraphs (an ODT's header, a line a paragraph)."""
    for br in root.iter("{*}br", "br"):
        br.tail = "\n" + (br.tail or "")
    text = "".join(root.itertext())
    start = START_MARKER.search(text)
    header = re.sub(r"\n\s*\n(?=[ \t]+\S)", "\n", text[:start.start()]) if start else ""  # a line a paragraph
    meta, contributors, named = header_metadata(header) if start else ({}, [], {})
    title = next((join_lines("".join(t.itertext())) for t in root.iter("{*}title", "title")), "")
    if line := TITLE_LINE.match(title):
        named = named or {"title": line.group("title").strip(), "author": line.group("author").strip()}
    elif title and not named:
        named = {"title": title}
    language = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    return {**({"language": language} if language else {}), **named, **meta}, contributors
