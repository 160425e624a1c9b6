"""An OpenDocument text (.odt: LibreOffice, OpenOffice, Google Docs exports) -> Book.

ODF's content.xml is already the structure the HTML reader reads, element for element, so it is mapped
to HTML here with lxml under the archive and XML bounds of tasks/manuscript/limits.py (no converter
library would check those): <text:h> with its outline level -> <h1>-<h6>, the Title style -> the book's
title, paragraphs, lists, tables and sections as such, footnotes and endnotes to the notes policy,
'break before/after page' styles as pauses, the table of contents and indexes left out as such (counted).
Never read: headers and footers (they live in styles.xml's master pages), comments (<office:annotation>),
deleted tracked changes (<text:tracked-changes> holds them; insertions are already in the text),
page-number fields.
meta.xml gives the title, author and language.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from .book import Book, fail, join_lines
from .limits import Archive, open_archive
from .office_html import append_text, DocumentMeta, PAUSE, html_document, inline_notes, office_book

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
DC = "http://purl.org/dc/elements/1.1/"
XLINK = "http://www.w3.org/1999/xlink"

NEVER_READ = {(OFFICE, "annotation"), (OFFICE, "annotation-end"), (TEXT, "tracked-changes"), (TEXT, "page-number"),
              (TEXT, "page-count"), (TEXT, "soft-page-break"), (DRAW, "image"), (TEXT, "sequence-decls"),
              (OFFICE, "forms"), (TEXT, "variable-decls"), (TEXT, "user-field-decls"), (TEXT, "bookmark-ref"),
              (SVG, "title"), (SVG, "desc")}  # a frame's name and description: a picture's alt text, never spoken
HTML_OF = {(TEXT, "p"): "p", (TEXT, "list"): "ul", (TEXT, "list-item"): "li", (TEXT, "list-header"): "li",
           (TEXT, "section"): "div", (TABLE, "table"): "table", (TABLE, "table-row"): "tr",
           (TABLE, "table-cell"): "td", (TABLE, "table-header-rows"): "thead", (TEXT, "line-break"): "br"}
ROLES = {(TEXT, "table-of-content"): "doc-toc", (TEXT, "illustration-index"): "doc-toc",  # left out, counted
         (TEXT, "table-index"): "doc-toc", (TEXT, "object-index"): "doc-toc", (TEXT, "user-index"): "doc-toc",
         (TEXT, "alphabetical-index"): "doc-index", (TEXT, "bibliography"): "doc-bibliography"}
TITLE_STYLES = {"Title"}
AUTHOR_STYLES = {"Author"}  # pandoc's title page: the author's name under the Title
INHERITED_DEPTH = 20


def read_odt(path: Path, default_title: str, notes: str = "skip", stage_directions: str = "read") -> Book:
    archive = open_archive(path, "an OpenDocument text")
    content = archive.xml("content.xml")
    if content is None:
        raise fail(path, "is a ZIP without content.xml, so not an OpenDocument text")
    text = content.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
    if text is None:
        raise fail(path, "is an OpenDocument file but not a text document (no office:text)")
    styles = ParagraphStyles(content, archive.xml("styles.xml"))
    root = html_document("")
    converter = Converter(styles)
    converter.children(text, root.find("body"))
    inline_notes(root, converter.notes)
    meta = document_meta(archive, converter.title)
    return office_book(path, root, meta, default_title, notes, stage_directions)


class ParagraphStyles:
    """Each paragraph style's parent chain: is it (based on) the Title style, does it break the page."""

    def __init__(self, content, styles):
        self.parent: dict[str, str] = {}
        self.breaks: dict[str, tuple[bool, bool]] = {}
        for tree in (styles, content):
            for style in tree.iter(f"{{{STYLE}}}style") if tree is not None else ():
                name = style.get(f"{{{STYLE}}}name", "")
                self.parent[name] = style.get(f"{{{STYLE}}}parent-style-name", "")
                props = style.find(f"{{{STYLE}}}paragraph-properties")
                if props is not None:
                    self.breaks[name] = (props.get(f"{{{FO}}}break-before") == "page",
                                         props.get(f"{{{FO}}}break-after") == "page")

    def chain(self, name: str) -> list[str]:
        out = []
        while name and name not in out and len(out) < INHERITED_DEPTH:
            out.append(name)
            name = self.parent.get(name, "")
        return out

    def is_title(self, name: str) -> bool:
        return any(n in TITLE_STYLES for n in self.chain(name))

    def is_author(self, name: str) -> bool:
        return any(n in AUTHOR_STYLES for n in self.chain(name))

    def page_breaks(self, name: str) -> tuple[bool, bool]:
        return self.breaks.get(name, (False, False))  # automatic styles carry what a paragraph was given


class Converter:
    """content.xml's text -> HTML elements; note references and notes collected for inline_notes."""

    def __init__(self, styles: ParagraphStyles):
        self.styles = styles
        self.notes: list[tuple[etree._Element, etree._Element]] = []
        self.title: str | None = None

    def children(self, source, target) -> None:
        """`source`'s text and children appended to `target`."""
        append_text(target, source.text)
        for child in source:
            self.element(child, target)
            append_text(target, child.tail)

    def element(self, el, target) -> None:
        if not isinstance(el.tag, str):
            return
        key = (etree.QName(el).namespace, etree.QName(el).localname)
        if key in NEVER_READ:
            return
        if key == (TEXT, "note"):
            self.note(el, target)
        elif key == (TEXT, "s"):
            append_text(target, " " * min(int(el.get(f"{{{TEXT}}}c", "1") or 1), 100))
        elif key == (TEXT, "tab"):
            append_text(target, " ")
        elif key in ((TEXT, "h"), (TEXT, "p")):
            self.paragraph(el, target, key[1] == "h")
        elif key == (TEXT, "a"):
            link = etree.SubElement(target, "a")
            link.set("href", el.get(f"{{{XLINK}}}href", ""))  # a link within the book: a contents list's entry
            self.children(el, link)
        elif key in ROLES:
            region = etree.SubElement(target, "div")
            region.set("role", ROLES[key])
            self.children(el, region)
        elif key in HTML_OF:
            self.children(el, etree.SubElement(target, HTML_OF[key]))
        else:
            self.children(el, target)  # spans, links, fields' shown values, frames' text boxes

    def paragraph(self, el, target, heading: bool) -> None:
        style = el.get(f"{{{TEXT}}}style-name", "")
        before, after = self.styles.page_breaks(style)
        if before and not heading:
            etree.SubElement(target, "p").text = PAUSE
        if heading:
            level = el.get(f"{{{TEXT}}}outline-level", "1")
            tag = f"h{min(max(int(level) if level.isdigit() else 1, 1), 6)}"
        else:
            tag = "h1" if self.styles.is_title(style) else "p"
        out = etree.SubElement(target, tag)
        self.children(el, out)
        if tag == "p" and self.styles.is_author(style):
            out.set("class", "author")
        if tag == "h1" and not heading:
            out.set("class", "title")
            self.title = self.title or join_lines("".join(out.itertext())) or None
        if after:
            etree.SubElement(target, "p").text = PAUSE

    def note(self, el, target) -> None:
        """A note reference stays where it is (a <sup>); its body is converted aside for inline_notes."""
        ref = etree.SubElement(target, "sup")
        ref.text = join_lines("".join(el.find(f"{{{TEXT}}}note-citation").itertext())
                              if el.find(f"{{{TEXT}}}note-citation") is not None else "")
        body = etree.Element("div")
        for part in el.iterfind(f"{{{TEXT}}}note-body"):
            self.children(part, body)
        self.notes.append((ref, body))


def document_meta(archive: Archive, title_paragraph: str | None) -> DocumentMeta:
    meta = archive.xml("meta.xml")
    fields: dict[str, str] = {}
    if meta is not None:
        for key, tag in (("title", f"{{{DC}}}title"), ("author", f"{{{DC}}}creator"),
                         ("author", f"{{{META}}}initial-creator"), ("language", f"{{{DC}}}language")):
            el = meta.find(f".//{tag}")
            if el is not None and join_lines(el.text or "") and key not in fields:
                fields[key] = join_lines(el.text)
    return DocumentMeta(fields.get("title") or title_paragraph, fields.get("author"), fields.get("language"))
