"""The documents of a read-along EPUB 3 (tasks/package/readalong.py puts them in the archive): per chapter an XHTML
page whose segments are elements with ids and a SMIL media overlay tying each to its clip of the chapter's
audio; the nav document; the package document with the overlays' durations. Times are whole milliseconds,
so the durations a package declares are exact sums of its clips."""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from tasks.core import clock

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 does not allow
ACTIVE_CLASS = "-epub-media-overlay-active"  # the class a reading system sets on the segment being read
STYLESHEET = f"""p {{ margin: 0 0 0.6em; text-indent: 1.2em; }}
.{ACTIVE_CLASS} {{ background-color: #ffe98a; color: inherit; }}
"""
CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""
XHTML_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang={lang} lang={lang}>
<head><meta charset="utf-8"/><title>{title}</title><link rel="stylesheet" type="text/css" href="style.css"/></head>
"""


def smil_clock(ms: int) -> str:
    """A SMIL full clock value, h:mm:ss.mmm."""
    return clock(ms, fraction=".")


def xml_text(value: str) -> str:
    """`value` as XML character data: escaped, characters XML cannot hold dropped."""
    return escape(CONTROL.sub("", value))


def xml_attribute(value: str) -> str:
    """`value` as a quoted XML attribute value."""
    return quoteattr(CONTROL.sub("", value))


def element_id(segment_id: str) -> str:
    """The XHTML id of a segment's text (an XML name: never starts with a digit)."""
    return f"s-{segment_id}"


def chapter_xhtml(chapter, language: str) -> str:
    """The chapter's text: consecutive segments of one paragraph in one <p>, each segment a <span id>."""
    paragraphs = [" ".join(f'<span id="{element_id(s.id)}">{xml_text(s.text)}</span>' for s in group)
                  for _, group in itertools.groupby(chapter.segments, key=lambda s: s.paragraph)]
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    section = f'<section epub:type="chapter" aria-label={xml_attribute(chapter.title)}>\n{body}\n</section>'
    return XHTML_HEAD.format(lang=xml_attribute(language), title=xml_text(chapter.title)) + f"<body>\n{section}\n</body>\n</html>\n"


def chapter_smil(page: str, audio: str, clips: list[tuple[str, int, int]]) -> str:
    """The media overlay of one page: a <par> per (segment id, clip begin ms, clip end ms) of `audio`."""
    pars = "\n".join(f'    <par><text src="{page}#{element_id(sid)}"/>'
                     f'<audio src="{audio}" clipBegin="{smil_clock(a)}" clipEnd="{smil_clock(b)}"/></par>'
                     for sid, a, b in clips)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">\n'
            f'  <body>\n{pars}\n  </body>\n</smil>\n')


def nav_xhtml(title: str, language: str, entries: list[tuple[str, str]]) -> str:
    """The navigation document: one entry per (chapter title, page)."""
    items = "\n".join(f'<li><a href="{page}">{xml_text(name)}</a></li>' for name, page in entries)
    nav = f'<nav epub:type="toc" id="toc"><h1>{xml_text(title)}</h1>\n<ol>\n{items}\n</ol>\n</nav>'
    return XHTML_HEAD.format(lang=xml_attribute(language), title=xml_text(title)) + f"<body>\n{nav}\n</body>\n</html>\n"


def package_opf(*, identifier: str, title: str, author: str, language: str, modified: datetime,
                narrator: str | None, items: list[dict], spine: list[str], durations: dict[str, int]) -> str:
    """The package document. `items`: manifest entries (id, href, media-type, optional properties and
    media-overlay); `durations`: SMIL item id → its milliseconds (the total is their sum)."""
    meta = [f'<dc:identifier id="book-id">{xml_text(identifier)}</dc:identifier>',
            f"<dc:title>{xml_text(title)}</dc:title>",
            f"<dc:creator>{xml_text(author)}</dc:creator>", f"<dc:language>{xml_text(language)}</dc:language>",
            f'<meta property="dcterms:modified">{modified.strftime("%Y-%m-%dT%H:%M:%SZ")}</meta>',
            *(f'<meta property="media:duration" refines="#{sid}">{smil_clock(ms)}</meta>'
              for sid, ms in durations.items()),
            f'<meta property="media:duration">{smil_clock(sum(durations.values()))}</meta>',
            f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>']
    if narrator:
        meta.append(f"<meta property=\"media:narrator\">{xml_text(narrator)}</meta>")
    manifest = ["<item " + " ".join(f"{k}={xml_attribute(str(v))}" for k, v in item.items()) + "/>" for item in items]
    itemrefs = [f'<itemref idref="{idref}"/>' for idref in spine]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" '
            f'xml:lang={xml_attribute(language)}>\n'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n  ' + "\n  ".join(meta) + "\n</metadata>\n"
            "<manifest>\n  " + "\n  ".join(manifest) + "\n</manifest>\n"
            "<spine>\n  " + "\n  ".join(itemrefs) + "\n</spine>\n</package>\n")
