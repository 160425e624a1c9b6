"""Small PDFs written object by object for the PDF reader's tests: text lines placed where a test wants
them (size, position), an outline, pages without text, an encryption dictionary, thousands of pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PAGE_WIDTH, PAGE_HEIGHT = 612, 792


@dataclass
class Text:
    """One line of text: where its baseline starts (points from the bottom left) and its size."""

    x: float
    y: float
    text: str
    size: float = 11.0


@dataclass
class PdfPage:
    lines: list[Text] = field(default_factory=list)
    image: bool = False  # a picture covering the page (a scan), under its lines if it has any
    links: list[tuple[float, float, float, float]] = field(default_factory=list)  # boxes linking to the first page (a contents list)


def escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def content(page: PdfPage) -> bytes:
    ops = [f"q {PAGE_WIDTH} 0 0 {PAGE_HEIGHT} 0 0 cm /Im1 Do Q"] if page.image else []
    ops += [f"BT /F1 {t.size} Tf 1 0 0 1 {t.x} {t.y} Tm ({escaped(t.text)}) Tj ET" for t in page.lines]
    return "\n".join(ops).encode("latin-1")


def write_pdf(path: Path, pages: list[PdfPage], outline: list[tuple[str, int, float]] = (), *,
              info: dict[str, str] | None = None, encrypted: bool = False, shared_page: PdfPage | None = None,
              count: int | None = None) -> Path:
    """A PDF of `pages` (or `count` copies of `shared_page`, drawn by one content stream); `outline`:
    (title, page index, y) bookmarks at one level; `encrypted`: a standard security handler whose user
    password is not empty."""
    objects: dict[int, bytes] = {}
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objects[4] = (b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                  b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream")
    number = 10
    kids = []
    drawn = [shared_page] * count if count else pages
    shared_stream = None
    for page in drawn:
        if shared_stream is None or not count:
            data = content(page)
            objects[number] = b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
            shared_stream, number = number, number + 1
        annots = "".join(f"<< /Type /Annot /Subtype /Link /Rect [{x0} {y0} {x1} {y1}] /Border [0 0 0] "
                         f"/A << /S /GoTo /D [11 0 R /XYZ 0 {PAGE_HEIGHT} 0] >> >>" for x0, y0, x1, y1 in page.links)
        objects[number] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
                           f"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> "
                           f"/Contents {shared_stream} 0 R" + (f" /Annots [{annots}]" if annots else "") + " >>").encode()
        kids.append(number)
        number += 1
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    catalog = "<< /Type /Catalog /Pages 2 0 R"
    if outline:
        first = number
        items = list(range(first, first + len(outline)))
        for k, (title, page, y) in enumerate(outline):
            links = (f" /Prev {items[k - 1]} 0 R" if k else "") + (f" /Next {items[k + 1]} 0 R" if k + 1 < len(items) else "")
            objects[items[k]] = (f"<< /Title ({escaped(title)}) /Parent 5 0 R /Dest [{kids[page]} 0 R /XYZ 0 {y} 0]"
                                 f"{links} >>").encode("latin-1")
        objects[5] = f"<< /Type /Outlines /First {items[0]} 0 R /Last {items[-1]} 0 R /Count {len(items)} >>".encode()
        catalog += " /Outlines 5 0 R /PageMode /UseOutlines"
        number = first + len(outline)
    objects[1] = (catalog + " >>").encode()
    trailer = f"/Root 1 0 R /ID [<{'ab' * 16}> <{'ab' * 16}>]"
    if info:
        objects[6] = ("<< " + " ".join(f"/{k} ({escaped(v)})" for k, v in info.items()) + " >>").encode("latin-1")
        trailer += " /Info 6 0 R"
    if encrypted:
        objects[7] = f"<< /Filter /Standard /V 1 /R 2 /O <{'11' * 32}> /U <{'22' * 32}> /P -4 >>".encode()
        trailer += " /Encrypt 7 0 R"
    return write_objects(path, objects, trailer)


def write_objects(path: Path, objects: dict[int, bytes], trailer: str) -> Path:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    size = max(objects) + 1
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += f"trailer\n<< /Size {size} {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path
