"""A Word document (.docx: Word, Google Docs, Scrivener and LibreOffice exports) -> Book, through mammoth.

mammoth (BSD) converts Word's styles to plain HTML: Heading 1-6 to <h1>-<h6>, lists, tables, footnotes
and endnotes; it never reads headers, footers or comments, nor the text of deleted tracked changes or a
field's code (only the field's shown result), and it reads inserted changes. Around it:
- the archive is checked first (tasks/manuscript/limits.py) and mammoth is given only its XML, each member
  parsed safely first (no DTD, no entities), never a picture;
- a style with an outline level (its own or inherited: 'Chapter Title' based on Heading 1) is a heading of
  that level, and so is a paragraph given an outline level directly; the Title style is the book's title;
- page breaks, section breaks and 'page break before' are pauses ('* * *');
- core properties (docProps/core.xml) give the title, author and language.
Unmapped styles that look like headings are named in the book's warnings.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import mammoth
from lxml import etree

from .book import Book, fail, join_lines
from .limits import Archive, open_archive
from .office_html import DocumentMeta, html_document, inline_notes, lines_book, office_book, pauses_for

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT = "word/document.xml"
HEADING_STYLE = re.compile(r"(?i)^heading ?[1-6]$|^title$")
HEADING_LIKE = re.compile(r"(?i)head|title|chapter|part\b|kapitel|chapitre|cap[ií]tulo")
OUTLINE_ID = "BarkbookOutline{}"  # the style id given to a paragraph with a direct outline level
BODY_LEVEL = 9  # w:outlineLvl 9 is body text
FIXED_STYLE_MAP = "\n".join([
    "p[style-name='Title'] => h1.title:fresh",
    "p[style-name='Subtitle'] => p.subtitle:fresh",
    "p[style-name='Author'] => p.author:fresh",  # pandoc's title page: the author's name under the Title
    "br[type='page'] => hr",
    "br[type='column'] =>",
    *(f"p.{OUTLINE_ID.format(level)} => h{min(level + 1, 6)}:fresh" for level in range(BODY_LEVEL)),
])


def read_docx(path: Path, default_title: str, notes: str = "skip", stage_directions: str = "read") -> Book:
    archive = open_archive(path, "a Word document")
    if DOCUMENT not in archive.names():
        raise fail(path, "is a ZIP without word/document.xml, so not a Word document")
    styles = archive.xml("word/styles.xml")
    lines = plain_lines(archive.xml(DOCUMENT), heading_style_ids(styles))
    if lines is not None and (book := lines_book(path, lines, core_properties(archive, None), default_title, notes,
                                                 stage_directions)):
        return book  # a plain text's lines (LibreOffice's .docx of a .txt): mammoth would take ~10x as long
    result = mammoth.convert_to_html(io.BytesIO(prepared_package(archive, styles)),
                                     style_map=outline_style_map(styles) + "\n" + FIXED_STYLE_MAP,
                                     convert_image=mammoth.images.img_element(lambda image: {}),
                                     ignore_empty_paragraphs=False)  # a .txt's blank lines: see office_html
    root = html_document(result.value)
    inline_notes(root, note_pairs(root))
    pauses_for(root, list(root.iter("hr")))
    warnings = unmapped_heading_styles(result.messages)
    if has_tracked_changes(archive):
        warnings.append(f"{path.name}: tracked changes read as accepted (insertions read, deletions not)")
    return office_book(path, root, core_properties(archive, root), default_title, notes, stage_directions, warnings)


PLAIN_RUN = {f"{W}rPr", f"{W}t"}
PLAIN_PARAGRAPH_PROPS = {f"{W}pStyle", f"{W}bidi", f"{W}spacing", f"{W}jc", f"{W}ind", f"{W}rPr"}


def plain_lines(document, headings: set[str]) -> list[str] | None:
    """The body's paragraphs as lines when each is runs of plain text in a style that is no heading, with no
    break, change, field, note or table; None for anything more (read through mammoth)."""
    body = document.find(f"{W}body") if document is not None else None
    if body is None:
        return None
    lines = []
    for paragraph in body:
        if paragraph.tag == f"{W}sectPr":
            continue
        if paragraph.tag != f"{W}p":
            return None
        text = []
        for child in paragraph:
            if child.tag == f"{W}pPr":
                style = child.find(f"{W}pStyle")
                if any(props.tag not in PLAIN_PARAGRAPH_PROPS for props in child) or \
                        (style is not None and style.get(f"{W}val") in headings):
                    return None
            elif child.tag == f"{W}r" and all(part.tag in PLAIN_RUN for part in child):
                text += [part.text or "" for part in child if part.tag == f"{W}t"]
            else:
                return None
        lines.append("".join(text))
    return lines


def prepared_package(archive: Archive, styles) -> bytes:
    """A new in-memory package of the document's XML only (every member parsed safely on the way), its
    paragraphs' direct outline levels given a style mammoth maps, its section breaks made page breaks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as package:
        for name in sorted(archive.names()):
            if not name.endswith((".xml", ".rels")):
                continue
            root = archive.xml(name)
            if name == DOCUMENT:
                mark_outline_levels(root, heading_style_ids(styles))
                mark_breaks(root)
            package.writestr(name, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    return out.getvalue()


def style_levels(styles) -> dict[str, tuple[str, int | None]]:
    """Paragraph style id -> (name, outline level, its own or its base style's)."""
    if styles is None:
        return {}
    found: dict[str, tuple[str, str | None, int | None]] = {}
    for style in styles.iter(f"{W}style"):
        if style.get(f"{W}type") != "paragraph":
            continue
        name = style.find(f"{W}name")
        based = style.find(f"{W}basedOn")
        level = style.find(f"{W}pPr/{W}outlineLvl")
        found[style.get(f"{W}styleId", "")] = (name.get(f"{W}val", "") if name is not None else "",
                                                based.get(f"{W}val") if based is not None else None,
                                                int(level.get(f"{W}val", BODY_LEVEL)) if level is not None else None)
    levels = {}
    for style_id, (name, _, _) in found.items():
        seen, current, level = set(), style_id, None
        while current in found and current not in seen and level is None:
            seen.add(current)
            _, current, level = found[current][0], found[current][1], found[current][2]
        levels[style_id] = (name, level)
    return levels


def outline_style_map(styles) -> str:
    """mammoth mappings for the styles whose outline level makes them headings (Heading 1-6 and Title are
    mammoth's own and this module's)."""
    lines = []
    for name, level in style_levels(styles).values():
        if level is not None and level < BODY_LEVEL and name and not HEADING_STYLE.match(name):
            quoted = name.replace("\\", "\\\\").replace("'", "\\'")
            lines.append(f"p[style-name='{quoted}'] => h{min(level + 1, 6)}:fresh")
    return "\n".join(lines)


def heading_style_ids(styles) -> set[str]:
    return {sid for sid, (name, level) in style_levels(styles).items()
            if HEADING_STYLE.match(name) or (level is not None and level < BODY_LEVEL)}


def mark_outline_levels(document, headings: set[str]) -> None:
    """A paragraph with a direct outline level and no heading style takes the style mammoth maps to it."""
    for props in document.iter(f"{W}pPr"):
        level = props.find(f"{W}outlineLvl")
        style = props.find(f"{W}pStyle")
        if level is None or (style is not None and style.get(f"{W}val") in headings):
            continue
        value = int(level.get(f"{W}val", BODY_LEVEL)) if level.get(f"{W}val", "").isdigit() else BODY_LEVEL
        if value >= BODY_LEVEL:
            continue
        if style is None:
            style = etree.Element(f"{W}pStyle")
            props.insert(0, style)
        style.set(f"{W}val", OUTLINE_ID.format(value))


def mark_breaks(document) -> None:
    """'Page break before' on a paragraph and a section's end inside the text are page breaks."""
    for paragraph in document.iter(f"{W}p"):
        props = paragraph.find(f"{W}pPr")
        if props is None:
            continue
        before = props.find(f"{W}pageBreakBefore")
        if before is not None and before.get(f"{W}val", "true") not in ("0", "false"):
            props.addnext(page_break_run())
        if props.find(f"{W}sectPr") is not None:
            paragraph.append(page_break_run())


def page_break_run():
    run = etree.Element(f"{W}r")
    etree.SubElement(run, f"{W}br").set(f"{W}type", "page")
    return run


def note_pairs(root) -> list[tuple]:
    """mammoth's note references (<sup><a href="#footnote-1">) with the notes they point to (<li id=…>)."""
    notes = {li.get("id"): li for li in root.iter("li") if re.fullmatch(r"(?:foot|end)note-\d+", li.get("id") or "")}
    pairs = []
    for link in root.iter("a"):
        target = notes.get((link.get("href") or "").lstrip("#"))
        if target is not None and all(a is not target for a in link.iterancestors()):
            sup = link.getparent()
            pairs.append((sup if sup is not None and sup.tag == "sup" else link, target))
    return pairs


def unmapped_heading_styles(messages) -> list[str]:
    """mammoth's 'Unrecognised paragraph style' warnings for styles named like headings."""
    out = []
    for message in messages:
        found = re.match(r"Unrecognised paragraph style: '?(.+?)'? \(Style ID", message.message)
        if found and HEADING_LIKE.search(found.group(1)):
            out.append(f"the style '{found.group(1)}' has no outline level, so its paragraphs are read as text "
                       "unless they read as headings")
    return out


def has_tracked_changes(archive: Archive) -> bool:
    data = archive.read(DOCUMENT) or b""
    return b"<w:ins " in data or b"<w:del " in data


def core_properties(archive: Archive, root) -> DocumentMeta:
    """docProps/core.xml's title, creator and language; else the Title style's first paragraph."""
    core = archive.xml("docProps/core.xml")
    fields = {}
    if core is not None:
        for el in core:
            key = etree.QName(el).localname
            if key in ("title", "creator", "language") and join_lines(el.text or ""):
                fields[key] = join_lines(el.text)
    title = fields.get("title") or next((join_lines("".join(h.itertext())) for h in (root.iter("h1") if root is not None
                                                                                      else ())
                                         if "title" in (h.get("class") or "")), None)
    return DocumentMeta(title or None, fields.get("creator"), fields.get("language"))
