"""HTML and XHTML manuscripts (issue 32 point 7), and a file's type read from its bytes, not its name."""

from pathlib import Path

import pytest

from tasks.core.errors import ManuscriptError
from tasks.manuscript.filetype import sniff
from tasks.manuscript.ingest import read_manuscript

PG_HTML = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head>
<meta http-equiv="Content-Type" content="text/html;charset=iso-8859-1" />
<title>The Project Gutenberg eBook of The Tin Bell, by Ann Example</title></head><body>
<pre>
The Project Gutenberg EBook of The Tin Bell, by Ann Example

This eBook is for the use of anyone anywhere at no cost.

Title: The Tin Bell
Author: Ann Example
Language: English

*** START OF THIS PROJECT GUTENBERG EBOOK THE TIN BELL ***
</pre>
<h1>THE TIN BELL</h1>
<h3>by Ann Example</h3>
<h2>Contents</h2>
<p><a href="#c1">CHAPTER I. The Bell</a><br/><a href="#c2">CHAPTER II. The Sea</a><br/>
<a href="#c3">CHAPTER III. The Song</a></p>
<h2 id="c1">CHAPTER I. The Bell</h2>
<p>The bell rang once<a href="#fn1" class="fnanchor">[1]</a> in the caf\xe9. <span class="pagenum">[Pg 7]</span>It rang again.</p>
<div class="footnote"><p><a id="fn1"></a>[1] Cast in 1820.</p></div>
<h2 id="c2">CHAPTER II. The Sea</h2>
<p>The sea was grey and the wind was cold over the harbour wall.</p>
<h2 id="c3">CHAPTER III. The Song</h2>
<div class="poem"><div class="stanza"><span>Over the water the bell is ringing,</span><br/>
<span>Over the water the sailors singing.</span></div></div>
<pre>
*** END OF THIS PROJECT GUTENBERG EBOOK THE TIN BELL ***

THE FULL PROJECT GUTENBERG LICENSE
</pre></body></html>
"""


def write(path: Path, text: str = PG_HTML) -> Path:
    path.write_bytes(text.encode("latin-1"))
    return path


def said(book) -> str:
    return " ".join(p for c in book.chapters for p in [*c.spoken_headings, *c.paragraphs])


@pytest.mark.parametrize("name", ["bell.html", "bell.htm", "bell.xhtml"])
def test_an_html_book_reads_its_chapters_and_leaves_pgs_wrapper_out(tmp_path, name):
    book = read_manuscript(write(tmp_path / name))
    assert (book.title, book.author, book.language) == ("The Tin Bell", "Ann Example", "en")
    assert [c.title for c in book.chapters] == ["CHAPTER I. The Bell", "CHAPTER II. The Sea", "CHAPTER III. The Song"]
    text = said(book)
    assert "The bell rang once in the café. It rang again." in text
    assert not any(w in text for w in ("Gutenberg", "LICENSE", "Pg 7", "1820", "Contents"))
    assert {"boilerplate", "page numbers", "notes", "contents"} <= {s.kind for s in book.skipped}


def test_poetry_markup_keeps_its_lines(tmp_path):
    song = read_manuscript(write(tmp_path / "bell.html")).chapters[2]
    assert song.paragraphs == ["Over the water the bell is ringing, Over the water the sailors singing."]
    assert song.cues[0].line_ends == (len("Over the water the bell is ringing,"),)


def test_a_folder_holding_one_html_book_is_that_book(tmp_path):
    folder = tmp_path / "bell-h"
    (folder / "images").mkdir(parents=True)
    write(folder / "bell-h.htm")
    assert len(read_manuscript(folder).chapters) == 3


def test_html_named_txt_is_read_as_html_not_tag_by_tag(tmp_path):
    book = read_manuscript(write(tmp_path / "bell.txt"))
    assert len(book.chapters) == 3 and "href" not in said(book) and "<" not in said(book)


@pytest.mark.parametrize("data, what", [(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "an image"),
                                        (b"PK\x03\x04\x14\x00\x00\x00", "a ZIP archive")])
def test_a_binary_named_txt_is_one_clear_line(tmp_path, data, what):
    path = tmp_path / "book.txt"
    path.write_bytes(data)
    with pytest.raises(ManuscriptError) as err:
        read_manuscript(path)
    assert str(err.value).count("\n") == 0 and "binary" in str(err.value) and what in str(err.value)


@pytest.mark.parametrize("head, kind", [(b"<!DOCTYPE html><html>", "html"), (b"\xef\xbb\xbf<?xml version='1.0'?>\n<html>", "html"),
                                        (b"  <html lang='en'><body>", "html"), (b"%PDF-1.4", "pdf"), (b"{\\rtf1\\ansi", "rtf"),
                                        (b"Plain words about <p> tags.", "text"), (b"CHAPTER I\n\nIt rang.", "text")])
def test_a_files_type_comes_from_its_first_bytes(head, kind):
    assert sniff(head) == kind


def html_book(body: str) -> str:
    return f"<html><head><title>A Book</title></head><body>{body}</body></html>"


PROSE = "<p>" + "The wind came over the hill and the boat rocked by the wall of the old harbour. " * 12 + "</p>"


def test_a_part_heading_at_its_chapters_rank_holds_them(tmp_path):
    """Treasure Island's HTML: PART ONE is an <h1>, PARTs TWO to SIX are <h2> like the chapter numbers."""
    parts = "".join(f"<h{1 if p == 'ONE' else 2}>PART {p}&mdash;The {p.title()} Part</h{1 if p == 'ONE' else 2}>"
                    + "".join(f"<h2>{n}</h2><h3>Chapter named {n}</h3>{PROSE}" for n in numbers)
                    for p, numbers in (("ONE", (1, 2)), ("TWO", (3, 4)), ("THREE", (5, 6))))
    book = read_manuscript(write(tmp_path / "b.html", html_book(parts)))
    titles = [c.title for c in book.chapters]
    assert titles[2].startswith("PART TWO—The Two Part, 3.") and titles[5].startswith("PART THREE—The Three Part, 6.")
    assert not any("PART TWO" in p for c in book.chapters for p in c.paragraphs)


def test_a_letters_signature_in_capitals_is_the_letters_end_not_a_level_above_the_next(tmp_path):
    """Lady Susan: 'Your most obliged and affectionate sister,' then 'S. VERNON.' just above 'II.'."""
    letters = "".join(f"<h2>{n}.</h2><h3>LADY SUSAN TO MR. VERNON</h3>{PROSE}<p>Your affectionate sister,</p>"
                      "<p>S. VERNON.</p>" for n in ("I", "II", "III", "IV"))
    book = read_manuscript(write(tmp_path / "letters.html", html_book(letters)))
    assert [c.title.split(".")[0] for c in book.chapters] == ["I", "II", "III", "IV"]
    assert all(c.paragraphs[-1].endswith("S. VERNON.") for c in book.chapters)


def test_a_contents_title_whose_list_of_links_is_left_out_goes_with_it(tmp_path):
    """pandoc's DOCX of Peter Pan: 'CONTENTS' as a plain paragraph over a run of links was read as a chapter."""
    links = "".join(f'<p><a href="#c{n}">Chapter {n}</a></p>' for n in (1, 2, 3))
    chapters = "".join(f'<h2 id="c{n}">Chapter {n}</h2>{PROSE}' for n in (1, 2, 3))
    book = read_manuscript(write(tmp_path / "b.html", html_book(f"<p>CONTENTS</p>{links}{chapters}")))
    assert [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    assert "CONTENTS" in [s.text for s in book.skipped if s.kind == "contents"]


def write_utf8(path: Path, text: str) -> Path:
    path.write_text(text.replace("<head>", '<head><meta charset="utf-8"/>', 1), encoding="utf-8")
    return path


def test_an_editions_imprint_and_colophon_are_left_out_as_marked_and_the_epigraph_after_them_is_read(tmp_path):
    """Standard Ebooks' pages in pandoc's DOCX of its EPUB: only their titles and text say what they are."""
    body = ("<h2>Imprint</h2><p>This ebook is the product of many hours of hard work by volunteers for Standard "
            "Ebooks.</p><p>“A child, more than all other gifts”</p><p>Wordsworth</p>"
            f"<h2>I</h2>{PROSE}<h2>II</h2>{PROSE}<h2>Colophon</h2><p>A Book</p><p>was published in 1861.</p>"
            "<p>This ebook was produced for Standard Ebooks.</p>")
    book = read_manuscript(write_utf8(tmp_path / "b.html", html_book(body)))
    assert [c.title for c in book.chapters] == ["I", "II"]
    assert book.chapters[0].lead == ["“A child, more than all other gifts”", "Wordsworth"]
    left = {s.kind: s for s in book.skipped if s.marked}
    assert "hard work by volunteers" in left["front matter"].text and "published in 1861" in left["back matter"].text


def test_a_pg_header_of_line_breaks_names_the_book(tmp_path):
    """pandoc's RTF of a PG HTML edition writes its header as one paragraph of line breaks."""
    header = ("<p>The Project Gutenberg EBook of The Kalevala<br/><br/>Title: The Kalevala<br/><br/>Author: Elias "
              "Lönnrot<br/><br/>*** START OF THIS PROJECT GUTENBERG EBOOK THE KALEVALA ***<br/></p>")
    book = read_manuscript(write_utf8(tmp_path / "b.html", f"<html><head></head><body>{header}<h2>Ensimmäinen runo</h2>{PROSE}"
                                                      f"<h2>Toinen runo</h2>{PROSE}</body></html>"))
    assert book.title == "The Kalevala" and book.author == "Elias Lönnrot"


def test_a_contents_title_between_rule_lines_goes_with_its_left_out_list(tmp_path):
    """pandoc's RTF of Peter Pan: the HTML's <hr> around 'CONTENTS' became paragraphs of dashes."""
    links = "".join(f'<p><a href="#c{n}">Chapter {n}</a></p>' for n in (1, 2, 3))
    chapters = "".join(f'<h2 id="c{n}">Chapter {n}</h2>{PROSE}' for n in (1, 2, 3))
    body = f"<p>—————</p><p>CONTENTS</p><p>—————</p>{links}{chapters}"
    book = read_manuscript(write_utf8(tmp_path / "b.html", html_book(body)))
    assert [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]


def test_a_dictionarys_letter_headings_are_letters_not_numerals(tmp_path):
    """The Devil's Dictionary: 'C', 'I', 'L', 'V' among 'A' to 'Z' were read as chapter numbers."""
    letters = "ABCDEILV"
    book = read_manuscript(write_utf8(tmp_path / "b.html", html_book("".join(f"<h2>{x}</h2>{PROSE}" for x in letters))))
    assert [c.title for c in book.chapters] == list(letters)


def test_quoted_titles_at_the_titles_rank_are_titles_not_epigraphs(tmp_path):
    """Saki's '“Down Pens”' among his stories' <h2>; Keats's poem titled by its own first line."""
    stories = "".join(f"<h2>{t}</h2>{PROSE}" for t in ("The Lumber Room", "Sredni Vashtar", "“Down Pens”", "Tobermory"))
    poem = "<h2>“Woman! When I Behold Thee Flippant, Vain, Inconstant, Childish”</h2><p>Woman! when I behold thee " \
           "flippant, vain, inconstant, childish, proud, and full of fancies;</p>"
    book = read_manuscript(write_utf8(tmp_path / "b.html", html_book(stories + poem)))
    assert [c.title for c in book.chapters] == ["The Lumber Room", "Sredni Vashtar", "“Down Pens”", "Tobermory",
                                                "“Woman! When I Behold Thee Flippant, Vain, Inconstant, Childish”"]


def test_a_part_ends_at_a_heading_ranked_above_it(tmp_path):
    """Keats: 'Preface' (an <h3> over the <h3> books of Endymion) held every <h2> poem after it as its chapters."""
    long = PROSE * 40  # Endymion's books: long enough to be chapters under 'Preface', read as a level above them
    body = (f"<h2>To Hope</h2>{PROSE}<h2>Endymion</h2>{PROSE}<h3>Preface</h3>{PROSE}<h3>I</h3>{long}<h3>II</h3>{long}"
            f"<h2>On Oxford</h2>{PROSE}<h2>Song</h2><h3>I</h3>{PROSE}<h3>II</h3>{PROSE}<h2>Stanzas</h2>{PROSE}")
    book = read_manuscript(write_utf8(tmp_path / "b.html", html_book(body)))
    assert [c.title for c in book.chapters][-3:] == ["On Oxford", "Song", "Stanzas"]


def test_numbered_notes_under_an_endnotes_title_are_notes_not_chapters(tmp_path):
    """pandoc's RTF of Meditations numbers its endnotes list: '2. His father’s name was Annius Verus.'"""
    notes = "".join(f"<p>{n}. {t}</p>" for n, t in ((1, "Annius Verus was his grandfather’s name."),
                                                    (2, "His father’s name was Annius Verus."), (3, "His mother.")))
    body = f"<h2>Book I</h2>{PROSE}<h2>Book II</h2>{PROSE}<h2>Endnotes</h2>{notes}"
    book = read_manuscript(write_utf8(tmp_path / "b.html", html_book(body)))
    assert [c.title for c in book.chapters] == ["Book I", "Book II"]
    assert any("His father’s name" in s.text for s in book.skipped if s.kind == "notes")


def test_a_few_lines_of_a_repeated_verb_among_marked_up_titles_are_prose(tmp_path):
    """Saki: 'Vladimir laughed.', 'Clovis laughed.', 'Beryl laughed.' were read as a heading form ('~laughed')."""
    names = ("Vladimir", "Clovis", "Beryl", "", "", "")
    stories = "".join(f"<h2>Story {n}</h2>{PROSE}" + (f"<p>{name} laughed.</p>{PROSE}" if name else "")
                      for n, name in enumerate(names, 1))
    book = read_manuscript(write_utf8(tmp_path / "b.html", html_book(stories)))
    assert [c.title for c in book.chapters] == [f"Story {n}" for n in range(1, 7)]


def test_a_colophon_with_sections_of_its_own_is_left_out_to_its_end(tmp_path):
    """Camera Obscura's PG colophon ('Colofon' over 'Beschikbaarheid', 'Documentgeschiedenis') in pandoc's DOCX."""
    body = (f"<h2>I</h2>{PROSE}<h2>II</h2>{PROSE}<h2>Colofon</h2><h3>Beschikbaarheid</h3><p>Dit eBoek is voor "
            "kosteloos gebruik door iedereen overal.</p><h3>Documentgeschiedenis</h3><p>2014-06-11 Further corrections.</p>")
    book = read_manuscript(write(tmp_path / "b.html", html_book(body)))
    assert [c.title for c in book.chapters] == ["I", "II"]
    assert "Further corrections" in next(s.text for s in book.skipped if s.kind == "back matter")


def test_a_contents_title_over_a_preface_goes_with_its_left_out_links_and_the_preface_stays_a_chapter(tmp_path):
    """The Voyage of the Beagle: 'CONTENTS' over its links, then 'PREFACE', read as a list of one entry."""
    links = "".join(f'<p class="toc"><a href="#c{n}">CHAPTER {n}</a></p>' for n in ("I", "II"))
    lines = ("I have stated in the preface to the first Edition of this work, and in the",
             "Zoology of the Voyage of the Beagle, that it was in consequence of a wish",
             "expressed by Captain Fitz Roy, of having some scientific person on board,",
             "accompanied by an offer from him of giving up part of his own",
             "accommodations, that I volunteered my services, which received, through",
             "the kindness of the hydrographer, Captain Beaufort, the sanction of the", "Lords of the Admiralty.")
    preface = f"<h2>PREFACE</h2><p>{'<br/>'.join(lines)}</p>"  # PG's lines kept as <br>: each line looks like an entry
    chapters = "".join(f'<h2 id="c{n}">CHAPTER {n}</h2>{PROSE}' for n in ("I", "II"))
    book = read_manuscript(write(tmp_path / "b.html", html_book(f"<p><b>CONTENTS</b></p>{links}{preface}{chapters}")))
    assert [c.title for c in book.chapters] == ["PREFACE", "CHAPTER I", "CHAPTER II"]


def test_a_pg_header_of_one_paragraph_a_line_keeps_its_wrapped_title(tmp_path):
    """pandoc's ODT of Gulliver's Travels: 'Title: Gulliver's Travels' and its indented next line are paragraphs."""
    header = "\n\n".join(["<p>Title: Gulliver's Travels</p>", "<p>       into several remote nations of the world</p>",
                        "<p>Author: Jonathan Swift</p>",
                        "<p>*** START OF THIS PROJECT GUTENBERG EBOOK GULLIVER'S TRAVELS ***</p>"])  # as office_html lays it
    book = read_manuscript(write(tmp_path / "b.html", f"<html><head></head><body>{header}<h2>PART I</h2>{PROSE}"
                                                      f"<h2>PART II</h2>{PROSE}</body></html>"))
    assert book.title == "Gulliver's Travels into several remote nations of the world"
