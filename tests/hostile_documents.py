"""Hostile and broken office documents, made on the spot: what the readers must refuse in one line.
tests/test_hostile_documents.py refuses each; benchmarks/bench_hostile_documents.py times each and
measures its memory. Every maker takes a folder and returns the file it wrote."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.office_documents import docx, odt, para
from tests.pdf_documents import PdfPage, Text, write_pdf

BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                  '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
                  '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
                  '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">'
                  '<!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]>'
                  '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                  '<w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>')
EXTERNAL_ENTITY = ('<?xml version="1.0"?><!DOCTYPE office:document-content [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
                   '<text:p>&x;</text:p></office:text></office:body></office:document-content>')
BOMB_BYTES = 256 << 20  # what the bomb's member unpacks to (~1,000x its packed size)


def zip_bomb_docx(folder: Path) -> Path:
    """A .docx with a member that unpacks 256 MiB of spaces from ~250 KiB."""
    path = docx(folder / "bomb.docx", para("Chapter 1", "Heading1"))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("word/padding.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(BOMB_BYTES >> 20):
                member.write(block)
    return path


def zip_bomb_odt(folder: Path) -> Path:
    path = odt(folder / "bomb.odt", "<text:p>x</text:p>")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Pictures/zeros.png", b"\0" * (64 << 20))
    return path


def billion_laughs_docx(folder: Path) -> Path:
    return docx(folder / "laughs.docx", "", extra={"word/document.xml": BILLION_LAUGHS})


def external_entity_odt(folder: Path) -> Path:
    return odt(folder / "xxe.odt", "", extra={"content.xml": EXTERNAL_ENTITY})


def truncated_docx(folder: Path) -> Path:
    whole = docx(folder / "whole.docx", "".join(para(f"Paragraph {k} of the chapter.") for k in range(200)))
    cut = folder / "cut.docx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    return cut


def sparse(path: Path, head: bytes, size: int) -> Path:
    """A file of `size` bytes that costs no disk: `head`, then zeros."""
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


def word97_doc(folder: Path) -> Path:
    """The start of an OLE2 compound file whose directory names a WordDocument stream."""
    return sparse_ole(folder / "old.doc", "WordDocument")


def encrypted_docx(folder: Path) -> Path:
    """A password-protected .docx: an OLE2 file holding an EncryptedPackage stream."""
    return sparse_ole(folder / "locked.docx", "EncryptedPackage")


def sparse_ole(path: Path, stream: str) -> Path:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + stream.encode("utf-16-le") + b"\0" * 512)
    return path


def ten_thousand_page_pdf(folder: Path) -> Path:
    return write_pdf(folder / "huge.pdf", [], shared_page=PdfPage([Text(72, 700, "One line a page.")]), count=10_000)


def deep_rtf(folder: Path) -> Path:
    path = folder / "deep.rtf"
    path.write_bytes(b"{\\rtf1\\ansi " + b"{" * 100_000 + b"x" + b"}" * 100_000 + b"}")
    return path


def truncated_rtf(folder: Path) -> Path:
    path = folder / "cut.rtf"
    path.write_bytes(b"{\\rtf1\\ansi{\\fonttbl{\\f0 Times;}}\\pard Chapter 1\\par\\pard It was a dark and")
    return path
