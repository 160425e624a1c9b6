"""Plain-text books as they come from Project Gutenberg: wrapper, structure, notes and encodings."""

import codecs
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from tasks.core.errors import ManuscriptError
from tasks.manuscript.gutenberg import (is_credit, is_end_marker, is_gutenberg_boilerplate, is_start_marker, language_code,
                             strip_gutenberg)
from tasks.manuscript.ingest import read_manuscript

HEADER = """\ufeffThe Project Gutenberg EBook of The Tin Bell, by Ann Example

This eBook is for the use of anyone anywhere at no cost and with
almost no restrictions whatsoever.  You may copy it, give it away or
re-use it under the terms of the Project Gutenberg License included
with this eBook or online at www.gutenberg.org


Title: The Tin Bell
       A Story of the Sea

Author: Ann Example

Translator: Bo Trans

Release Date: May 1, 2001 [EBook #9999]

Language: French

Character set encoding: UTF-8

*** START OF THIS PROJECT GUTENBERG EBOOK THE TIN BELL ***




Produced by Jo Volunteer and the Online Distributed
Proofreading Team at http://www.pgdp.net


"""
FOOTER = """

End of the Project Gutenberg EBook of The Tin Bell, by Ann Example

*** END OF THIS PROJECT GUTENBERG EBOOK THE TIN BELL ***

***** This file should be named 9999.txt or 9999.zip *****

*** START: FULL LICENSE ***

THE FULL PROJECT GUTENBERG LICENSE
PLEASE READ THIS BEFORE YOU DISTRIBUTE OR USE THIS WORK

Section 1.  General Terms of Use and Redistributing Project Gutenberg-tm
electronic works
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def spoken(book) -> str:
    return " ".join(h for c in book.chapters for h in c.spoken_headings) + " " + " ".join(
        p for c in book.chapters for p in c.paragraphs)


def titles(book) -> list[str]:
    return [c.title for c in book.chapters]


def pg_book(tmp_path, body: str, name: str = "pg9999.txt"):
    return read_manuscript(write(tmp_path / name, HEADER + body + FOOTER))


BODY = "CHAPTER I. The Bell\n\nThe bell rang once.\n\nCHAPTER II. The Sea\n\nThe sea was grey."


# --- Project Gutenberg's wrapper ----------------------------------------------------------------


def test_pg_header_license_and_credits_are_never_spoken(tmp_path):
    words = spoken(pg_book(tmp_path, BODY))
    for boilerplate in ("Gutenberg", "eBook", "License", "Produced by", "pgdp", "Release Date", "START", "Section 1"):
        assert boilerplate not in words
    assert "The bell rang once." in words and "The sea was grey." in words


def test_pg_header_fields_become_metadata(tmp_path):
    book = pg_book(tmp_path, BODY)
    assert (book.title, book.author, book.language, book.contributors) == (
        "The Tin Bell", "Ann Example", "fr", ["Bo Trans"])


def test_pg_wrapper_is_counted_as_skipped_boilerplate(tmp_path):
    skipped = pg_book(tmp_path, BODY).skipped
    places = {s.where for s in skipped if s.kind == "boilerplate"}
    assert {"Project Gutenberg header", "Project Gutenberg license", "Project Gutenberg credits"} <= places
    assert sum(s.words for s in skipped if s.where == "Project Gutenberg license") > 20


@pytest.mark.parametrize("start, end", [
    ("*** START OF THE PROJECT GUTENBERG EBOOK THE TIN BELL ***", "*** END OF THE PROJECT GUTENBERG EBOOK THE TIN BELL ***"),
    ("***START OF THE PROJECT GUTENBERG EBOOK THE TIN BELL***", "***END OF THE PROJECT GUTENBERG EBOOK THE TIN BELL***"),
    ("*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*", "End of The Project Gutenberg Etext of The Tin Bell"),
])
def test_pg_markers_of_every_era_are_found(start, end):
    text = f"The Project Gutenberg Etext of The Tin Bell, by Ann Example\n\nlicense words\n\n{start}\n\nThe body.\n\n{end}\n\nmore license"
    result = strip_gutenberg(text)
    assert result.body.strip() == "The body."
    assert (result.named["title"], result.named["author"]) == ("The Tin Bell", "Ann Example")


def test_a_title_page_author_outranks_pgs_title_line_but_not_its_author_field(tmp_path):
    old_style = "The Project Gutenberg Etext of The Tin Bell, by Example\n\n*END*THE SMALL PRINT!*END*\n\n"
    body = "THE TIN BELL\n\nby Ann Example\n\nCHAPTER I\n\nThe bell rang."
    assert read_manuscript(write(tmp_path / "old.txt", old_style + body)).author == "Ann Example"
    assert pg_book(tmp_path, "THE TIN BELL\n\nby A. E.\n\n" + BODY).author == "Ann Example"


def test_a_transcribers_note_is_not_read(tmp_path):
    body = "[Transcriber's Note: Obvious typos\n\nhave been corrected.]\n\n" + BODY
    words = spoken(pg_book(tmp_path, body))
    assert "Transcriber" not in words and "typos" not in words and "The bell rang once." in words


def test_a_text_without_pg_marks_is_read_whole():
    text = "A story that mentions Project Gutenberg once.\n\nThe end."
    assert strip_gutenberg(text).body == text


@pytest.mark.parametrize("name, code", [("English", "en"), ("French", "fr"), ("german", "de"), ("Greek", "el"), ("fr", "fr"),
                                        ("en-GB", "en"), ("English, French", "en")])
def test_language_names_become_iso_codes(name, code):
    assert language_code(name) == code


def test_single_blocks_are_recognised_for_epubs():
    assert is_start_marker("*** START OF THIS PROJECT GUTENBERG EBOOK DRACULA ***")
    assert is_end_marker("End of the Project Gutenberg EBook of Dracula, by Bram Stoker")
    assert is_credit("Produced by Chuck Greif and the Online Distributed Proofreading Team")
    assert not (is_start_marker("It started.") or is_end_marker("The end of it.") or is_credit("Produced in 1897."))


def test_license_documents_are_recognised_for_epubs():
    assert is_gutenberg_boilerplate("*** START OF THE PROJECT GUTENBERG EBOOK X ***")
    assert is_gutenberg_boilerplate("THE FULL PROJECT GUTENBERG LICENSE ... Project Gutenberg Literary Archive Foundation")
    assert not is_gutenberg_boilerplate("It was a dark and stormy night.")


# --- title page ---------------------------------------------------------------------------------


def test_a_title_and_by_line_are_metadata_not_body(tmp_path):
    text = "THE TIN BELL\n\nby\n\nANN EXAMPLE\n\nCHAPTER I\n\nThe bell rang."
    book = read_manuscript(write(tmp_path / "tin.txt", text))
    assert (book.title, book.author) == ("The Tin Bell", "Ann Example")
    assert "ANN EXAMPLE" not in spoken(book) and book.chapters[0].paragraphs == ["The bell rang."]


def test_a_bracketed_title_by_author_line_is_metadata(tmp_path):
    book = read_manuscript(write(tmp_path / "emma.txt", "[Emma by Jane Austen 1816]\n\nVOLUME I\n\nCHAPTER I\n\nEmma Woodhouse."))
    assert (book.title, book.author) == ("Emma", "Jane Austen")
    assert "1816" not in spoken(book)


def test_a_poem_after_the_title_is_not_taken_for_the_title_page(tmp_path):
    poem = "Tiger, tiger, burning bright\nIn the forests of the night"
    book = read_manuscript(write(tmp_path / "songs.txt", f"SONGS\n\nby\n\nWILLIAM BLAKE\n\n{poem}"))
    assert (book.title, book.author) == ("Songs", "William Blake")
    assert book.chapters[0].paragraphs == [" ".join(poem.split())]


def test_the_title_page_of_a_pg_book_is_not_read(tmp_path):
    book = pg_book(tmp_path, "THE TIN BELL\n\nA STORY OF THE SEA\n\nNEW YORK\n\n" + BODY)
    assert titles(book)[0] == "CHAPTER I. The Bell"
    assert "NEW YORK" not in spoken(book)


# --- contents and headings -----------------------------------------------------------------------


def test_a_contents_list_is_not_chapters(tmp_path):
    contents = "CONTENTS\n\n     CHAPTER I.  The Bell ........ 1\n     CHAPTER II. The Sea ......... 9\n\n"
    book = pg_book(tmp_path, contents + BODY)
    assert titles(book) == ["CHAPTER I. The Bell", "CHAPTER II. The Sea"]
    assert [s.kind for s in book.skipped].count("contents") == 1


def test_an_untitled_contents_whose_lines_equal_the_headings_is_not_chapters(tmp_path):
    contents = "I. The Bell\nII. The Sea\nIII. The Shore\n\n"
    body = "I. The Bell\n\nRang.\n\nII. The Sea\n\nGrey.\n\nIII. The Shore\n\nWet."
    book = read_manuscript(write(tmp_path / "b.txt", contents + body))
    assert titles(book) == ["I. The Bell", "II. The Sea", "III. The Shore"]


def test_a_contents_of_heading_blocks_with_page_numbers_is_not_chapters(tmp_path):
    contents = "CONTENTS\n\nCHAPTER I\n\nThe Bell      1\n\nCHAPTER II\n\nThe Sea      9\n\n"
    body = "CHAPTER I\n\nTHE BELL\n\nIt rang.\n\nCHAPTER II\n\nTHE SEA\n\nIt was grey."
    book = read_manuscript(write(tmp_path / "b.txt", contents + body))
    assert titles(book) == ["CHAPTER I. THE BELL", "CHAPTER II. THE SEA"]
    assert book.chapters[0].paragraphs == ["It rang."]


def test_a_long_heading_is_found_where_its_form_repeats(tmp_path):
    long = "CHAPTER II -- HOW THE BELL WAS CAST IN THE OLD FOUNDRY BY THE RIVER, AND WHY IT\nNEVER RANG TRUE"
    book = read_manuscript(write(tmp_path / "b.txt", f"CHAPTER I -- THE BELL\n\nIt rang.\n\n{long}\n\nIt cracked."))
    assert len(book.chapters) == 2 and book.chapters[1].title.endswith("NEVER RANG TRUE")
    assert len(book.chapters[1].title) > 80


def test_a_repeated_keyword_heading_is_a_chapter_and_its_numerals_are_sub_parts(tmp_path):
    text = ("ADVENTURE I. THE BELL\n\nI.\n\nIt rang.\n\nII.\n\nIt rang again.\n\n"
            "ADVENTURE II. THE SEA\n\nI.\n\nIt was grey.")
    book = read_manuscript(write(tmp_path / "b.txt", text))
    assert titles(book) == ["ADVENTURE I. THE BELL", "ADVENTURE II. THE SEA"]
    assert book.chapters[0].paragraphs == ["It rang.", "It rang again."]


def test_bare_numerals_are_chapters_when_the_book_has_no_other_kind(tmp_path):
    book = read_manuscript(write(tmp_path / "b.txt", "I.\n\nOne.\n\nII.\n\nTwo.\n\nIII.\n\nThree."))
    assert titles(book) == ["I.", "II.", "III."]


def test_a_speakers_initial_is_not_a_roman_numeral_chapter(tmp_path):
    text = "I.\n\nOne.\n\nM. --Il est papa.\n\nII.\n\nTwo."
    assert titles(read_manuscript(write(tmp_path / "b.txt", text))) == ["I.", "II."]


def test_a_by_that_starts_a_sentence_is_not_a_by_line(tmp_path):
    text = "ACT I\n\nSome words.\n\nROPER.\n\nBy Jove, yes! When I think of it.\n\nACT II\n\nMore."
    book = read_manuscript(write(tmp_path / "b.txt", text))
    assert titles(book) == ["ACT I", "ACT II"] and "By Jove, yes! When I think of it." in book.chapters[0].paragraphs


def test_a_sentence_starting_with_a_number_is_not_a_heading(tmp_path):
    text = "CHAPTER I\n\nOn 6 July we sailed.\n\nOn 7 July we landed.\n\nCHAPTER II\n\nHome."
    assert len(read_manuscript(write(tmp_path / "b.txt", text)).chapters) == 2


def test_volumes_are_a_level_above_chapters(tmp_path):
    text = "VOLUME I\n\nCHAPTER I\n\nOne.\n\nCHAPTER II\n\nTwo.\n\nVOLUME II\n\nCHAPTER I\n\nThree."
    book = read_manuscript(write(tmp_path / "b.txt", text))
    assert titles(book) == ["VOLUME I, CHAPTER I", "VOLUME I, CHAPTER II", "VOLUME II, CHAPTER I"]
    assert [c.spoken_headings for c in book.chapters] == [["VOLUME I", "CHAPTER I"], ["CHAPTER II"],
                                                          ["VOLUME II", "CHAPTER I"]]
    assert book.chapters[1].paragraphs == ["Two."]  # "VOLUME II" is not its last sentence


def test_a_plays_acts_hold_its_scenes(tmp_path):
    text = "ACT I\n\nSCENE I. A heath.\n\nThunder.\n\nSCENE II. A camp.\n\nAlarum.\n\nACT II\n\nSCENE I. A castle.\n\nNight."
    book = read_manuscript(write(tmp_path / "play.txt", text))
    assert titles(book) == ["ACT I, SCENE I. A heath.", "ACT I, SCENE II. A camp.", "ACT II, SCENE I. A castle."]


def test_an_ordinal_before_a_known_keyword_is_a_heading(tmp_path):
    text = "THE FIRST ACT\n\nA room.\n\nTHE SECOND ACT\n\nA garden.\n\nFirst Love\n\nA poem."
    assert titles(read_manuscript(write(tmp_path / "play.txt", text))) == ["THE FIRST ACT", "THE SECOND ACT"]


def test_books_with_titled_parts_over_numeral_chapters(tmp_path):
    text = "Book the First--Recalled to Life\n\nI. The Period\n\nIt was.\n\nBook the Second--the Golden Thread\n\nI. Five Years Later\n\nLater."
    book = read_manuscript(write(tmp_path / "b.txt", text))
    assert titles(book) == ["Book the First--Recalled to Life, I. The Period",
                            "Book the Second--the Golden Thread, I. Five Years Later"]


def test_a_contents_whose_chapters_restart_in_each_book_ends_where_the_body_begins(tmp_path):
    contents = "CONTENTS\n\nBOOK ONE: 1805\n\nCHAPTER I\n\nCHAPTER II\n\nBOOK TWO: 1806\n\nCHAPTER I\n\nCHAPTER II\n\n"
    body = "".join(f"BOOK {b}: {y}\n\nCHAPTER I\n\nText {b} one.\n\nCHAPTER II\n\nText {b} two.\n\n"
                   for b, y in (("ONE", 1805), ("TWO", 1806)))
    book = read_manuscript(write(tmp_path / "b.txt", contents + body))
    assert titles(book) == ["BOOK ONE: 1805, CHAPTER I", "BOOK ONE: 1805, CHAPTER II",
                            "BOOK TWO: 1806, CHAPTER I", "BOOK TWO: 1806, CHAPTER II"]


def test_a_named_section_over_its_own_chapters_is_a_part(tmp_path):
    text = "BOOK ONE\n\nCHAPTER I\n\nOne.\n\nFIRST EPILOGUE\n\nCHAPTER I\n\nLater."
    book = read_manuscript(write(tmp_path / "b.txt", text))
    assert titles(book) == ["BOOK ONE, CHAPTER I", "FIRST EPILOGUE, CHAPTER I"]


def test_sections_the_contents_lists_before_its_chapters_are_headings(tmp_path):
    contents = "CONTENTS\n\nETYMOLOGY.\n\nCHAPTER 1. Loomings.\n\nCHAPTER 2. The Carpet-Bag.\n\n"
    body = "ETYMOLOGY.\n\nWhale, from the Dutch.\n\nCHAPTER 1. Loomings.\n\nCall me Ishmael.\n\nCHAPTER 2. The Carpet-Bag.\n\nBag."
    book = read_manuscript(write(tmp_path / "b.txt", contents + body))
    assert titles(book) == ["ETYMOLOGY.", "CHAPTER 1. Loomings.", "CHAPTER 2. The Carpet-Bag."]


def test_each_work_of_a_collection_starts_at_its_title_and_by_line(tmp_path):
    text = "CHAPTER I\n\nThe prince.\n\nTHE LIFE OF CASTRUCCIO\n\nWRITTEN BY NICOLO MACHIAVELLI\n\nHe was born."
    book = read_manuscript(write(tmp_path / "b.txt", text))
    assert titles(book) == ["CHAPTER I", "THE LIFE OF CASTRUCCIO"]
    assert book.chapters[1].paragraphs == ["He was born."]


def test_the_end_and_what_follows_it_are_not_read(tmp_path):
    text = "CHAPTER I\n\nThe last words.\n\nTHE END\n\nMORE BOOKS BY THIS PUBLISHER\n\nThe Copper Kettle"
    book = read_manuscript(write(tmp_path / "b.txt", text))
    assert book.chapters[-1].paragraphs == ["The last words."]
    assert any(s.kind == "back matter" for s in book.skipped)


# --- notes and pictures ---------------------------------------------------------------------------

NOTED = "CHAPTER I\n\nThe bell[1] rang.\n\n[Footnote 1: Cast in 1820.]\n\n[Illustration: A bell]\n\nCHAPTER II\n\nSilence."


def test_footnotes_and_pictures_are_skipped_by_default(tmp_path):
    book = read_manuscript(write(tmp_path / "b.txt", NOTED))
    assert book.chapters[0].paragraphs == ["The bell rang."]
    assert {s.kind for s in book.skipped} >= {"notes", "figures"}


def test_footnotes_can_be_read_at_the_chapter_end(tmp_path):
    book = read_manuscript(write(tmp_path / "b.txt", NOTED), notes="chapter-end")
    assert book.chapters[0].paragraphs == ["The bell rang.", "Notes.", "Cast in 1820."]
    assert book.chapters[1].paragraphs == ["Silence."]


def test_notes_gathered_at_the_end_of_the_book_go_back_to_the_chapter_that_cites_them(tmp_path):
    text = ("CHAPTER I\n\nThe bell.[1]\n\nCHAPTER II\n\nThe sea.[2]\n\nFOOTNOTES:\n\n"
            "[1] Cast in 1820.\n\n[2] Cold.")
    book = read_manuscript(write(tmp_path / "b.txt", text), notes="chapter-end")
    assert [c.paragraphs for c in book.chapters] == [["The bell.", "Notes.", "Cast in 1820."],
                                                     ["The sea.", "Notes.", "Cold."]]


def test_an_unknown_notes_policy_is_refused(tmp_path):
    with pytest.raises(ManuscriptError, match="notes policy"):
        read_manuscript(write(tmp_path / "b.txt", NOTED), notes="inline")


# --- encodings ----------------------------------------------------------------------------------

FRENCH = "CHAPITRE I\n\nÉtienne était né à Noël, « déjà » très âgé ; l’œuvre coûtait cher.\n\n" * 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252", "latin-1"])
def test_common_encodings_are_detected_and_read(tmp_path, encoding):
    text = FRENCH if encoding not in ("latin-1",) else FRENCH.replace("’", "'").replace("œ", "oe")
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = codecs.BOM_UTF16_BE + raw
    path = tmp_path / "livre.txt"
    path.write_bytes(raw)
    assert read_manuscript(path).chapters[0].paragraphs[0] == text.split("\n\n")[1]


def test_a_utf16_file_without_a_bom_is_not_called_binary(tmp_path):
    path = tmp_path / "b.txt"
    path.write_bytes(("Plain words in a plain file, nothing more.\n\n" * 5).encode("utf-16-le"))
    assert read_manuscript(path).chapters[0].paragraphs[0] == "Plain words in a plain file, nothing more."


def test_crlf_line_ends_are_read_as_lines(tmp_path):
    book = read_manuscript(write(tmp_path / "b.txt", "CHAPTER I\n\nOne line\nwrapped."))
    assert book.chapters[0].paragraphs == ["One line wrapped."]


# --- speed ----------------------------------------------------------------------------------------


def test_a_long_novel_is_read_in_well_under_five_seconds(tmp_path):
    chapter = "CHAPTER {n}. A TITLE\n\n" + ("The bell rang and the sea was grey, said she[1]. " * 10 + "\n\n") * 40
    text = HEADER + "CONTENTS\n\n" + "\n".join(f"CHAPTER {n}. A TITLE" for n in range(1, 121)) + "\n\n"
    text += "".join(chapter.format(n=n) for n in range(1, 121)) + FOOTER  # ~480,000 words
    path = write(tmp_path / "long.txt", text)
    started = time.perf_counter()
    book = read_manuscript(path)
    assert time.perf_counter() - started < 5
    assert len(book.chapters) == 120


# --- properties -----------------------------------------------------------------------------------

WORDS = st.sampled_from(["the", "sea", "was", "grey", "and", "she", "rang", "a", "bell", "once", "more", "Tom"])
SENTENCE = st.lists(WORDS, min_size=1, max_size=12).map(lambda w: " ".join(w).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=1, max_size=5).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=8))
def test_prose_without_structure_loses_no_word(tmp_path_factory, paragraphs):
    path = write(tmp_path_factory.mktemp("p") / "prose.txt", "\n\n".join(paragraphs))
    book = read_manuscript(path)
    assert [p for c in book.chapters for p in c.paragraphs] == paragraphs


def test_a_title_leaf_with_imprint_and_printing_history_is_not_read(tmp_path):
    leaf = ("NEWS FROM NOWHERE\nOR\nAN EPOCH OF REST\n\nBY\nWILLIAM MORRIS\n\n_TENTH IMPRESSION_\n\n"
            "LONGMANS, GREEN, AND CO.\n39 PATERNOSTER ROW, LONDON\n1908\n\n_All rights reserved_\n\n"
            "_First printed serially in the_ Commonweal, 1890.\n\n")
    book = read_manuscript(write(tmp_path / "news.txt", leaf + "CHAPTER I: DISCUSSION AND BED\n\nUp at the League."))
    assert [(c.title, c.paragraphs) for c in book.chapters] == [("CHAPTER I: DISCUSSION AND BED", ["Up at the League."])]
    assert {s.kind for s in book.skipped} == {"title"}
