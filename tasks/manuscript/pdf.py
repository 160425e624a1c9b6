"""A PDF with a text layer -> Book, through pdfium (pypdfium2: Apache-2.0/BSD; PyMuPDF would be AGPL).

Each page's text is read as lines with their boxes and type sizes (pdfium, in C++, a page at a time),
then laid out by tasks/manuscript/pdf_layout.py (running heads out, columns, paragraphs, hyphens, headings)
and read as the other office formats are (tasks/manuscript/office_html.py). Chapters come from the outline
(bookmarks) where the PDF has one, else from the headings' type size; the document information gives
the title and author. Refused with one line: a scan (no text layer: run OCR first), a PDF that needs a
password, a damaged one, and any over the bounds below (pages, characters on a page, seconds, bytes).
"""

from __future__ import annotations

import ctypes
import re
import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from lxml import etree

from .book import Book, Skipped, fail, join_lines
from .limits import check_size
from .office_html import DocumentMeta, html_document, office_book
from .pdf_layout import (Line, Page, attach_note_labels, blocks_of, body_size, drop_running_lines, in_reading_order,
                         loose, mark_notes, mend_drop_caps, rank_by_size)

MAX_PDF_BYTES = 200 * 2**20
MAX_PDF_PAGES = 3_000  # a long novel is 300-1,200 pages
MAX_PAGE_CHARS = 50_000  # a dense page holds ~4,000
MAX_READ_SECONDS = 300.0  # ~0.01-0.05 s a page is usual
SCANNED_SHARE = 0.9  # pages without a word of text (running lines aside), of all pages: a scan
MIN_OUTLINE_ENTRIES = 2
TITLE_PAGE_BLOCKS = 12  # the first blocks, where a title page names the author
COLUMN_GAP_EMS = 2.0  # a space this wide parts two columns
OUTLINE_SLACK = 48.0  # points above a bookmark's target where its heading's box may start (a line's leading)
CONTROL = re.compile(r"[\x00\x01\x03-\x08\x0b-\x1f\x7f\ufffe\uffff]")  # pdfium's hyphen at a line's end (\ufffe) is kept as \x02


def read_pdf(path: Path, default_title: str, notes: str = "skip", stage_directions: str = "read") -> Book:
    check_size(path, MAX_PDF_BYTES, "a PDF")
    document = open_pdf(path)
    try:
        pages = read_pages(path, document)
        outline = outline_of(document)
        info = document.get_metadata_dict(skip_empty=True)
    finally:
        document.close()
    skipped: list[Skipped] = []
    text_size = body_size(pages)
    for page in pages:
        attach_note_labels(page, text_size)
    drop_running_lines(pages, text_size, skipped)
    refuse_scan(path, pages)
    for page in pages:
        mark_notes(page, text_size)
    lines = mend_drop_caps([line for page in pages for line in in_reading_order(page)], text_size)
    if not mark_outline(lines, outline):
        rank_by_size(lines, text_size)
    meta = DocumentMeta(join_lines(info.get("Title", "")) or None, join_lines(info.get("Author", "")) or None)
    root = html_document("")
    body = root.find("body")
    for number, (rank, text, linked) in enumerate(blocks_of(lines, text_size)):
        block = etree.SubElement(body, f"h{rank}" if rank else "p")
        add_lines(etree.SubElement(block, "a", href="#") if linked else block, text)
        if number < TITLE_PAGE_BLOCKS and not rank and meta.author and loose(text) == loose(meta.author):
            block.set("class", "author")  # the author's name on the title page: a credit, not read
    book = office_book(path, root, meta, default_title, notes, stage_directions)
    book.skipped[:0] = skipped
    return book


def open_pdf(path: Path) -> pdfium.PdfDocument:
    """The document, or one line: it needs a password, or it is damaged, or it has too many pages."""
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise fail(path, "is an encrypted PDF (it needs a password): save a copy without the password") from None
        raise fail(path, f"is a damaged or cut-short PDF that cannot be opened ({err})") from None
    count = len(document)
    if count > MAX_PDF_PAGES:
        document.close()
        raise fail(path, f"has {count:,} pages (limit {MAX_PDF_PAGES:,} for a PDF)")
    if count == 0:
        document.close()
        raise fail(path, "is a PDF without pages")
    return document


def read_pages(path: Path, document: pdfium.PdfDocument) -> list[Page]:
    """Every page's lines, within the bounds on characters and time."""
    started, pages = time.monotonic(), []
    for index in range(len(document)):
        if time.monotonic() - started > MAX_READ_SECONDS:
            raise fail(path, f"took over {MAX_READ_SECONDS:.0f} s to read ({index:,} of {len(document):,} pages); "
                             "refusing it")
        page = document[index]
        try:
            pages.append(page_lines(path, page, index))
        finally:
            page.close()
    return pages


def refuse_scan(path: Path, pages: list[Page]) -> None:
    """A scan: no words on most pages once running lines are out (a scanner's stamp on each page is no text)."""
    empty = sum(not any(loose(line.text) for line in page.lines) for page in pages)
    if empty >= SCANNED_SHARE * len(pages):
        raise fail(path, "has no text layer (a scanned book): run OCR first (e.g. ocrmypdf), then read the result")


def page_lines(path: Path, page, index: int) -> Page:
    """A page's text as lines: pdfium's text in content order, cut at the line ends it generates."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count > MAX_PAGE_CHARS:
            raise fail(path, f"page {index + 1} holds {count:,} characters (limit {MAX_PAGE_CHARS:,}); is this a book?")
        text = textpage.get_text_range(0, count) if count else ""
        lines = [line for m in re.finditer(r"[^\r\n]+", text) for line in lines_at(textpage, index, text, m.start(), m.end())]
    finally:
        textpage.close()
    links = internal_links(page)
    for line in lines:
        x, y = (line.x0 + line.x1) / 2, (line.top + line.bottom) / 2
        line.linked = any(left <= x <= right and bottom <= y <= top for left, bottom, right, top in links)
    return Page(width, height, lines)


def internal_links(page) -> list[tuple[float, float, float, float]]:
    """The boxes of the page's links to places in the document (a contents list's entries), not to the web."""
    boxes, position, link = [], ctypes.c_int(0), pdfium_c.FPDF_LINK()
    while pdfium_c.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
        action = pdfium_c.FPDFLink_GetAction(link)
        if action and pdfium_c.FPDFAction_GetType(action) != pdfium_c.PDFACTION_GOTO:
            continue
        rect = pdfium_c.FS_RECTF()
        if pdfium_c.FPDFLink_GetAnnotRect(link, ctypes.byref(rect)):
            boxes.append((rect.left, rect.bottom, rect.right, rect.top))
    return boxes


def lines_at(textpage, page: int, text: str, start: int, end: int) -> list[Line]:
    """pdfium's line from character `start` to `end`, cut where a wide gap parts it (columns side by side)."""
    if not text[start:end].strip():
        return []
    line = line_at(textpage, page, text, start, end)
    if len(text) != textpage.count_chars():
        return [line]
    for space in (start + m.start() for m in re.finditer(r" +", text[start:end])):
        after = space + len(text[space:end]) - len(text[space:end].lstrip(" "))
        if space > start and after < end:
            left, right = textpage.get_charbox(space - 1, loose=True)[2], textpage.get_charbox(after, loose=True)[0]
            if right - left > COLUMN_GAP_EMS * line.size:
                return [line_at(textpage, page, text, start, space), *lines_at(textpage, page, text, after, end)]
    return [line]


def line_at(textpage, page: int, text: str, start: int, end: int) -> Line:
    """A line of text from character `start` to `end`: its box from its first and last characters, its size
    the largest of theirs (pdfium's font size, in points)."""
    stripped = text[start:end]
    first = start + len(stripped) - len(stripped.lstrip())
    last = start + len(stripped.rstrip()) - 1
    if len(text) != textpage.count_chars():  # characters outside the BMP: boxes by index would drift
        first, last = start, start
    x0, bottom0, _, top0 = textpage.get_charbox(first, loose=True)
    _, bottom1, x1, top1 = textpage.get_charbox(last, loose=True)
    size = max(pdfium_c.FPDFText_GetFontSize(textpage.raw, first), pdfium_c.FPDFText_GetFontSize(textpage.raw, last))
    if len(text) == textpage.count_chars():
        stripped = marked_refs(textpage, stripped, start, size)
    clean = CONTROL.sub("", stripped.strip().replace("\ufffe", "\x02"))
    return Line(page, x0, x1, max(top0, top1), min(bottom0, bottom1), size, clean)


NOTE_REF = re.compile(r"(?<=[^\W\d_])[.,;:!?’”\"']? ?(\d{1,3})(?=[\s.,;:!?’”\"')]|$)")  # 'lamp.¹' set as 'lamp.1' or 'lamp. 1'
SUPERSCRIPT = 0.8  # a number in type this much smaller than its line's is a note's reference


def marked_refs(textpage, line: str, start: int, size: float) -> str:
    """Numbers set small after a word (a note's reference: 'lamp.¹') as '[1]', the form the notes policy reads."""
    def ref(match: re.Match) -> str:
        small = pdfium_c.FPDFText_GetFontSize(textpage.raw, start + match.start(1)) < SUPERSCRIPT * size
        return match.group(0)[:match.start(1) - match.start()] + f"[{match.group(1)}]" if small else match.group(0)
    return NOTE_REF.sub(ref, line)


def outline_of(document: pdfium.PdfDocument) -> list[tuple[int, str, int, float | None]]:
    """Bookmarks as (level, title, page index, the y they point at or None)."""
    out = []
    for item in document.get_toc(max_depth=6):
        dest = item.get_dest()
        index = dest.get_index() if dest is not None else None
        if index is None:
            continue
        _, view = dest.get_view()
        y = view[1] if len(view) > 1 and view[1] else None
        out.append((item.level, join_lines(item.get_title() or ""), index, y))
    return out


def mark_outline(lines: list[Line], outline) -> bool:
    """Each bookmark's title found on its page (at or below where it points) ranks those lines as a heading
    of its level; a bookmark whose words the page does not show gets a heading line of its own. False when
    there is no outline to follow."""
    if len([entry for entry in outline if entry[1]]) < MIN_OUTLINE_ENTRIES:
        return False
    by_page: dict[int, list[int]] = {}
    for k, line in enumerate(lines):
        by_page.setdefault(line.page, []).append(k)
    inserted: list[tuple[int, Line]] = []
    for number, (level, title, page, y) in enumerate(outline, 1):
        want = loose(title).replace(" ", "")
        candidates = [k for k in by_page.get(page, []) if y is None or lines[k].top <= y + OUTLINE_SLACK]
        found = heading_lines(lines, candidates, want, y)
        for k in found:
            lines[k].rank, lines[k].heading = min(level + 1, 6), number
        if not found and want and candidates:
            first = lines[candidates[0]]
            inserted.append((candidates[0], Line(page, first.x0, first.x1, first.top, first.top, first.size, title,
                                                 min(level + 1, 6), heading=number)))
    for k, line in sorted(inserted, key=lambda item: -item[0]):
        lines.insert(k, line)
    return True


def heading_lines(lines: list[Line], candidates: list[int], want: str, y: float | None) -> list[int]:
    """The run of consecutive lines whose words, spaces aside, make `want` (a title over several lines), the one
    nearest the height the bookmark points at (not its entry in a contents list above)."""
    starts = sorted(range(len(candidates)), key=lambda n: abs(lines[candidates[n]].top - y) if y is not None else n)
    for start in starts:
        got = ""
        for j in candidates[start:start + 4]:
            got += loose(lines[j].text).replace(" ", "")
            if got == want:
                return candidates[start:candidates.index(j) + 1]
            if not want.startswith(got):
                break
    return []


def add_lines(block, text: str) -> None:
    """A block's text into its element, its kept line ends as <br>."""
    parts = text.split("\n")
    block.text = parts[0]
    for part in parts[1:]:
        etree.SubElement(block, "br").tail = part
