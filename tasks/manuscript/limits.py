"""Bounds on untrusted office documents, checked before any parser sees their content.

A DOCX or ODT is a ZIP of XML: the archive's own table says what each member unpacks to, so a zip
bomb is refused from that table alone (Python's zipfile never unpacks more than a member's stated
size), and the XML is parsed with entities off, no DTD, no network and lxml's default tree limits.
Office XML never declares a DTD, so one that does (billion laughs, external entities) is refused.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from .book import fail

MAX_DOCUMENT_BYTES = 100 * 2**20  # the file itself: a novel with pictures is a few MiB
MAX_UNPACKED_BYTES = 200 * 2**20  # what its members unpack to together (pictures are never unpacked)
MAX_XML_BYTES = 64 * 2**20  # one XML member: a 1,000-page book's document.xml is ~10 MiB
MAX_MEMBERS = 5_000
MAX_RATIO = 100  # unpacked / packed for a member over 1 MiB; XML packs ~5-15x, a bomb ~1000x
DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False)


@dataclass(frozen=True)
class Archive:
    """A checked ZIP: its members' names, read one at a time within MAX_XML_BYTES."""

    path: Path
    zip: zipfile.ZipFile
    what: str  # 'a Word document', named in refusals

    def names(self) -> set[str]:
        return set(self.zip.NameToInfo)

    def read(self, name: str) -> bytes | None:
        """A member's bytes, or None when it is absent; damage is a one-line refusal."""
        info = self.zip.NameToInfo.get(name)
        if info is None:
            return None
        if info.file_size > MAX_XML_BYTES:
            raise fail(self.path, f"its {name} is {info.file_size / 2**20:,.0f} MiB (limit {MAX_XML_BYTES // 2**20} MiB)")
        try:
            return self.zip.read(info)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, NotImplementedError, zlib.error) as err:
            raise fail(self.path, f"is {self.what} that is damaged ({name} cannot be unpacked: {err})") from None

    def xml(self, name: str):
        """A member parsed safely (None when absent)."""
        data = self.read(name)
        return None if data is None else parse_xml(self.path, data, name)


def check_size(path: Path, limit: int, what: str) -> None:
    size = path.stat().st_size
    if size > limit:
        raise fail(path, f"is {size:,} bytes, over the limit of {limit // 2**20} MiB for {what}")
    if size == 0:
        raise fail(path, "is empty")


def open_archive(path: Path, what: str) -> Archive:
    """The file as a ZIP whose table passes every bound, or a ManuscriptError saying which it breaks."""
    check_size(path, MAX_DOCUMENT_BYTES, what)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise fail(path, f"is {what} that is damaged or cut short (not a readable ZIP: {err})") from None
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise fail(path, f"holds {len(members):,} files (limit {MAX_MEMBERS:,}); refusing it")
    for member in members:
        name = member.filename
        if name.startswith("/") or "\\" in name or ".." in PurePosixPath(name).parts or any(ord(c) < 32 for c in name):
            raise fail(path, f"contains a hostile file name {name!r}")
        if member.file_size > 2**20 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise fail(path, f"looks like a zip bomb ({name!r} unpacks {ratio:,}x to {member.file_size / 2**20:,.0f} MiB)")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise fail(path, f"unpacks to {unpacked / 2**20:,.0f} MiB (limit {MAX_UNPACKED_BYTES // 2**20} MiB)")
    return Archive(path, archive, what)


def parse_xml(path: Path, data: bytes, name: str):
    """XML without a DTD, parsed with entities, DTDs and the network off; else one line naming the member."""
    if DTD.search(data):
        raise fail(path, f"its {name} declares a DTD or entities, which office documents never do; refusing it")
    try:
        return etree.fromstring(data, SAFE_XML)
    except etree.XMLSyntaxError as err:
        raise fail(path, f"its {name} is not well-formed XML ({err})") from None
