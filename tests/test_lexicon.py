"""The producer's lexicon: side files and front matter, applied before normalization, part of the ids."""

from dataclasses import replace
from pathlib import Path

import pytest

from tasks.manuscript.book import Book, Chapter
from tasks.core.errors import ManuscriptError
from tasks.text.lexicon import NO_LEXICON, Lexicon, load_lexicon, parse_entry
from tasks.text.segment import SegmentationSettings, segment_book

PLAIN = SegmentationSettings(speak_titles=False)


def lexicon(*rows: tuple[str, str]) -> Lexicon:
    return Lexicon(tuple(parse_entry(written, spoken, "", "test") for written, spoken in rows))


def book_at(source: Path, *paragraphs: str) -> Book:
    return Book("Book", "Author", [Chapter("One", list(paragraphs))], source=source)


def test_a_side_file_next_to_the_manuscript_is_read(tmp_path):
    (tmp_path / "emma.lexicon.csv").write_text("written,spoken,note\nKnightley,Nightly,silent K\n")
    entries = load_lexicon(book_at(tmp_path / "emma.txt")).entries
    assert [(e.written, e.spoken, e.note) for e in entries] == [("Knightley", "Nightly", "silent K")]


def test_a_folder_book_keeps_its_lexicon_inside(tmp_path):
    (tmp_path / "lexicon.tsv").write_text("written\tspoken\nHermione\tHer-my-oh-nee\n")
    assert [e.spoken for e in load_lexicon(book_at(tmp_path)).entries] == ["Her-my-oh-nee"]


def test_front_matter_entries_come_first(tmp_path):
    (tmp_path / "b.lexicon.csv").write_text("written,spoken\nDarcy,Darsee\n")
    book = book_at(tmp_path / "b.md")
    book.pronunciations = [{"written": "Bingley", "spoken": "Bing-lee", "note": "as in bingo"}, {"Wickham": "Wick-um"}]
    assert [e.written for e in load_lexicon(book).entries] == ["Bingley", "Wickham", "Darcy"]


def test_a_bad_row_is_one_line_naming_the_file_and_the_row(tmp_path):
    path = tmp_path / "b.lexicon.csv"
    path.write_text("written,spoken\nDarcy,Darsee\nWickham,\n")
    with pytest.raises(ManuscriptError, match=rf"^{path}: row 3: needs both"):
        load_lexicon(book_at(tmp_path / "b.txt"))


def test_a_bad_pattern_or_header_is_one_line(tmp_path):
    path = tmp_path / "b.lexicon.csv"
    path.write_text("written,spoken\n/(unclosed/,x\n")
    with pytest.raises(ManuscriptError, match=r"row 2: the pattern /\(unclosed/ is not a valid regular expression"):
        load_lexicon(book_at(tmp_path / "b.txt"))
    path.write_text("word,say\nDarcy,Darsee\n")
    with pytest.raises(ManuscriptError, match=r"needs a header row with the columns written, spoken, note"):
        load_lexicon(book_at(tmp_path / "b.txt"))


def test_words_match_whole_and_case_sensitively_when_capitalized():
    assert lexicon(("Pip", "Pippy")).apply("Pip saw Pipkin and pip.") == "Pippy saw Pipkin and pip."


def test_a_lower_case_word_matches_any_case_and_keeps_the_capital():
    assert lexicon(("colonel", "kernel")).apply("Colonel Brandon, the colonel.") == "Kernel Brandon, the kernel."


def test_a_pattern_may_use_its_groups():
    assert lexicon((r"/\bNo\. (\d+)/", r"Number \1")).apply("No. 7 and No. 9") == "Number 7 and Number 9"


def test_matches_are_counted_per_entry():
    counts = lexicon(("Pip", "Pippy"), ("Joe", "Joseph"), ("Orlick", "Or-lick")).matches(["Pip and Joe.", "Pip."])
    assert counts == {"Pip": 2, "Joe": 1, "Orlick": 0}


def test_the_lexicon_applies_before_normalization_to_text_and_headings():
    book = Book("Book", "Author", [Chapter("Chapter Knightley", ["Mr. Knightley paid $5 for it."])])
    manifest = segment_book(book, replace(PLAIN, speak_titles=True, min_seconds=0), lexicon=lexicon(("Knightley", "Nightly")))
    assert manifest.spoken.tolist() == ["Chapter Nightly.", "Mister Nightly paid five dollars for it."]
    assert manifest.text.tolist()[1] == "Mr. Knightley paid $5 for it."


def test_an_edited_entry_changes_exactly_the_ids_of_the_segments_it_touches():
    paragraphs = [f"Paragraph {n} tells of the house and the garden and the long road past the farm." for n in range(6)]
    paragraphs[2] = "Then Mr. Knightley came to the house and sat down in the garden by the road."
    paragraphs[4] = "Nobody but Knightley would have said so to her face, on that day or any other."
    book = Book("Book", "Author", [Chapter("One", paragraphs)])
    before = segment_book(book, PLAIN, lexicon=NO_LEXICON)
    after = segment_book(book, PLAIN, lexicon=lexicon(("Knightley", "Nightly")))
    changed = [n for n, (a, b) in enumerate(zip(before.id, after.id)) if a != b]
    assert len(before) == len(after)
    assert changed == [n for n, text in enumerate(before.text) if "Knightley" in text] == [2, 4]
