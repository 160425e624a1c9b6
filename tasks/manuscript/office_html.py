"""A word processor's document, converted to HTML, read as an HTML book (tasks/manuscript/html_book.py).

Each office reader (word.py, odt.py, rtf.py) converts its format to HTML whose headings are <h1>-<h6>
by the document's own styles and outline levels, then hands it here. Three things are made plain
before the HTML reader sees it, so that one engine reads every format alike:
- notes: each note reference becomes '[n]' in the prose and each note a '[Footnote n: …]' paragraph after
  the paragraph that refers to it, the form the notes policy reads (tasks/manuscript/structure/notes.py);
- pauses: a page or section break becomes a '* * *' paragraph, the ornament a scene break already is;
- metadata: the document's own title, author and language (core properties, meta.xml, RTF \\info).
A document that is a plain text's lines (a word processor's .docx, .odt or .rtf of a .txt: a paragraph per
line, empty paragraphs between the text's paragraphs, no headings) is read as that text, as a .txt is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree, html as lxml_html

from .book import Book, fail, join_lines
from .html_book import read_html
from .plain_text import read_plain_text
from tasks.manuscript.structure.contents import is_contents_title

PAUSE = "* * *"  # what a page or section break reads as: a pause, never words
MAX_NOTE_LABEL = 999  # the notes reader's labels have up to three digits; each note sits by its reference
LINES_SHARE = 0.5  # of a plain text's lines, those followed by another line of the same paragraph
MAX_WRAPPED_LINE = 100  # characters: a plain text's lines are wrapped at 60-80 (its 90th percentile)
BY_LINE = re.compile(r"(?i)by\b")
BACKLINK = re.compile(r"^\s*(?:↑|↩\ufe0e?|\^)\s*$")


@dataclass(frozen=True)
class DocumentMeta:
    """What a document says about itself (None: it does not say)."""

    title: str | None = None
    author: str | None = None
    language: str | None = None


def html_document(body_html: str) -> etree._Element:
    """A converter's HTML fragment as a document root (<html><head/><body>…</body></html>)."""
    return lxml_html.document_fromstring(f"<html><head><meta charset=\"utf-8\"></head><body>{body_html}</body></html>")


def top_block(el, body) -> etree._Element:
    """The ancestor of `el` that is a child of <body> (where a note or a pause is placed beside)."""
    while el.getparent() is not None and el.getparent() is not body:
        el = el.getparent()
    return el


def new_paragraph(text: str) -> etree._Element:
    p = etree.Element("p")
    p.text = text
    return p


def inline_notes(root, refs: list[tuple[etree._Element, etree._Element]]) -> None:
    """(reference element, note element) pairs: each reference becomes '[n]', each note a '[Footnote n: …]'
    paragraph after the block that refers to it; notes nobody refers to go to the end. Note elements go."""
    body = root.find("body")
    placed: set[int] = set()
    refs = [(ref, note) for ref, note in refs if body in ref.iterancestors()]  # a reference the text kept
    for number, (ref, note) in enumerate(refs):
        label = number % MAX_NOTE_LABEL + 1
        block = top_block(ref, body)
        replace_with_text(ref, f"[{label}]")
        if id(note) not in placed:
            placed.add(id(note))
            block.addnext(new_paragraph(f"[Footnote {label}: {note_text(note)}]"))
    notes = {id(n): n for _, n in refs}  # notes without a kept reference are not in the tree
    for note in list(notes.values()):
        remove(note)


def note_text(note) -> str:
    """A note's words, its way back to the reference ('↑', '↩') left out, brackets kept balanced."""
    for link in note.iter("a"):
        if BACKLINK.match("".join(link.itertext())):
            link.text = ""
            for child in list(link):
                link.remove(child)
    text = join_lines("".join(note.itertext()))
    return text if text.count("[") == text.count("]") else text.replace("[", "(").replace("]", ")")


def append_text(target, text: str | None) -> None:
    """Text at the end of `target`'s content (after its last child, if any)."""
    if not text:
        return
    if len(target):
        target[-1].tail = (target[-1].tail or "") + text
    else:
        target.text = (target.text or "") + text


def replace_with_text(el, text: str) -> None:
    """`el` out of the tree, `text` (and its tail) in its place."""
    parent, tail = el.getparent(), (el.tail or "")
    previous = el.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text + tail
    else:
        parent.text = (parent.text or "") + text + tail
    parent.remove(el)


def remove(el) -> None:
    """`el` out of the tree, its tail kept; a list or section left empty goes too."""
    parent = el.getparent()
    if parent is None:
        return
    replace_with_text(el, "")
    if parent.tag in ("ol", "ul", "section", "div", "aside") and not len(parent) and not join_lines(parent.text or ""):
        remove(parent)


def pauses_for(root, breaks: list[etree._Element]) -> None:
    """Each break element (<hr> a converter left inside a block, or a marker) becomes a '* * *' paragraph
    beside its block: before it when no words precede the break in it, else after it."""
    body = root.find("body")
    for mark in breaks:
        block = top_block(mark, body)
        words_before = block is not mark and words_before_in(block, mark)
        if block is mark:
            block.addprevious(new_paragraph(PAUSE))
        elif words_before:
            block.addnext(new_paragraph(PAUSE))
        else:
            block.addprevious(new_paragraph(PAUSE))
        remove(mark)


def words_before_in(block, mark) -> bool:
    text = []
    for el in block.iter():
        if el is mark:
            break
        text.append(el.text or "")
        if el is not block:
            text.append(el.tail or "")
    return bool(re.search(r"\w", "".join(text)))


def office_book(path: Path, root, meta: DocumentMeta, default_title: str, notes: str, stage_directions: str,
                warnings: list[str] | None = None) -> Book:
    """The prepared HTML read as an HTML book, or as plain text where it is a text's lines: the document's
    title is the book's (a Project Gutenberg header in the text still says more), its author where the text
    names none."""
    lines = paragraph_lines(root)
    if lines is not None and (book := lines_book(path, lines, meta, default_title, notes, stage_directions, warnings)):
        return book
    return finished(path, html_book(path, root, meta, default_title, notes, stage_directions), meta, warnings)


def lines_book(path: Path, lines: list[str], meta: DocumentMeta, default_title: str, notes: str,
               stage_directions: str, warnings: list[str] | None = None) -> Book | None:
    """A document's paragraphs read as the plain text they are the lines of; None when they are not a text's lines."""
    text = text_of_lines(lines)
    if text is None:
        return None
    book = read_plain_text(path, text, meta.title or default_title, None, notes, stage_directions)
    return finished(path, book, meta, warnings)


def finished(path: Path, book: Book, meta: DocumentMeta, warnings: list[str] | None) -> Book:
    if not any(chapter.paragraphs for chapter in book.chapters):
        raise fail(path, "has no text to read")
    author = book.author if book.author != "Unknown" or not meta.author else meta.author
    return replace(book, author=author, warnings=[*book.warnings, *(warnings or [])])


def credit_lines(root) -> None:
    """A paragraph in an Author style (pandoc's and templates' title page: 'Ann Writer' under the Title) as the
    'by' line a title page has, which names the book's author and is not read."""
    for block in root.iter("p"):
        if "author" in (block.get("class") or "").split():
            text = join_lines("".join(block.itertext()))
            if text and not BY_LINE.match(text):
                for child in list(block):
                    block.remove(child)
                block.text = f"by {text}"


def contents_labels(root) -> None:
    """A plain paragraph saying 'Contents' over a list of links into the book (LibreOffice's .odt and PDF of an
    HTML book, where the label was only big bold type) is the list's heading, left out with it."""
    blocks = [block for block in root.find("body") if join_lines("".join(block.itertext()))]
    for block, after in zip(blocks, blocks[1:]):
        if block.tag == "p" and is_contents_title(join_lines("".join(block.itertext()))) and all_links(after):
            block.tag = "h2"


def all_links(block) -> bool:
    """Whether every word of `block` is inside a link."""
    linked = "".join("".join(a.itertext()) for a in block.iter("a") if all(up.tag != "a" for up in a.iterancestors()))
    return bool(linked.split()) and linked.split() == "".join(block.itertext()).split()


def html_book(path: Path, root, meta: DocumentMeta, default_title: str, notes: str, stage_directions: str) -> Book:
    """The prepared HTML read by the HTML reader, the document's title as its <title>."""
    credit_lines(root)
    contents_labels(root)
    head = root.find("head")
    if meta.title:
        title = etree.SubElement(head, "title")
        title.text = meta.title
    if meta.language:
        root.set("lang", meta.language)
    for block in root.find("body"):
        block.tail = "\n" + (block.tail or "")  # its text line by line, as a Project Gutenberg header is read
    data = etree.tostring(root, method="html", encoding="utf-8")
    return read_html(path, data, default_title, notes=notes, stage_directions=stage_directions)


def paragraph_lines(root) -> list[str] | None:
    """The body's blocks as lines when each is a paragraph of plain text; None when any holds more (a heading, a
    list, a table, a note, markup)."""
    body = root.find("body")
    if any(block.tag != "p" or len(block) for block in body):
        return None
    return [block.text or "" for block in body]


def text_of_lines(lines: list[str]) -> str | None:
    """The lines as one plain text when they are a hard-wrapped text's (most lines followed by another, empty
    ones between, lines no longer than a text's); else None."""
    lines = [line.rstrip() for line in lines]
    full = [line for line in lines if line.strip()]
    if len(full) < 2 or len(full) == len(lines):
        return None
    followed = sum(1 for line, after in zip(lines, lines[1:]) if line.strip() and after.strip())
    widths = sorted(len(line) for line in full)
    if followed < LINES_SHARE * len(full) or widths[int(0.9 * (len(widths) - 1))] > MAX_WRAPPED_LINE:
        return None
    return "\n".join(lines) + "\n"
