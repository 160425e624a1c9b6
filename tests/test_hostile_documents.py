"""Hostile and broken documents (issue 35): each is refused in one line naming the file and the problem,
before a parser unpacks or expands it. Their cost in time and memory is measured by
benchmarks/bench_hostile_documents.py, not here."""

from __future__ import annotations

import pytest

from tasks.core.errors import ManuscriptError
from tasks.manuscript import limits, read_manuscript
from tasks.manuscript.limits import MAX_DOCUMENT_BYTES
from tests import hostile_documents as hostile
from tests.office_documents import docx, para


def refused(path, problem: str) -> None:
    with pytest.raises(ManuscriptError) as err:
        read_manuscript(path)
    message = str(err.value)
    assert path.name in message and "\n" not in message and problem in message, message


@pytest.mark.parametrize("make", [hostile.zip_bomb_docx, hostile.zip_bomb_odt])
def test_a_zip_bomb_is_refused_from_the_archives_table(tmp_path, make):
    refused(make(tmp_path), "looks like a zip bomb")


def test_a_document_unpacking_past_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 2_000)
    refused(docx(tmp_path / "big.docx", "".join(para(f"Paragraph {k} of the chapter.") for k in range(100))), "unpacks to")


def test_entities_in_a_word_document_are_refused(tmp_path):
    refused(hostile.billion_laughs_docx(tmp_path), "declares a DTD or entities")


def test_an_external_entity_in_an_odt_is_refused(tmp_path):
    refused(hostile.external_entity_odt(tmp_path), "declares a DTD or entities")


def test_a_truncated_docx_is_one_line(tmp_path):
    refused(hostile.truncated_docx(tmp_path), "damaged or cut short")


@pytest.mark.parametrize("name, head", [("big.docx", b"PK\x03\x04"), ("big.odt", b"PK\x03\x04"), ("big.rtf", b"{\\rtf1")])
def test_a_document_over_the_size_limit_is_refused_unread(tmp_path, name, head):
    refused(hostile.sparse(tmp_path / name, head, MAX_DOCUMENT_BYTES + 1), "limit")


def test_an_old_word_document_says_to_save_it_as_docx(tmp_path):
    refused(hostile.word97_doc(tmp_path), "is a Word 97-2003 document (.doc): save it as .docx")


def test_a_password_protected_docx_says_so(tmp_path):
    refused(hostile.encrypted_docx(tmp_path), "password-protected Office document")


def test_groups_nested_without_end_in_rtf_are_refused(tmp_path):
    refused(hostile.deep_rtf(tmp_path), "nests groups more than")


def test_a_truncated_rtf_is_one_line(tmp_path):
    refused(hostile.truncated_rtf(tmp_path), "cut short")


def test_a_ten_thousand_page_pdf_is_refused_before_its_pages_are_read(tmp_path):
    refused(hostile.ten_thousand_page_pdf(tmp_path), "has 10,000 pages")
