"""The scanner sees every manuscript ingest reads (tasks.manuscript.MANUSCRIPT_SUFFIXES) and folder books."""

import json

from flows.scan import changed_manuscripts, manuscript_digests


def test_the_scan_sees_what_ingest_reads_and_nothing_else(tmp_path):
    read = ("a.txt", "b.md", "c.markdown", "d.epub", "e.docx", "f.odt", "g.rtf", "h.pdf", "i.html")
    for name in (*read, "notes.doc", "sheet.xlsx", ".hidden.md"):
        (tmp_path / name).write_text(name)
    (tmp_path / "folder-book").mkdir()
    (tmp_path / "folder-book" / "01.md").write_text("# One\n\nText.")
    assert set(manuscript_digests(tmp_path)) == {*read, "folder-book"}


def test_an_edited_chapter_of_a_folder_book_makes_it_changed(tmp_path):
    inbox, state = tmp_path / "inbox", tmp_path / "state.json"
    (inbox / "book").mkdir(parents=True)
    (inbox / "book" / "01.md").write_text("# One\n\nText.")
    (inbox / "book" / "02.md").write_text("# Two\n\nMore text.")
    names, digests = changed_manuscripts(inbox, state)
    assert names == ["book"]
    state.write_text(json.dumps(digests))
    assert changed_manuscripts(inbox, state)[0] == []  # unchanged: nothing to start
    (inbox / "book" / "02.md").write_text("# Two\n\nMore text, edited.")
    assert changed_manuscripts(inbox, state)[0] == ["book"]
