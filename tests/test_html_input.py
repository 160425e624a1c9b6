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
