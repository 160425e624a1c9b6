"""Bytes of a text manuscript -> str: a BOM says the encoding, else UTF-8, else a detector decides.

Project Gutenberg and word processors still write Windows-1252, Latin-1 and UTF-16 files; they
are read, not refused. The detector is charset-normalizer; on short Western text it scores several
single-byte code pages alike (or a Baltic one a hair cleaner), and near-ties go to Windows-1252,
the commonest of them.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from .book import fail

BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
PREFERRED_ON_TIE = ("cp1252", "latin_1")
CHAOS_TOLERANCE = 0.1  # charset-normalizer's "mess" ratio; a wrong code page scores far worse than this
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.01  # text has almost none; images and archives are full of them


def decode_text(path: Path, data: bytes) -> str:
    """Decode a manuscript's bytes, or raise the one line that says what is really wrong with them."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return checked(path, data[len(bom):].decode(encoding))
            except UnicodeDecodeError as err:
                raise fail(path, f"starts with a {encoding.upper()} byte-order mark but is not {encoding.upper()} "
                                 f"(undecodable bytes at offset {err.start + len(bom)})") from None
    utf8_error = "it holds NUL bytes"
    if b"\x00" not in data:  # ASCII in UTF-16 without a BOM is valid UTF-8 full of NULs
        try:
            return checked(path, data.decode("utf-8"))
        except UnicodeDecodeError as err:
            utf8_error = f"undecodable byte 0x{data[err.start]:02x} at offset {err.start}"
    encoding = detect_encoding(data)
    if encoding is None:
        if b"\x00" in data:
            raise fail(path, "is binary, not text (it contains NUL bytes and no text encoding fits it)")
        raise fail(path, f"is not text in any encoding barkbook can detect (as UTF-8: {utf8_error})")
    return checked(path, data.decode(encoding))


def detect_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess, with ties between equally clean single-byte readings going to cp1252."""
    best = from_bytes(data).best()
    if best is None:
        return None
    for preferred in from_bytes(data, cp_isolation=list(PREFERRED_ON_TIE)):
        if preferred.chaos <= best.chaos + CHAOS_TOLERANCE and preferred.coherence >= best.coherence - 0.01:
            return preferred.encoding
    return best.encoding


def checked(path: Path, text: str) -> str:
    """Decoded text that is really text: not an image or archive that happened to decode."""
    controls = len(CONTROL_CHARS.findall(text))
    if controls > MAX_CONTROL_SHARE * max(len(text), 1):
        raise fail(path, f"is binary, not text ({controls:,} control characters in {len(text):,})")
    return text.replace("\r\n", "\n").replace("\r", "\n")


HTML_CHARSET = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']|<meta[^>]*charset\s*=\s*["']?([\w.:-]+)""", re.I)


def html_as_utf8(path: Path, data: bytes) -> bytes:
    """An HTML/XHTML file's bytes re-encoded as UTF-8, its charset declarations saying so.

    The declared charset (`<?xml encoding>`, `<meta charset>`) is believed where it decodes the bytes;
    else they are decoded as any text manuscript is (BOM, UTF-8, the detector)."""
    declared = HTML_CHARSET.search(data[:4096])
    name = (declared.group(1) or declared.group(2)).decode("ascii") if declared else None
    text = None
    if name and not any(data.startswith(bom) for bom, _ in BOMS):
        try:
            text = data.decode(codecs.lookup(name).name)
        except (LookupError, UnicodeDecodeError):
            text = None
    text = text if text is not None else decode_text(path, data)
    return HTML_CHARSET.sub(lambda m: m.group(0).replace(m.group(1) or m.group(2), b"utf-8"),
                            text.encode("utf-8"), count=2)
