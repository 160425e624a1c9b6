"""A manuscript's type from its bytes, not its name: an HTML page saved as .txt is HTML, a PDF named
.txt is a PDF. One table of signatures that any reader can extend (a new format: a row here and a
reader in tasks/manuscript/ingest.py's READERS).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

SNIFF_BYTES = 4096

# (signature at offset 0, type): formats that say what they are in their first bytes
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"{\\rtf", "rtf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ms-office"),  # .doc, .xls (OLE2)
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"RIFF", "audio-or-image"),
    (b"ID3", "audio"),
    (b"fLaC", "audio"),
    (b"OggS", "audio"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
)
ZIP_MIMETYPES = {"application/epub+zip": "epub",
                 "application/vnd.oasis.opendocument.text": "odt"}
ZIP_MEMBERS = (("word/document.xml", "docx"),)
HTML_START = re.compile(rb"\A(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                        re.I | re.S)
HTML_TAGS = re.compile(rb"<(?:html|head|body|p|div|h[1-6]|br)\b[^>]*>", re.I)
MIN_HTML_TAGS = 5  # a text that merely mentions "<p>" is still text
OLE_STREAMS = (("EncryptedPackage", "encrypted-office"), ("WordDocument", "word97"))  # what an OLE2 file holds
OLE_SCAN_BYTES = 64 * 2**20  # its directory can sit anywhere; an old .doc is a few MiB
NAMES = {"pdf": "a PDF", "rtf": "an RTF document", "zip": "a ZIP archive", "ms-office": "a Microsoft Office (OLE2) file",
         "image": "an image", "audio-or-image": "a RIFF (WAV/WebP/AVI) file", "audio": "an audio file",
         "gzip": "a gzip archive", "7z": "a 7-Zip archive", "rar": "a RAR archive", "executable": "a program",
         "docx": "a Word (.docx) document", "odt": "an OpenDocument (.odt) document",
         "word97": "a Word 97-2003 (.doc) document", "encrypted-office": "a password-protected Office document"}


def sniff(data: bytes) -> str:
    """The type the bytes are: 'text', 'html', 'epub', or another entry of NAMES."""
    head = data[:SNIFF_BYTES]
    for signature, kind in MAGIC:
        if head.startswith(signature):
            return kind
    text = without_bom(head)
    return "html" if HTML_START.match(text) or len(HTML_TAGS.findall(text)) >= MIN_HTML_TAGS else "text"


def sniff_file(path: Path) -> str:
    """A file's type; a ZIP is looked into (an EPUB's mimetype member, a .docx's document)."""
    with path.open("rb") as handle:
        kind = sniff(handle.read(SNIFF_BYTES))
    if kind == "zip":
        return zip_kind(path)
    return ole_kind(path) if kind == "ms-office" else kind


def ole_kind(path: Path) -> str:
    """An OLE2 file by the streams it names (in UTF-16): an old Word document, an encrypted .docx, or other."""
    with path.open("rb") as handle:
        data = handle.read(OLE_SCAN_BYTES)
    return next((kind for stream, kind in OLE_STREAMS if stream.encode("utf-16-le") in data), "ms-office")


def zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return ZIP_MIMETYPES.get(mimetype, "zip")
            if any(name.upper() == "META-INF/CONTAINER.XML" for name in names):
                return "epub"  # an EPUB zipped without its mimetype member
            return next((kind for member, kind in ZIP_MEMBERS if member in names), "zip")
    except (zipfile.BadZipFile, OSError):
        return "zip"


def without_bom(head: bytes) -> bytes:
    """The first bytes as ASCII-compatible bytes (UTF-16 decoded), for markup sniffing."""
    for bom, codec in ((b"\xef\xbb\xbf", None), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            rest = head[len(bom):]
            return rest if codec is None else rest.decode(codec, "ignore").encode("utf-8", "ignore")
    return head


def describe(kind: str) -> str:
    """'a PDF', 'an image': how a one-line error names a type barkbook does not read."""
    return NAMES.get(kind, f"a {kind} file")
