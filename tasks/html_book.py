"""An HTML or XHTML book (a Project Gutenberg HTML edition, a saved web page) -> Book.

The document is read by the EPUB document reader (tasks/epub_html.py: headings with their rank,
PG's page numbers, footnotes, tables, figures, poetry), PG's header and license are cut at its
START/END markers as in a .txt, and a run of in-book links is a contents list. Chapters come from
the heading markup where it marks them: the heading rank most often followed by text is the
chapter level, shallower headings over runs of chapters are parts, deeper ones stay in the text.
Where the markup does not mark the chapters (a book whose "CHAPTER I." is a plain paragraph), the
blocks are read as plain text is (tasks/text_structure.py), by the headings the book repeats.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .book import Book, Chapter, Skipped, fail, join_lines, skip
from .epub import mark_gutenberg, mark_link_lists
from .encoding import html_as_utf8
from .epub_chapters import Flow
from .epub_html import Block, parse_xhtml, read_document
from .gutenberg import START_MARKER, TITLE_LINE, book_language, header_metadata
from .headings import parse_heading
from .text_structure import structure_text

MARKUP_SHARE = 0.5  # the markup's chapters are the book's unless the text's own headings find twice as many


@dataclass
class MarkedHeading:
    """A heading of the markup: the read blocks it spans, its rank and its text."""

    start: int
    end: int
    level: int
    text: str
    has_text: bool = False  # text follows it before the next heading


def read_html(path: Path, data: bytes, default_title: str, notes: str = "skip") -> Book:
    """An HTML/XHTML file as a Book: PG's wrapper off, chapters by the markup or by the text's headings."""
    data = html_as_utf8(path, data)
    root = parse_xhtml(data)
    if root is None:
        raise fail(path, "is not readable HTML")
    document = read_document(path.name, data)
    flow = Flow([document])
    mark_gutenberg(flow)
    mark_link_lists(flow)
    meta, contributors = html_metadata(root)
    title = meta.get("title") or default_title
    blocks = [b for b in flow.blocks() if b.skip is None]
    skipped = flow.skipped(set())
    chapters, more = markup_chapters(blocks, title)
    text = structure_text("\n\n".join(b.text for b in blocks), title, None, notes, meta)
    if not chapters or len(text.chapters) * MARKUP_SHARE > len(chapters):
        chapters, more = text.chapters, text.skipped
        meta = {**text.metadata, **meta}
    if not any(c.paragraphs for c in chapters):
        raise fail(path, "has no text to read")
    warnings: list[str] = []
    return Book(title=meta.get("title") or title, author=meta.get("author", "Unknown"), chapters=chapters,
                language=book_language(meta.get("language"), warnings), source=path, contributors=contributors,
                skipped=skipped + more, warnings=warnings)


def html_metadata(root) -> tuple[dict[str, str], list[str]]:
    """PG's header fields (before its START marker), else the <title> 'The Project Gutenberg eBook of X, by Y'."""
    text = "".join(root.itertext())
    start = START_MARKER.search(text)
    meta, contributors, named = header_metadata(text[:start.start()]) if start else ({}, [], {})
    title = next((join_lines("".join(t.itertext())) for t in root.iter("{*}title", "title")), "")
    if line := TITLE_LINE.match(title):
        named = named or {"title": line.group("title").strip(), "author": line.group("author").strip()}
    elif title and not named:
        named = {"title": title}
    language = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    return {**({"language": language} if language else {}), **named, **meta}, contributors


def marked_headings(blocks: list[Block]) -> list[MarkedHeading]:
    """The markup's headings; a numbered heading without a title takes the heading after it as its title
    ('CHAPTER I' over 'A SHIFTING REEF')."""
    headings: list[MarkedHeading] = []
    for i, block in enumerate(blocks):
        last = headings[-1] if headings else None
        if not block.heading:
            if last and last.end == i:
                last.has_text = True
        elif last and last.end == i and untitled(last.text) and not parse_heading(block.text):
            last.text, last.end = f"{last.text.rstrip('.')}. {block.text}", i + 1
        else:
            headings.append(MarkedHeading(i, i + 1, block.level, block.text))
    return headings


def untitled(text: str) -> bool:
    heading = parse_heading(text)
    return bool(heading) and not heading.title


def chapter_level(headings: list[MarkedHeading]) -> int | None:
    """The rank whose headings are most often followed by text (the shallower on a tie)."""
    counts = Counter(h.level for h in headings if h.has_text)
    if not counts:
        return None
    return min(counts, key=lambda level: (-counts[level], level))


def markup_chapters(blocks: list[Block], book_title: str) -> tuple[list[Chapter], list[Skipped]]:
    """Chapters at the chapter rank (and at shallower headings with text of their own), parts above them;
    headings before the first chapter are its title page, deeper ones are read as text."""
    headings = marked_headings(blocks)
    level = chapter_level(headings)
    skipped: list[Skipped] = []
    if level is None:
        return [], skipped
    first = next(h.start for h in headings if h.has_text and h.level <= level)
    at = {h.start: h for h in headings if h.level <= level and h.start >= first}
    chapters: list[Chapter] = []
    parts: list[tuple[int, str]] = []
    unread: list[str] = []
    i = 0
    while i < len(blocks):
        heading = at.get(i)
        if heading is None:
            if i < first and blocks[i].heading:
                skip(skipped, "front matter", "title page", blocks[i].text)
            else:
                if not chapters:
                    chapters.append(Chapter(book_title, []))
                chapters[-1].paragraphs.append(blocks[i].text)
            i += 1
            continue
        parts = [(lv, t) for lv, t in parts if lv < heading.level]
        if not heading.has_text and heading.level < level:
            parts.append((heading.level, heading.text))
            unread.append(heading.text)
        else:
            names = [t for _, t in parts] + [heading.text]
            spoken = unread + [heading.text]
            chapters.append(Chapter(", ".join(names), [], spoken if parts else None, parts=tuple(t for _, t in parts)))
            unread = []
        i = heading.end
    return chapters, skipped
