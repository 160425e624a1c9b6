"""One XHTML document -> its blocks in document order, each marked read or skipped (and why).

What a careful narrator does not read, by its markup (epub:type, ARIA role, class, id):
- never spoken, removed inline and counted: page-break markers, poetry line numbers, noterefs;
- skipped regions, counted as one block each: title page, half title, imprint, copyright page,
  uncopyright, colophon, cover, contents/lists (toc, loi, lot, landmarks), index, bibliography,
  Project Gutenberg header/footer, notes (footnote/endnote/rearnote asides and sections; their
  text can still be read at a chapter's end), other asides (sidebars, pull quotes), tables,
  figures with their captions (they describe a picture the listener cannot see), code, math.
- read: everything else, including dedications, epigraphs, forewords, prefaces, introductions,
  prologues, epilogues, afterwords, acknowledgments and appendices (an audiobook keeps them).
Verse keeps one paragraph per stanza (a <p> or stanza <div>), its lines joined by spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.entities import html5

from lxml import etree, html as lxml_html

from tasks.manuscript.book import join_lines
from .package import XML_PARSER, local, resolve
from .toc import types_of

BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td",
              "th", "section", "article", "header", "footer", "aside", "nav", "body", "hgroup", "figure",
              "table", "ol", "ul", "dl", "tr", "main", "address", "center", "figcaption", "caption"}
SILENT_TAGS = {"head", "script", "style", "img", "svg", "audio", "video", "object", "iframe", "canvas",
               "map", "template", "input", "button", "select"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "hgroup"}
HEADING_TYPES = {"title", "subtitle", "ordinal", "fulltitle"}
PROSE_TABLE_FIGURES = 0.2  # share of cells without a word that still reads as prose
TAG_KINDS = {"table": "tables", "figure": "figures", "math": "math", "code": "code", "nav": "contents",
             "aside": "asides"}
TYPE_KINDS = {
    "front matter": {"titlepage", "halftitlepage", "halftitle", "imprint", "copyright-page", "cover",
                     "seriespage", "frontispiece", "colophon-front"},
    "back matter": {"colophon", "uncopyright", "index", "bibliography", "errata"},
    "contents": {"toc", "loi", "lot", "lof", "landmarks", "page-list", "toc-brief"},
    "notes": {"footnote", "footnotes", "endnote", "endnotes", "rearnote", "rearnotes", "note", "notes"},
}
OPAQUE_KINDS = {"math", "code"}
PG_IDS = {"pg-header", "pg-footer", "pg-machine-header", "pg-start-separator", "pg-end-separator"}
PG_CLASSES = {"pg-boilerplate", "pgheader", "pgfooter"}
NOTE_CLASS = re.compile(r"(?:foot|end)(?:notes?)?")  # PG's class="foot"; a bare class="note" is a callout, read
FIGURE_CLASS = re.compile(r"\b(?:fig(?:center|left|right|ure)|illustration|caption)\b")  # PG's picture blocks
TRANSCRIBER_CLASS = re.compile(r"\b(?:transnote|tnote|trans(?:criber)?s?-?notes?)\b")
PAGE_NUMBER_CLASS = re.compile(r"\bpage-?(?:num|no)")
LINE_NUMBER = re.compile(r"\b(?:l|lin|line)[-_]?(?:num|no|number)s?\b")
VERSE_CLASS = re.compile(r"\b(?:poem|poetry|verse|linegroup|lg|stanza|song)\b")
VERSE_TYPES = {"verse", "poem", "song", "hymn", "lyrics"}
STANZA_CLASS = re.compile(r"\b(?:stanza|linegroup|lg)\b")
READ_TYPES = ("dedication", "epigraph")
NOTEREF_CLASSES = re.compile(r"\b(?:fnanchor|noteref|footnote-?ref|fnref)\b")
NOTEREF_TEXT = re.compile(r"\W*(?:\d+|[*†‡§¶]+|[a-z])\W*")
BACKLINK_TEXT = re.compile(r"(?i)\W*(?:return|back|retour|zurück|volver|↩)\W*")
FLOAT_RIGHT = re.compile(r"float\s*:\s*right")
EXTERNAL = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)  # http:, mailto: … (a link out of the book)
LINKED_SHARE = 0.8
NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")


@dataclass
class Block:
    """A paragraph-like unit; `skip` names why it is not read (None: read), `region` groups a skipped element."""

    text: str
    heading: bool = False
    skip: str | None = None
    region: int = 0
    noterefs: list[str] = field(default_factory=list)  # "path#id" of the notes it refers to
    role: str | None = None  # "dedication" or "epigraph": read even before the first TOC entry
    linked: bool = False  # its text is (almost) all links within the book: a line of a contents list
    level: int = 0  # a heading's rank: 1-6 for <h1>-<h6>, 7 for an element typed as a title; 0 for text
    line_ends: tuple[int, ...] = ()  # where its <br>-separated lines end in `text` (verse keeps them)
    verse: bool = False  # the markup says verse (a poem, a stanza, a song)
    speaker: str | None = None  # a play's character, named by speaker markup (epub:type z3998:persona) before it


@dataclass
class Document:
    """A content document: its blocks, where each id points (block index), and inline removals."""

    path: str
    blocks: list[Block] = field(default_factory=list)
    anchors: dict[str, int] = field(default_factory=dict)
    removed: dict[str, list[str]] = field(default_factory=dict)  # kind -> texts (page numbers, …)
    hints: dict[str, str] = field(default_factory=dict)  # title/author named on a title page
    title: str = ""  # its <title>


STRICT_XML_PARSER = etree.XMLParser(recover=False, resolve_entities=False, no_network=True, load_dtd=False)


def parse_xhtml(content: bytes, recover: bool = True):
    """XHTML -> root; HTML named entities become character references; HTML parser as a fallback.

    `recover`: repair broken XML (an EPUB's XHTML); False for a web page, whose HTML that is not XML
    (unclosed <p>, <br>) the HTML parser reads whole where the XML parser's repair would cut it short."""
    content = NAMED_ENTITY.sub(entity_reference, content)
    try:
        root = etree.fromstring(content, XML_PARSER if recover else STRICT_XML_PARSER)
    except etree.XMLSyntaxError:
        root = None
    if root is None or local(root.tag) != "html":
        try:
            root = lxml_html.document_fromstring(content)
        except (etree.ParserError, ValueError):
            return None
    return root


def entity_reference(match: re.Match) -> bytes:
    name = match.group(1).decode()
    if name in ("amp", "lt", "gt", "quot", "apos") or name + ";" not in html5:
        return match.group(0)
    return "".join(f"&#{ord(c)};" for c in html5[name + ";"]).encode()


def read_document(path: str, content: bytes | None, recover: bool = True) -> Document:
    """A document's blocks (none for unreadable bytes); `recover` as parse_xhtml's."""
    root = parse_xhtml(content, recover) if content else None
    walker = Walker(Document(path))
    if root is not None:
        title = next((el for el in root.iter("{*}title")), None)
        walker.doc.title = join_lines("".join(title.itertext())) if title is not None else ""
        body = next((el for el in root.iter("{*}body")), root)
        walker.visit(body)
        walker.flush()
    return walker.doc


class Walker:
    """Visits elements in document order, collecting inline text into blocks at block boundaries."""

    def __init__(self, doc: Document):
        self.doc, self.next_region = doc, 1
        self.buffer: list[str] = []
        self.refs: list[str] = []
        self.skip: list[tuple[str, int]] = []  # (kind, region) of the skipped elements we are inside
        self.heading_levels: list[int] = []  # ranks of the headings we are inside
        self.link_chars = 0  # characters of in-book link text in the block being collected
        self.back_matter = False  # the document says it is back matter (an uncopyright is not front matter)
        self.verse = self.stanza = False
        self.role: str | None = None  # "dedication" / "epigraph" while inside one
        self.speaker: str | None = None  # named by speaker markup, for the next block

    def flush(self) -> None:
        text, line_ends = lines_of("".join(self.buffer))
        linked, self.buffer, self.link_chars = self.link_chars >= LINKED_SHARE * len(text), [], 0
        if not text:
            return
        kind, region = self.skip[-1] if self.skip else (None, 0)
        self.doc.blocks.append(Block(text, bool(self.heading_levels), kind, region, self.refs, self.role, linked,
                                     min(self.heading_levels, default=0), line_ends, self.verse or self.stanza,
                                     self.speaker))
        self.refs, self.speaker = [], None

    def visit(self, el) -> None:
        name = local(el.tag).lower()
        if not name or name in SILENT_TAGS:
            return
        for key in ("id", "name"):
            if el.get(key):
                self.doc.anchors.setdefault(el.get(key), len(self.doc.blocks))
        if name == "br":
            self.buffer.append(LINE_BREAK)
            return
        types, classes = types_of(el), (el.get("class") or "").lower()
        if "persona" in types and name in BLOCK_TAGS:  # a speaker's cell or line: who speaks the next block
            self.flush()
            self.speaker = join_lines("".join(el.itertext())) or None
            return
        if self.removed_inline(el, name, types, classes):
            return
        if name == "a" and not EXTERNAL.match(el.get("href") or "http:"):
            self.link_chars += len(join_lines("".join(el.itertext())))
        kind = region_kind(el, name, types, classes)
        if kind in OPAQUE_KINDS:
            self.skip_whole(el, kind)
            return
        self.back_matter |= "backmatter" in types
        self.note_hint(el, types)
        heading = name in HEADING_TAGS or (name in ("p", "div") and bool(types & HEADING_TYPES))
        boundary = name in BLOCK_TAGS or kind is not None
        block = boundary and not (self.stanza and not heading and kind is None)  # a stanza's lines join
        state = (self.verse, self.stanza, self.role)
        self.enter_verse(el, name, types, classes)
        self.buffer.append(" " if boundary else "")
        if block:
            self.flush()
        entered = self.enter_region(kind, types)
        if heading:
            self.heading_levels.append(int(name[1]) if re.fullmatch(r"h[1-6]", name) else 7)
        self.buffer.append(el.text or "")
        for child in el:
            self.visit(child)
            self.buffer.append(child.tail or "")
        self.buffer.append(" " if boundary else "")
        if block:
            self.flush()
        if heading:
            self.heading_levels.pop()
        self.verse, self.stanza, self.role = state
        if entered:
            self.skip.pop()

    def enter_verse(self, el, name: str, types: set[str], classes: str) -> None:
        """Verse: a stanza (a stanza/line-group element, or a <p> inside a poem) is one paragraph
        whose lines are joined; dedications and epigraphs are remembered as such."""
        marked = bool(VERSE_CLASS.search(classes) or types & VERSE_TYPES)
        if not self.stanza and (marked or self.verse):
            self.stanza = bool(STANZA_CLASS.search(classes)) or (self.verse and name == "p")
        self.verse = self.verse or marked
        self.role = next((t for t in READ_TYPES if t in types), self.role)

    def skip_whole(self, el, kind: str) -> None:
        """Formulae and code are never read: one skipped block of their text, without walking them."""
        self.flush()
        entered = self.enter_region(kind, set())
        self.buffer.append("".join(el.itertext()))
        self.flush()
        if entered:
            self.skip.pop()

    def enter_region(self, kind: str | None, types: set[str]) -> bool:
        """A skipped element starts a region unless it sits in one (a note inside notes starts its own);
        a dedication or epigraph on a title page is read all the same."""
        if types.intersection(READ_TYPES) and self.skip and self.skip[-1][0] in ("front matter", "back matter"):
            self.skip.append((None, 0))
            return True
        if kind is None or (self.skip and not (kind == "notes" == self.skip[-1][0])):
            return False
        if kind == "front matter" and self.back_matter:
            kind = "back matter"
        self.skip.append((kind, self.next_region))
        self.next_region += 1
        return True

    def removed_inline(self, el, name: str, types: set[str], classes: str) -> bool:
        """Page numbers, line numbers and noterefs: never spoken, counted; a noteref remembers its note."""
        kind = inline_kind(el, name, types, classes)
        if kind is None:
            return False
        text = join_lines("".join(el.itertext())) or el.get("title", "")
        if not self.skip or self.skip[-1][0] is None:  # counted only where it would have been read
            self.doc.removed.setdefault(kind, []).append(text)
        link = el if name == "a" else next(el.iter("{*}a"), None)
        if kind == "noterefs" and "backlink" not in types and link is not None and link.get("href"):
            self.refs.append("#".join(resolve(self.doc.path, link.get("href"))))
        return True

    def note_hint(self, el, types: set[str]) -> None:
        """A title page names the book and its author: keep them for metadata the OPF lacks."""
        if self.skip and self.skip[-1][0] == "front matter":
            for key in ("title", "author"):
                if key in types or (key == "title" and "fulltitle" in types):
                    self.doc.hints.setdefault(key, join_lines("".join(el.itertext())))


LINE_BREAK = "\n"


def lines_of(raw: str) -> tuple[str, tuple[int, ...]]:
    """A block's text with its <br> lines joined by spaces, and where each line but the last ends."""
    lines = [join_lines(line) for line in raw.split(LINE_BREAK)]
    lines = [line for line in lines if line]
    ends, position = [], 0
    for line in lines[:-1]:
        position += len(line)
        ends.append(position)
        position += 1
    return " ".join(lines), tuple(ends)


def inline_kind(el, name: str, types: set[str], classes: str) -> str | None:
    """Page numbers, line numbers, noterefs (marked, or an unmarked link/superscript of a number)."""
    if not (types or classes or name in ("a", "sup", "span")):
        return None
    if "pagebreak" in types or PAGE_NUMBER_CLASS.search(classes):
        return "page numbers"
    if types & {"line-number", "linenum"} or LINE_NUMBER.search(classes):
        return "line numbers"
    if name == "span" and FLOAT_RIGHT.search(el.get("style") or "") and "".join(el.itertext()).strip().isdigit():
        return "line numbers"
    if types & {"noteref", "backlink"} or NOTEREF_CLASSES.search(classes):
        return "noterefs"
    if name == "a" and "#" in (el.get("href") or "") and NOTEREF_TEXT.fullmatch("".join(el.itertext())):
        return "noterefs"  # an unmarked footnote reference: <a href="#fn1">[1]</a>
    if name == "a" and "#" in (el.get("href") or "") and BACKLINK_TEXT.fullmatch("".join(el.itertext())):
        return "noterefs"  # a note's way back: <a href="#noteref-10">return</a>
    if name == "sup" and (el.find(".//{*}a") is not None or re.fullmatch(r"\W*\d+\W*", "".join(el.itertext()))):
        return "noterefs"  # <sup><a href="#n2">2</a></sup>
    return None


def region_kind(el, name: str, types: set[str], classes: str) -> str | None:
    """Why a whole element is skipped, or None when it is read."""
    if el.get("id") in PG_IDS or PG_CLASSES & set(classes.split()):
        return "boilerplate"
    for kind, names in TYPE_KINDS.items():
        if types & names:
            return kind
    tokens = classes.split()
    if TRANSCRIBER_CLASS.search(classes):
        return "boilerplate"
    if name in ("aside", "div", "p", "li") and any(NOTE_CLASS.fullmatch(t) for t in tokens):
        return "notes"
    if {"toc", "contents"} & set(tokens):
        return "contents"
    if name in ("div", "p", "span") and FIGURE_CLASS.search(classes):
        return "figures"
    if name in ("div", "p", "center") and is_picture_with_caption(el):
        return "figures"
    if name == "pre" and el.find(".//{*}code") is not None:
        return "code"
    if name == "table" and is_prose_table(el):
        return None  # a list in prose ("Sherlock Holmes—His Limits"): read, a cell a paragraph
    return TAG_KINDS.get(name)


MAX_CAPTION_CHARS = 400


def is_picture_with_caption(el) -> bool:
    """A block holding a picture and a few words: the picture's caption, which describes what cannot be seen."""
    has_image = el.find(".//{*}img") is not None or el.find(".//img") is not None
    return has_image and len(join_lines("".join(el.itertext()))) <= MAX_CAPTION_CHARS


def is_prose_table(el) -> bool:
    """A table of words a narrator reads: no links (a contents table) and few cells of figures."""
    cells = [join_lines("".join(cell.itertext())) for cell in el.iter("{*}td", "{*}th", "td", "th")]
    cells = [cell for cell in cells if cell]
    figures = sum(not re.search(r"[^\W\d_]{2}", cell) for cell in cells)
    return bool(cells) and el.find(".//{*}a[@href]") is None and el.find(".//a[@href]") is None \
        and figures <= PROSE_TABLE_FIGURES * len(cells)
