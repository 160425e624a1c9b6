"""Notes in every form Project Gutenberg uses (issue 32 point 6): none is read inline by default, each can be
read at its chapter's end."""

from pathlib import Path

import pytest

from tasks.manuscript.ingest import read_manuscript

FORMS = {
    "braced": ("The rent of land {Footnote: See Book I, chapter xi.} is high.", "See Book I, chapter xi."),
    "bracketed": ("The rent of land[1] is high.\n\n[Footnote 1: See Book I, chapter xi.]", "See Book I, chapter xi."),
    "numbered later": ("The rent of land[1] is high.\n\nMore prose follows here.\n\n[1] See Book I, chapter xi.",
                       "See Book I, chapter xi."),
    "parenthesised star": ("The rent of land (*) is high.\n\n(*) See Book I, chapter xi.", "See Book I, chapter xi."),
    "asterisked": ("The rent of land* is high.\n\n* See Book I, chapter xi.", "See Book I, chapter xi."),
}


def read(tmp_path: Path, body: str, notes: str = "skip"):
    path = tmp_path / "treatise.txt"
    path.write_text(f"CHAPTER I\n\n{body}\n\nCHAPTER II\n\nThe end of rent.", encoding="utf-8")
    return read_manuscript(path, notes=notes)


@pytest.mark.parametrize("form", FORMS)
def test_a_note_is_not_read_inline(tmp_path, form):
    body, note = FORMS[form]
    book = read(tmp_path, body)
    said = " ".join(book.chapters[0].paragraphs)
    assert "The rent of land is high." in said and note not in said and "*" not in said
    assert any(s.kind == "notes" for s in book.skipped)


@pytest.mark.parametrize("form", FORMS)
def test_a_note_can_be_read_at_its_chapters_end(tmp_path, form):
    body, note = FORMS[form]
    paragraphs = read(tmp_path, body, notes="chapter-end").chapters[0].paragraphs
    assert paragraphs[-2:] == ["Notes.", note]


def test_a_section_break_of_stars_is_not_a_note(tmp_path):
    book = read(tmp_path, "One part.\n\n* * *\n\nAnother part.")
    assert not any(s.kind == "notes" for s in book.skipped)
