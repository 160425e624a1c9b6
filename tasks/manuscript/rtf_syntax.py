"""RTF's vocabulary for the reader (tasks/manuscript/rtf.py): its tokens, the destinations never read, its
symbols and code pages, what a group sets (State) and the stylesheet's headings (Styles)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from lxml import etree

TOKEN = re.compile(r"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S)
SKIPPED = {"fonttbl", "colortbl", "stylesheet", "info", "header", "headerl", "headerr", "headerf", "footer",
           "footerl", "footerr", "footerf", "pict", "object", "annotation", "atnid", "atnauthor", "atndate", "atnref",
           "fldinst", "xe", "tc", "tcn", "bkmkstart", "bkmkend", "themedata", "colorschememapping", "datastore",
           "latentstyles", "listtable", "listoverridetable", "rsidtbl", "generator", "pgdsctbl", "revtbl", "ftnsep",
           "ftnsepc", "aftnsep", "aftnsepc", "userprops", "xmlnstbl", "shp", "nonshppict", "filetbl", "docvar",
           "listtext", "pntext", "pn", "private", "shppict", "factoidname", "mmathPr", "wgrffmtfilter", "template"}
SYMBOLS = {"~": "\u00a0", "_": "\u2011", "-": "", "{": "{", "}": "}", "\\": "\\", "\n": "\n", "\r": "\n"}
WORDS = {"emdash": "\u2014", "endash": "\u2013", "lquote": "\u2018", "rquote": "\u2019", "ldblquote": "\u201c",
         "rdblquote": "\u201d", "bullet": "\u2022", "tab": " ", "emspace": " ", "enspace": " ", "qmspace": " "}
CHARSETS = {0: "cp1252", 161: "cp1253", 162: "cp1254", 163: "cp1258", 177: "cp1255", 178: "cp1256",
            186: "cp1257", 204: "cp1251", 238: "cp1250", 222: "cp874", 128: "cp932", 129: "cp949", 134: "gbk",
            136: "big5", 77: "mac_roman"}
HEADING_NAME = re.compile(r"(?i)^heading\s*([1-9])$")
HYPERLINK = re.compile(r'\s*HYPERLINK\s+(\\l\s+)?"([^"]*)"')
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff]")  # never text; XML cannot hold them


@dataclass
class State:
    """What a group sets, restored when it closes."""

    skip: bool = False  # text here is not the document's (a skipped destination)
    deleted: bool = False
    codec: str = "cp1252"
    uc: int = 1  # characters after a \u that stand in for readers without Unicode
    style: int = 0
    outline: int | None = None
    page_before: bool = False
    in_table: bool = False
    note: bool = False  # inside a footnote or endnote
    table: str = ""  # inside the stylesheet, the font table or \info: definitions, not text
    entry: dict | None = None  # the definition this group makes (a style, a font, an info field, a field's code)
    link: etree._Element | None = None  # a HYPERLINK field's shown text goes in this <a>


@dataclass
class Styles:
    """The stylesheet: each style's name, base style and outline level."""

    names: dict[int, str] = field(default_factory=dict)
    based: dict[int, int] = field(default_factory=dict)
    outline: dict[int, int] = field(default_factory=dict)

    def level(self, style: int) -> int | None:
        """A style's heading level (0 = top), from its name, its outline level or its base style's."""
        seen: set[int] = set()
        while style not in seen:
            seen.add(style)
            named = HEADING_NAME.match(self.names.get(style, ""))
            if named:
                return int(named.group(1)) - 1
            if style in self.outline:
                return self.outline[style]
            if style not in self.based:
                return None
            style = self.based[style]
        return None

    def is_title(self, style: int) -> bool:
        return self.names.get(style, "").strip().lower() == "title"

    def is_author(self, style: int) -> bool:
        return self.names.get(style, "").strip().lower() == "author"  # pandoc's title page, through a word processor


def codec_known(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True
