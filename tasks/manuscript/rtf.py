"""An RTF document (Word, WordPad, TextEdit, LibreOffice, Scrivener) -> Book.

RTF is read here, token by token, into the HTML the other office readers make (tasks/manuscript/office_html.py):
no converter kept its structure (pandoc 2.17, Debian's, drops the heading styles, the footnotes and
fields' shown values, and reads deleted changes; it would also be a GPL program to ship). What is read:
- paragraphs in the stylesheet's heading styles ('heading 1', a style based on one, one with an
  \\outlinelevel) and paragraphs given \\outlinelevel directly -> <h1>-<h6>; the Title style -> the title;
- footnotes and endnotes to the notes policy; tables cell by cell; \\line as a line break;
- \\page, \\sect and 'page break before' (\\pagebb) as pauses; \\info's title and author;
- text in the document's code page (\\ansicpg), its fonts' character sets and \\u escapes.
Never read: headers and footers, comments (\\annotation), deleted changes (\\deleted), field codes
(\\fldinst: the field's shown \\fldrslt is read), pictures, objects, shapes and every \\* destination.
Bounds: the file's size (MAX_DOCUMENT_BYTES), groups nested at most MAX_DEPTH deep, balanced braces.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lxml import etree

from .book import Book, fail, join_lines
from .limits import MAX_DOCUMENT_BYTES, check_size
from .office_html import append_text, PAUSE, DocumentMeta, html_document, inline_notes, office_book
from .rtf_syntax import (CHARSETS, CONTROL, HYPERLINK, SKIPPED, SYMBOLS, TOKEN, WORDS, State, Styles,
                         codec_known)

MAX_DEPTH = 500


def read_rtf(path: Path, default_title: str, notes: str = "skip", stage_directions: str = "read") -> Book:
    check_size(path, MAX_DOCUMENT_BYTES, "an RTF document")
    reader = RtfReader(path)
    reader.read(path.read_bytes().decode("latin-1"))  # one character a byte: \binN and \'hh count bytes
    meta = DocumentMeta(reader.info.get("title") or reader.title, reader.info.get("author"))
    return office_book(path, reader.root, meta, default_title, notes, stage_directions)


class RtfReader:
    """Tokens in, HTML out: a paragraph's inline content gathered, then closed into <p>/<hN>, a table cell or a note."""

    def __init__(self, path: Path):
        self.path = path
        self.root = html_document("")
        self.body = self.root.find("body")
        self.stack: list[State] = []
        self.state = State()
        self.styles = Styles()
        self.fonts: dict[int, int] = {}  # font number -> its character set
        self.info: dict[str, str] = {}
        self.title: str | None = None  # the first paragraph in the Title style
        self.codepage = "cp1252"  # \ansicpg: what a font of the ANSI character set writes in
        self.paragraph = etree.Element("p")  # the paragraph being read, placed when it ends
        self.main: etree._Element | None = None  # the paragraph a note interrupted
        self.note: etree._Element | None = None  # the note being read
        self.notes: list[tuple] = []
        self.table: etree._Element | None = None
        self.row: etree._Element | None = None
        self.cell: list[etree._Element] = []
        self.pending = bytearray()  # \'hh bytes not yet decoded (a multi-byte character)
        self.starred = False  # the last token was \*: an optional destination, skipped unless known
        self.first = False  # the next control word is its group's first: it names the group
        self.unicode_skip = 0  # stand-in characters still to drop after a \u
        self.high = ""  # a \u high surrogate waiting for its pair
        self.field = ""  # the code of the field whose result comes next

    def read(self, text: str) -> None:
        if not text.startswith("{\\rtf"):
            raise fail(self.path, "is not an RTF document (it does not start with {\\rtf)")
        position = 0
        while position < len(text):
            match = TOKEN.match(text, position)
            if match is None:
                position += 1
                continue
            position = match.end()
            word, number, hex_byte, symbol, brace, plain = match.groups()
            if hex_byte is not None:
                self.byte(int(hex_byte, 16))
                continue
            self.flush_bytes()
            if word == "bin" and number:
                position += max(int(number), 0)  # binary data: never text
            elif word is not None:
                self.control(word, int(number) if number is not None else None)
            elif brace:
                self.brace(brace)
            elif symbol is not None:
                self.symbol(symbol)
            elif plain:
                self.text(plain)
        if self.stack:
            raise fail(self.path, "is cut short or damaged: its groups do not all close; save it again")
        self.end_paragraph()
        self.close_table()
        inline_notes(self.root, self.notes)

    # --- groups ---------------------------------------------------------------------------------

    def brace(self, brace: str) -> None:
        if brace == "{":
            if len(self.stack) >= MAX_DEPTH:
                raise fail(self.path, f"nests groups more than {MAX_DEPTH} deep; refusing it")
            self.stack.append(self.state)
            entry = self.state.entry
            self.state = replace(self.state, entry=entry if entry and entry["kind"] == "field" else None)
            self.first = True
            return
        if not self.stack:
            raise fail(self.path, "is damaged: a group closes that never opened")
        self.close_group()
        self.state = self.stack.pop()

    def close_group(self) -> None:
        """A definition the group made is recorded; a note's own group closing ends the note."""
        entry = self.state.entry
        if entry is not None:
            text = join_lines("".join(entry.get("text", []))).rstrip(";").strip()
            if entry["kind"] == "style" and text:
                self.styles.names[entry["id"]] = text
            elif entry["kind"] == "info" and text:
                self.info[entry["key"]] = text
            elif entry["kind"] == "field":
                self.field = text
        if self.state.note and not self.stack[-1].note:
            self.end_note()

    def destination(self, word: str) -> bool:
        """The group's first control word names what it is; True when it was taken as such."""
        state, starred = self.state, self.starred
        self.first = self.starred = False
        if word in ("stylesheet", "fonttbl", "info"):
            state.skip, state.table = True, word
        elif state.table == "stylesheet" and word in ("s", "cs", "ds", "ts"):
            state.entry = {"kind": "style" if word == "s" else "other", "id": -1, "text": []}
            return False  # its number is read as the style's id below
        elif state.table == "fonttbl" and word == "f":
            state.entry = {"kind": "font", "text": []}
            return False
        elif state.table == "info" and word in ("title", "author", "subject"):
            state.entry = {"kind": "info", "key": word, "text": []}
        elif word in ("footnote", "ftnalt"):
            self.start_note()
        elif word == "fldinst":
            state.skip, state.entry, self.field = True, {"kind": "field", "text": []}, ""
        elif word == "fldrslt":
            self.field_result()
        elif word in SKIPPED or starred:
            state.skip = True
        else:
            return False
        return True

    # --- control words --------------------------------------------------------------------------

    def control(self, word: str, number: int | None) -> None:
        if (self.first or self.starred) and self.destination(word):
            return
        state, entry = self.state, self.state.entry
        if entry is not None:
            self.define(entry, word, number)
        elif word == "par":
            self.end_paragraph()
        elif word in ("page", "sect"):
            self.end_paragraph()
            self.pause()
        elif word == "line":
            self.append(etree.Element("br"))
        elif word == "pard":
            state.style, state.outline, state.page_before, state.in_table = 0, None, False, False
        elif word == "plain":
            state.deleted = False
        elif word in ("s", "outlinelevel") and number is not None:
            setattr(state, "style" if word == "s" else "outline", number if number < 9 or word == "s" else None)
        elif word in ("pagebb", "intbl"):
            setattr(state, "page_before" if word == "pagebb" else "in_table", number != 0)
        elif word == "deleted":
            state.deleted = number != 0
        elif word == "cell":
            self.end_cell()
        elif word == "row":
            self.row = None
        else:
            self.character_control(word, number)

    def character_control(self, word: str, number: int | None) -> None:
        state = self.state
        if word == "u" and number is not None:
            self.unicode(number)
        elif word == "uc" and number is not None:
            state.uc = max(number, 0)
        elif word == "f" and number is not None:
            state.codec = self.codec_of(number)
        elif word == "ansicpg" and number:
            self.codepage = f"cp{number}" if codec_known(f"cp{number}") else self.codepage
            state.codec = self.codepage
        elif word in WORDS:
            self.text(WORDS[word])

    def define(self, entry: dict, word: str, number: int | None) -> None:
        """Inside the stylesheet or the font table: a style's number, base and outline level; a font's charset."""
        if entry["kind"] == "style" and number is not None:
            if word == "s":
                entry["id"] = number
            elif word == "sbasedon":
                self.styles.based[entry["id"]] = number
            elif word == "outlinelevel" and number < 9:
                self.styles.outline[entry["id"]] = number
        elif entry["kind"] == "font" and number is not None:
            if word == "f":
                entry["id"] = number
            elif word == "fcharset":
                self.fonts[entry.get("id", -1)] = number

    def codec_of(self, font: int) -> str:
        charset = self.fonts.get(font, 0)
        return self.codepage if charset in (0, 1) else CHARSETS.get(charset, self.codepage)

    def symbol(self, symbol: str) -> None:
        if symbol == "*":
            self.starred = True
        elif symbol in ("\n", "\r"):
            self.end_paragraph()
        elif symbol in SYMBOLS:
            self.text(SYMBOLS[symbol])

    # --- text -----------------------------------------------------------------------------------

    def unicode(self, number: int) -> None:
        char = chr(number + 65536 if number < 0 else number)
        self.unicode_skip = self.state.uc
        if "\ud800" <= char < "\udc00":
            self.high = char
            return
        if "\udc00" <= char < "\ue000" and self.high:
            char = (self.high + char).encode("utf-16", "surrogatepass").decode("utf-16")
        self.high = ""
        self.output(char)

    def byte(self, value: int) -> None:
        if self.unicode_skip:
            self.unicode_skip -= 1
            return
        self.pending.append(value)

    def flush_bytes(self) -> None:
        if self.pending:
            data, self.pending = bytes(self.pending), bytearray()
            self.text(data.decode(self.state.codec, "replace"), counted=False)

    def text(self, text: str, counted: bool = True) -> None:
        if counted and self.unicode_skip:
            dropped = min(self.unicode_skip, len(text))
            text, self.unicode_skip = text[dropped:], self.unicode_skip - dropped
        if text:
            self.output(text)

    def output(self, text: str) -> None:
        entry = self.state.entry
        if entry is not None:
            entry.setdefault("text", []).append(text)
        elif not (self.state.skip or self.state.deleted):
            append_text(self.state.link if self.state.link is not None else self.paragraph, CONTROL.sub("", text))

    def field_result(self) -> None:
        """A HYPERLINK field's result is a link (a contents list's entry points into the book); others are text."""
        target = HYPERLINK.match(self.field)
        if target and not (self.state.skip or self.state.deleted):
            self.state.link = etree.SubElement(self.paragraph, "a")
            self.state.link.set("href", ("#" if target.group(1) else "") + target.group(2))

    def append(self, el) -> None:
        if not (self.state.skip or self.state.deleted):
            self.paragraph.append(el)

    # --- paragraphs, tables, notes -----------------------------------------------------------------

    def end_paragraph(self) -> None:
        state, paragraph = self.state, self.paragraph
        if state.skip:
            return  # a \par inside a header or a comment ends nothing of the text
        self.paragraph = etree.Element("p")
        has_words = bool(join_lines("".join(paragraph.itertext()))) or len(paragraph)
        if not has_words:
            if not (state.note or state.in_table):
                self.close_table()
                self.body.append(paragraph)  # an empty line: a .txt's paragraph end (see office_html)
            return
        if self.note is not None and state.note:
            self.note.append(paragraph)
            return
        level = state.outline if state.outline is not None else self.styles.level(state.style)
        if state.in_table:
            self.cell.append(paragraph)
            return
        self.close_table()
        if self.styles.is_title(state.style):
            paragraph.tag = "h1"
            paragraph.set("class", "title")
            self.title = self.title or join_lines("".join(paragraph.itertext())) or None
        elif level is not None:
            paragraph.tag = f"h{min(level + 1, 6)}"
        elif self.styles.is_author(state.style):
            paragraph.set("class", "author")
        elif state.page_before:
            self.pause()
        self.body.append(paragraph)

    def pause(self) -> None:
        if self.state.skip or self.state.note:
            return
        self.close_table()
        etree.SubElement(self.body, "p").text = PAUSE

    def end_cell(self) -> None:
        self.end_paragraph()
        if self.table is None:
            self.table = etree.Element("table")
        if self.row is None:
            self.row = etree.SubElement(self.table, "tr")
        cell = etree.SubElement(self.row, "td")
        for paragraph in self.cell:
            cell.append(paragraph)
        self.cell = []

    def close_table(self) -> None:
        if self.table is not None:
            self.body.append(self.table)
            self.table, self.row = None, None

    def start_note(self) -> None:
        """A footnote's group: its reference marks the main text here; its paragraphs are the note's."""
        self.state.note = True
        self.main, self.paragraph = self.paragraph, etree.Element("p")
        self.note = etree.Element("div")
        ref = etree.SubElement(self.main, "sup")
        self.notes.append((ref, self.note))

    def end_note(self) -> None:
        self.end_paragraph()
        self.paragraph, self.main, self.note = self.main, None, None
