"""EPUB reading (tasks/epub*.py): small synthetic books shaped like real ones (Standard Ebooks,
Project Gutenberg EPUB 2, one-file EPUB 3 with a nested nav), built here with zipfile."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from tasks.manuscript.epub.reader import read_epub
from tasks.core.errors import ManuscriptError

XHTML = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
         'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>{title}</title></head>{body}</html>')
OPF = ('<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
       'unique-identifier="uid"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/" '
       'xmlns:opf="http://www.idpf.org/2007/opf">{metadata}</metadata><manifest>{manifest}</manifest>{spine}</package>')
METADATA = ('<dc:identifier id="uid">x</dc:identifier><dc:title id="title">The Test Book</dc:title>'
            '<dc:creator id="author">Ann Author</dc:creator><dc:language>en-GB</dc:language>')


def make_epub(path: Path, docs: dict[str, str], *, spine: list | None = None, nav: str | None = None,
              ncx: str | None = None, metadata: str = METADATA, extra: dict[str, str | bytes] | None = None,
              more_items: tuple[str, ...] = ()) -> Path:
    """docs: {file name: <body>…</body>} under OEBPS/; spine: names (or (name, "no") for linear="no"),
    default all docs in order, [] for no spine element; nav: the toc <ol>; ncx: the navMap's points;
    more_items: more manifest <item>s (for files given in `extra`)."""
    spine = list(docs) if spine is None else spine
    files = {f"OEBPS/{name}": XHTML.format(title=name, body=body) for name, body in docs.items()}
    items = [f'<item id="d{i}" href="{name}" media-type="application/xhtml+xml"/>' for i, name in enumerate(docs)]
    ids = {name: f"d{i}" for i, name in enumerate(docs)}
    if nav is not None:
        files["OEBPS/nav.xhtml"] = XHTML.format(title="nav", body=f'<body><nav epub:type="toc">{nav}</nav></body>')
        items.append('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>')
    if ncx is not None:
        files["OEBPS/toc.ncx"] = f'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>{ncx}</navMap></ncx>'
        items.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
    items += more_items
    refs = "".join(f'<itemref idref="{ids[s]}"/>' if isinstance(s, str) else f'<itemref idref="{ids[s[0]]}" linear="no"/>'
                   for s in spine)
    spine_el = f'<spine toc="ncx">{refs}</spine>' if spine else ""
    files["OEBPS/content.opf"] = OPF.format(metadata=metadata, manifest="".join(items), spine=spine_el)
    files["META-INF/container.xml"] = ('<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">'
                                       '<rootfiles><rootfile full-path="OEBPS/content.opf" '
                                       'media-type="application/oebps-package+xml"/></rootfiles></container>')
    files.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip")
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def nav_list(*entries) -> str:
    """("Title", "href") or ("Title", "href", [children]) -> a nav <ol>."""
    def item(entry):
        title, href, children = (*entry, [])[:3]
        label = f'<a href="{href}">{title}</a>' if href else f"<span>{title}</span>"
        return f"<li>{label}{nav_list(*children) if children else ''}</li>"
    return "<ol>" + "".join(item(e) for e in entries) + "</ol>"


def nav_points(*entries) -> str:
    return "".join(f'<navPoint id="p{i}"><navLabel><text>{title}</text></navLabel><content src="{href}"/></navPoint>'
                   for i, (title, href) in enumerate(entries))


def words_read(book) -> str:
    return " ".join(" ".join(c.lead + c.spoken_headings + c.paragraphs) for c in book.chapters)


def kinds(book) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in book.skipped:
        out[s.kind] = out.get(s.kind, 0) + s.words
    return out


# --- Standard Ebooks shape -----------------------------------------------------------------------

SE_METADATA = (METADATA + '<meta property="role" refines="#author" scheme="marc:relators">aut</meta>'
               '<dc:contributor id="translator">Tom Translator</dc:contributor>'
               '<meta property="role" refines="#translator" scheme="marc:relators">trl</meta>'
               '<dc:contributor id="producer">Pat Producer</dc:contributor>'
               '<meta property="role" refines="#producer" scheme="marc:relators">bkp</meta>')
SE_DOCS = {
    "titlepage.xhtml": '<body epub:type="frontmatter"><section epub:type="titlepage"><h1 epub:type="title">'
                       'The Test Book</h1><p>By <b epub:type="z3998:author">Ann Author</b>.</p></section></body>',
    "imprint.xhtml": '<body epub:type="frontmatter"><section epub:type="imprint"><h2>Imprint</h2>'
                     '<p>This ebook is the product of many hours of hard work by volunteers.</p></section></body>',
    "dedication.xhtml": '<body epub:type="frontmatter"><section epub:type="dedication"><p>To my mother.</p>'
                        '</section></body>',
    "chapter-1.xhtml": '<body epub:type="bodymatter"><section epub:type="chapter"><h2 epub:type="ordinal">I</h2>'
                       '<p>The first chapter begins here.<a href="endnotes.xhtml#note-1" id="noteref-1" '
                       'epub:type="noteref">1</a> It goes on.</p></section></body>',
    "chapter-2.xhtml": '<body epub:type="bodymatter"><section epub:type="chapter"><h2 epub:type="ordinal">II</h2>'
                       '<p>The second chapter.<a href="endnotes.xhtml#note-2" epub:type="noteref">2</a></p>'
                       '</section></body>',
    "endnotes.xhtml": '<body epub:type="backmatter"><section epub:type="endnotes"><h2>Endnotes</h2><ol>'
                      '<li id="note-1" epub:type="endnote"><p>A first note. <a href="chapter-1.xhtml#noteref-1" '
                      'epub:type="backlink">↩</a></p></li><li id="note-2" epub:type="endnote"><p>A second note, '
                      'in two paragraphs.</p><p>Its end.</p></li></ol></section></body>',
    "colophon.xhtml": '<body epub:type="backmatter"><section epub:type="colophon"><h2>Colophon</h2>'
                      '<p>The Test Book was published in 1900.</p></section></body>',
    "uncopyright.xhtml": '<body epub:type="backmatter"><section epub:type="copyright-page"><h2>Uncopyright</h2>'
                         '<p>May you do good and not evil.</p></section></body>',
}
SE_NAV = nav_list(("Titlepage", "titlepage.xhtml"), ("Imprint", "imprint.xhtml"), ("Dedication", "dedication.xhtml"),
                  ("I", "chapter-1.xhtml"), ("II", "chapter-2.xhtml"), ("Endnotes", "endnotes.xhtml"),
                  ("Colophon", "colophon.xhtml"), ("Uncopyright", "uncopyright.xhtml"))


@pytest.fixture
def standard_ebook(tmp_path):
    return make_epub(tmp_path / "se.epub", SE_DOCS, nav=SE_NAV, metadata=SE_METADATA)


def test_standard_ebooks_front_and_back_matter_are_not_chapters(standard_ebook):
    book = read_epub(standard_ebook, "se")
    assert [(c.title, c.lead) for c in book.chapters] == [("I", ["To my mother."]), ("II", [])]  # dedication leads I
    assert {"front matter", "back matter", "notes"} <= set(kinds(book))
    assert not re.search(r"Imprint|Colophon|Uncopyright|volunteers|published in 1900|good and not evil",
                         words_read(book))


def test_standard_ebooks_metadata_credits_a_translator_not_the_producer(standard_ebook):
    book = read_epub(standard_ebook, "se")
    assert (book.title, book.author, book.language) == ("The Test Book", "Ann Author", "en")
    assert book.contributors == ["Tom Translator (translator)"]


def test_notes_are_skipped_by_default_and_noterefs_never_spoken(standard_ebook):
    book = read_epub(standard_ebook, "se")
    assert book.chapters[0].paragraphs == ["The first chapter begins here. It goes on."]
    assert "note" not in words_read(book).lower()
    assert kinds(book)["notes"] >= len("A first note. A second note, in two paragraphs. Its end.".split())


def test_chapter_end_notes_follow_the_text_resolved_from_the_notes_document(standard_ebook):
    book = read_epub(standard_ebook, "se", notes="chapter-end")
    assert book.chapters[0].paragraphs[-2:] == ["Notes.", "A first note."]
    assert book.chapters[1].paragraphs[-2:] == ["Notes.", "A second note, in two paragraphs. Its end."]
    assert "A first" not in " ".join(s.sample for s in book.skipped if s.kind == "notes")


def test_a_heading_that_is_the_title_is_spoken_once(standard_ebook):
    chapter = read_epub(standard_ebook, "se").chapters[0]
    assert chapter.spoken_headings == ["I"] and "I" not in chapter.paragraphs


def test_title_page_names_the_book_when_the_opf_does_not(tmp_path):
    metadata = '<dc:identifier id="uid">x</dc:identifier>'
    book = read_epub(make_epub(tmp_path / "b.epub", SE_DOCS, nav=SE_NAV, metadata=metadata), "file name")
    assert (book.title, book.author) == ("The Test Book", "Ann Author")


# --- one XHTML file, nested nav --------------------------------------------------------------------

ONE_FILE = ('<body><section id="part1"><h1>Part One: The Fall</h1>'
            '<section id="c1"><h2>Chapter 1</h2><p>Alpha one.</p><p>Alpha two.</p></section>'
            '<section><div><h2 id="c2">Chapter 2</h2></div><p>Beta.</p></section></section>'
            '<section id="part2"><h1>Part Two</h1><p>A word before the chapters of part two.</p>'
            '<section id="c3"><h2>Chapter 3</h2><p>Gamma.</p></section></section></body>')
ONE_NAV = nav_list(("Part One: The Fall", "book.xhtml#part1", [("Chapter 1", "book.xhtml#c1"),
                                                                  ("Chapter 2", "book.xhtml#c2")]),
                   ("Part Two", "book.xhtml#part2", [("Chapter 3", "book.xhtml#c3")]))


def test_one_file_book_splits_at_its_nav_anchors(tmp_path):
    book = read_epub(make_epub(tmp_path / "b.epub", {"book.xhtml": ONE_FILE}, nav=ONE_NAV), "b")
    assert [c.paragraphs for c in book.chapters] == [["Alpha one.", "Alpha two."], ["Beta."],
                                                     ["A word before the chapters of part two."], ["Gamma."]]


def test_nested_entries_are_titled_with_their_part_and_the_part_heading_is_read_once(tmp_path):
    book = read_epub(make_epub(tmp_path / "b.epub", {"book.xhtml": ONE_FILE}, nav=ONE_NAV), "b")
    assert [c.title for c in book.chapters[:2]] == ["Part One: The Fall, Chapter 1", "Part One: The Fall, Chapter 2"]
    assert [c.spoken_headings for c in book.chapters[:2]] == [["Part One: The Fall", "Chapter 1"], ["Chapter 2"]]


def test_a_part_page_with_text_is_a_chapter_and_its_heading_is_not_repeated(tmp_path):
    book = read_epub(make_epub(tmp_path / "b.epub", {"book.xhtml": ONE_FILE}, nav=ONE_NAV), "b")
    part, chapter = book.chapters[2:]
    assert (part.title, part.spoken_headings) == ("Part Two", ["Part Two"])
    assert (chapter.title, chapter.spoken_headings) == ("Part Two, Chapter 3", ["Chapter 3"])


def test_a_label_without_a_link_is_spoken_once_and_named_in_titles_only_where_they_repeat(tmp_path):
    nav = nav_list(("Volume One", None, [("Chapter One", "a.xhtml"), ("Chapter Two", "b.xhtml")]),
                   ("Volume Two", None, [("Chapter One", "c.xhtml")]),
                   ("Ann Author", None, [("A Story", "d.xhtml")]))
    docs = {name: f"<body><h2>{title}</h2><p>Text of {name}</p></body>"
            for name, title in [("a.xhtml", "Chapter One"), ("b.xhtml", "Chapter Two"), ("c.xhtml", "Chapter One"),
                                ("d.xhtml", "A Story")]}
    book = read_epub(make_epub(tmp_path / "b.epub", docs, nav=nav), "b")
    assert [c.title for c in book.chapters] == ["Volume One, Chapter One", "Volume One, Chapter Two",
                                                "Volume Two, Chapter One", "A Story"]
    assert [c.spoken_headings for c in book.chapters] == [["Volume One", "Chapter One"], ["Chapter Two"],
                                                          ["Volume Two", "Chapter One"], ["Ann Author", "A Story"]]


def test_numbered_sections_of_a_short_story_stay_in_one_chapter(tmp_path):
    body = ('<body><h2>I. A SCANDAL</h2><h3 id="s1">I.</h3><p>First part.</p>'
            '<h3 id="s2">II.</h3><p>Second part.</p></body>')
    nav = nav_list(("I. A SCANDAL", "a.xhtml", [("I.", "a.xhtml#s1"), ("II.", "a.xhtml#s2")]),
                   ("II. THE LEAGUE", "b.xhtml"))
    docs = {"a.xhtml": body, "b.xhtml": "<body><h2>II. THE LEAGUE</h2><p>Next story.</p></body>"}
    book = read_epub(make_epub(tmp_path / "b.epub", docs, nav=nav), "b")
    assert [(c.title, c.paragraphs) for c in book.chapters] == [
        ("I. A SCANDAL", ["First part.", "II.", "Second part."]), ("II. THE LEAGUE", ["Next story."])]
    assert book.chapters[0].spoken_headings == ["I. A SCANDAL", "I."]  # the book's own heading lines


HIDDEN_NAV = ('<ol><li><a href="a.xhtml#top">Story</a><ol hidden="hidden"><li><a href="a.xhtml#x">The Rabbi</a>'
              '</li></ol></li></ol>')


def test_entries_in_a_hidden_nav_list_under_a_short_story_are_not_chapters(tmp_path):
    body = '<body><h2 id="top">Story</h2><p>Intro.</p><h3 id="x">The Rabbi</h3><p>More.</p></body>'
    book = read_epub(make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=HIDDEN_NAV), "b")
    assert [(c.title, c.paragraphs) for c in book.chapters] == [("Story", ["Intro.", "The Rabbi", "More."])]


def test_a_hidden_nav_list_under_a_long_book_still_gives_its_chapters(tmp_path):
    long_text = "<p>" + "word " * 16_000 + "</p>"
    body = f'<body><h2 id="top">Story</h2><p>Intro.</p><h3 id="x">The Rabbi</h3>{long_text}</body>'
    book = read_epub(make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=HIDDEN_NAV), "b")
    assert [c.title for c in book.chapters] == ["Story", "Story, The Rabbi"]


def test_documents_the_toc_does_not_list_continue_the_chapter_before_them(tmp_path):
    docs = {"c1.xhtml": "<body><h2>One</h2><p>First half.</p></body>", "c1b.xhtml": "<body><p>Second half.</p></body>",
            "c2.xhtml": "<body><h2>Two</h2><p>Next.</p></body>"}
    book = read_epub(make_epub(tmp_path / "b.epub", docs, nav=nav_list(("One", "c1.xhtml"), ("Two", "c2.xhtml"))), "b")
    assert [c.paragraphs for c in book.chapters] == [["First half.", "Second half."], ["Next."]]


def test_non_linear_documents_are_not_read_but_counted(tmp_path):
    docs = {"c1.xhtml": "<body><h2>One</h2><p>Read this.</p></body>",
            "extra.xhtml": "<body><p>A pop-up answer key.</p></body>"}
    path = make_epub(tmp_path / "b.epub", docs, spine=["c1.xhtml", ("extra.xhtml", "no")],
                     nav=nav_list(("One", "c1.xhtml")))
    book = read_epub(path, "b")
    assert "answer key" not in words_read(book) and kinds(book)["non-linear"] == 4


# --- Project Gutenberg EPUB 2 -----------------------------------------------------------------------

PG_DOCS = {
    "cover.xhtml": '<body><div><img src="cover.jpg" alt="Cover"/></div></body>',
    "book.xhtml": ('<body><section class="pg-boilerplate pgheader" id="pg-header"><h2>The Project Gutenberg eBook '
                   'of The Test Book</h2><p>This ebook is for the use of anyone anywhere.</p>'
                   '<p>Title: The Test Book</p><p>Author: Ann Author</p>'
                   '<div id="pg-start-separator">*** START OF THE PROJECT GUTENBERG EBOOK THE TEST BOOK ***</div>'
                   '</section><h1>The Test Book</h1><h2 id="contents">Contents</h2><table><tr><td>'
                   '<a href="#ch1">CHAPTER I.</a></td></tr></table>'
                   '<div class="chapter"><h2 id="ch1">CHAPTER I.</h2><p>It was a dark night.</p></div>'
                   '<div class="chapter"><h2 id="ch2">CHAPTER II.</h2><p>Morning came.</p></div>'
                   '<section class="pg-boilerplate pgfooter" id="pg-footer"><div id="pg-end-separator">*** END OF '
                   'THE PROJECT GUTENBERG EBOOK THE TEST BOOK ***</div><h2>THE FULL PROJECT GUTENBERG LICENSE</h2>'
                   '<p>To protect the Project Gutenberg mission of promoting the free distribution.</p></section></body>'),
}
PG_NCX = nav_points(("The Project Gutenberg eBook of The Test Book", "book.xhtml#pg-header"),
                    ("Contents", "book.xhtml#contents"), ("CHAPTER I.", "book.xhtml#ch1"),
                    ("CHAPTER II.", "book.xhtml#ch2"), ("THE FULL PROJECT GUTENBERG LICENSE", "book.xhtml#pg-footer"))


def test_gutenberg_epub_header_license_and_contents_are_not_chapters(tmp_path):
    book = read_epub(make_epub(tmp_path / "pg.epub", PG_DOCS, ncx=PG_NCX), "pg")
    assert [(c.title, c.paragraphs) for c in book.chapters] == [("CHAPTER I.", ["It was a dark night."]),
                                                                 ("CHAPTER II.", ["Morning came."])]
    assert kinds(book)["boilerplate"] > 20


def test_gutenberg_markers_without_markup_still_bound_the_book(tmp_path):
    body = ("<body><p>The Project Gutenberg EBook of Old Style, by Someone</p><p>Title: Old Style</p>"
            "<p>*** START OF THIS PROJECT GUTENBERG EBOOK OLD STYLE ***</p><p>Produced by Volunteers</p>"
            "<h2>CHAPTER I</h2><p>Body text here.</p><p>End of the Project Gutenberg EBook</p>"
            "<p>*** END OF THIS PROJECT GUTENBERG EBOOK OLD STYLE ***</p><p>Section 1. General Terms</p></body>")
    book = read_epub(make_epub(tmp_path / "pg.epub", {"a.xhtml": body}, ncx=nav_points(("CHAPTER I", "a.xhtml"))), "pg")
    assert book.chapters[0].paragraphs == ["Body text here."]  # the old footer line "End of the…" ends it too


# --- never spoken ---------------------------------------------------------------------------------------

def test_page_break_markers_are_removed_and_counted(tmp_path):
    body = ('<body><h2>One</h2><p>the two<span epub:type="pagebreak" id="p7" title="7"/> hundred '
            '<span role="doc-pagebreak">8</span>drums <span class="pagenum">[Pg 9]</span>beat.</p></body>')
    book = read_epub(make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=nav_list(("One", "a.xhtml"))), "b")
    assert book.chapters[0].paragraphs == ["the two hundred drums beat."]
    assert kinds(book)["page numbers"] == 4  # "8", "[Pg 9]" and the title-only marker "7"


def test_poetry_line_numbers_vanish_and_each_stanza_is_one_paragraph(tmp_path):
    body = ('<body><h2>Song</h2><div class="poem"><div class="stanza"><div class="line">First line here,</div>'
            '<div class="line">second line<span class="linenum">10</span></div></div>'
            '<div class="stanza"><span>Third line,</span><br/><span>fourth line'
            '<span style="float: right">15</span></span></div></div></body>')
    book = read_epub(make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=nav_list(("Song", "a.xhtml"))), "b")
    assert book.chapters[0].paragraphs == ["First line here, second line", "Third line, fourth line"]
    assert kinds(book)["line numbers"] == 2


def test_tables_figures_and_code_are_skipped_and_counted(tmp_path):
    body = ('<body><h2>One</h2><p>Before.</p><table><tr><td>1887</td><td>Cost</td></tr></table>'
            '<figure><img src="a.png"/><figcaption>A picture of a dog.</figcaption></figure>'
            '<pre><code>print(1)</code></pre><p>After.</p></body>')
    book = read_epub(make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=nav_list(("One", "a.xhtml"))), "b")
    assert book.chapters[0].paragraphs == ["Before.", "After."]
    assert (kinds(book)["tables"], kinds(book)["figures"], kinds(book)["code"]) == (2, 5, 1)



def test_a_table_of_prose_is_read_a_cell_a_paragraph(tmp_path):
    body = ('<body><h2>One</h2><p>His limits.</p><table><tr><td>Knowledge of Literature.</td><td>Nil.</td></tr>'
            '<tr><td>Knowledge of Botany.</td><td>Variable.</td></tr></table><p>After.</p></body>')
    book = read_epub(make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=nav_list(("One", "a.xhtml"))), "b")
    assert book.chapters[0].paragraphs == ["His limits.", "Knowledge of Literature.", "Nil.", "Knowledge of Botany.",
                                           "Variable.", "After."]
    assert "tables" not in kinds(book)

def test_gutenberg_illustration_blocks_and_their_captions_are_figures(tmp_path):
    body = ('<body><h2>One</h2><p>Before.</p><div class="figcenter"><img src="i.jpg" alt=""/>'
            '<p class="caption">"SHE IS ALWAYS THE WOMAN."</p></div><p>After.</p></body>')
    book = read_epub(make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=nav_list(("One", "a.xhtml"))), "b")
    assert book.chapters[0].paragraphs == ["Before.", "After."] and kinds(book)["figures"] == 5


def test_an_epigraph_and_dedication_on_the_title_page_are_read(tmp_path):
    body = ('<body><section epub:type="titlepage"><h1>The Waste</h1><div class="aut">T. Poet</div>'
            '<div epub:type="epigraph"><p>I saw the Sibyl.</p></div><p epub:type="dedication">For Ezra.</p>'
            '</section><section id="ch1"><h2>I. The Burial</h2><p>April is cruel.</p></section></body>')
    book = read_epub(make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=nav_list(("I. The Burial", "a.xhtml#ch1"))), "b")
    assert [(c.title, c.lead, c.paragraphs) for c in book.chapters] == [
        ("I. The Burial", ["I saw the Sibyl.", "For Ezra."], ["April is cruel."])]  # the chapters stay the TOC's
    assert book.chapters[0].spoken_headings == ["I. The Burial"]  # read after the epigraph; no "Epigraph." announced
    assert "The Waste" not in words_read(book)


def test_html_named_entities_in_xhtml_are_decoded(tmp_path):
    body = "<body><h2>One</h2><p>Wait&mdash;what&nbsp;now&hellip; &amp; then</p></body>"
    book = read_epub(make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=nav_list(("One", "a.xhtml"))), "b")
    assert book.chapters[0].paragraphs == ["Wait\u2014what now\u2026 & then"]


# --- faults -----------------------------------------------------------------------------------------------

ENCRYPTION = ('<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
              'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod '
              'Algorithm="{algorithm}"/><enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData>'
              '</enc:EncryptedData></encryption>')
TWO_DOCS = {"a.xhtml": "<body><h2>Alpha</h2><p>Alpha text.</p></body>",
            "b.xhtml": "<body><h2>Beta</h2><p>Beta text.</p></body>"}


def test_drm_encrypted_epub_says_encrypted(tmp_path):
    extra = {"META-INF/encryption.xml": ENCRYPTION.format(algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc",
                                                          uri="OEBPS/a.xhtml")}
    with pytest.raises(ManuscriptError, match=r"drm\.epub: is encrypted \(DRM\)"):
        read_epub(make_epub(tmp_path / "drm.epub", TWO_DOCS, extra=extra), "drm")


def test_font_obfuscation_alone_is_not_drm(tmp_path):
    extra = {"META-INF/encryption.xml": ENCRYPTION.format(algorithm="http://www.idpf.org/2008/embedding",
                                                          uri="OEBPS/fonts/a.otf")}
    book = read_epub(make_epub(tmp_path / "fonts.epub", TWO_DOCS, extra=extra), "fonts")
    assert [c.title for c in book.chapters] == ["Alpha", "Beta"]


def test_without_nav_or_ncx_headings_give_titles_and_a_warning_says_so(tmp_path):
    book = read_epub(make_epub(tmp_path / "b.epub", TWO_DOCS), "b")
    assert [(c.title, c.paragraphs) for c in book.chapters] == [("Alpha", ["Alpha text."]), ("Beta", ["Beta text."])]
    assert any("table of contents" in w for w in book.warnings)


def test_without_a_spine_the_toc_gives_the_reading_order_with_a_warning(tmp_path):
    path = make_epub(tmp_path / "b.epub", TWO_DOCS, spine=[], ncx=nav_points(("Beta", "b.xhtml"), ("Alpha", "a.xhtml")))
    book = read_epub(path, "b")
    assert [c.title for c in book.chapters] == ["Beta", "Alpha"]
    assert any("spine" in w for w in book.warnings)


def test_a_broken_nav_falls_back_to_the_ncx(tmp_path):
    path = make_epub(tmp_path / "b.epub", TWO_DOCS, nav="<p>no list here</p>",
                     ncx=nav_points(("The A", "a.xhtml"), ("The B", "b.xhtml")))
    assert [c.title for c in read_epub(path, "b").chapters] == ["The A", "The B"]


def test_an_epub_with_nothing_to_read_is_one_clear_line(tmp_path):
    docs = {"cover.xhtml": '<body><img src="c.png"/></body>',
            "title.xhtml": '<body><section epub:type="titlepage"><h1>Title</h1></section></body>'}
    with pytest.raises(ManuscriptError, match=r"empty\.epub: has no text to read"):
        read_epub(make_epub(tmp_path / "empty.epub", docs), "empty")


def test_gutenberg_inline_footnotes_can_be_read_at_the_chapter_end(tmp_path):
    body = ('<body><h2>One</h2><p>Text<a id="r1" href="#fn1" class="fnanchor">[1]</a> goes on.</p>'
            '<div class="footnote"><p><a id="fn1" href="#r1">[1]</a> The note itself.</p></div><p>More.</p></body>')
    path = make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=nav_list(("One", "a.xhtml")))
    assert read_epub(path, "b").chapters[0].paragraphs == ["Text goes on.", "More."]
    assert read_epub(path, "b", notes="chapter-end").chapters[0].paragraphs == [
        "Text goes on.", "More.", "Notes.", "The note itself."]


def test_a_callout_marked_note_is_read_but_formulae_are_not(tmp_path):
    body = ('<body><h2>One</h2><div class="note"><p>Remember this.</p></div>'
            '<p>Hence <math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math> holds.</p></body>')
    book = read_epub(make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=nav_list(("One", "a.xhtml"))), "b")
    assert book.chapters[0].paragraphs == ["Remember this.", "Hence", "holds."]
    assert kinds(book)["math"] == 1


def test_an_unlisted_opening_document_is_front_matter_unless_it_is_a_real_preface(tmp_path):
    preface = "<body><h2>Preface</h2><p>" + "word " * 60 + "</p></body>"
    docs = {"title.xhtml": "<body><h1>The Test Book</h1><p>by Ann Author</p></body>", "preface.xhtml": preface,
            "c1.xhtml": "<body><h2>One</h2><p>Chapter text.</p></body>"}
    book = read_epub(make_epub(tmp_path / "b.epub", docs, nav=nav_list(("One", "c1.xhtml"))), "b")
    assert [c.title for c in book.chapters] == ["Preface", "One"]
    assert kinds(book)["front matter"] == len("The Test Book by Ann Author".split())


def test_a_guide_entry_typing_a_document_as_colophon_skips_it(tmp_path):
    docs = {"c1.xhtml": "<body><h2>One</h2><p>Chapter text.</p></body>",
            "about.xhtml": "<body><p>Set in Baskerville by a machine.</p></body>"}
    path = make_epub(tmp_path / "b.epub", docs, nav=nav_list(("One", "c1.xhtml")))
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    opf = files["OEBPS/content.opf"].decode().replace(
        "</package>", '<guide><reference type="colophon" href="about.xhtml" title="About"/></guide></package>')
    files["OEBPS/content.opf"] = opf.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    book = read_epub(path, "b")
    assert book.chapters[0].paragraphs == ["Chapter text."] and kinds(book)["back matter"] == 6


def test_an_unlisted_contents_page_is_not_read(tmp_path):
    contents = "<body><h2>Contents</h2>" + "".join(f'<p><a href="c1.xhtml">Chapter {n} and its long title</a></p>'
                                                   for n in range(1, 12)) + "</body>"
    docs = {"toc.xhtml": contents, "c1.xhtml": "<body><h2>One</h2><p>Chapter text.</p></body>"}
    book = read_epub(make_epub(tmp_path / "b.epub", docs, nav=nav_list(("One", "c1.xhtml"))), "b")
    assert [c.title for c in book.chapters] == ["One"] and kinds(book)["contents"] > 50


def test_a_toc_anchor_that_is_missing_is_read_from_its_document_start_with_a_warning(tmp_path):
    docs = {"a.xhtml": "<body><h2>One</h2><p>Text.</p></body>"}
    book = read_epub(make_epub(tmp_path / "b.epub", docs, nav=nav_list(("One", "a.xhtml#nowhere"))), "b")
    assert book.chapters[0].paragraphs == ["Text."]
    assert any("missing anchors" in w and "One" in w for w in book.warnings)


def test_a_contents_list_of_links_is_not_read_but_the_preface_after_it_is(tmp_path):
    body = ('<body><h2 id="contents">CONTENTS</h2>' + "".join(f'<p><a href="#ch{n}">CHAPTER {n}.</a></p>' for n in (1, 2, 3))
            + '<h2>PREFACE</h2><p>' + "word " * 60 + '</p><h2 id="ch1">CHAPTER 1.</h2><p>Text one.</p>'
            '<h2 id="ch2">CHAPTER 2.</h2><p>Text two.</p><h2 id="ch3">CHAPTER 3.</h2><p>Text three.</p></body>')
    ncx = nav_points(("Contents", "a.xhtml#contents"), *((f"CHAPTER {n}.", f"a.xhtml#ch{n}") for n in (1, 2, 3)))
    book = read_epub(make_epub(tmp_path / "b.epub", {"a.xhtml": body}, ncx=ncx), "b")
    assert [c.title for c in book.chapters] == ["PREFACE", "CHAPTER 1.", "CHAPTER 2.", "CHAPTER 3."]
    assert kinds(book)["contents"] == len("CONTENTS CHAPTER 1. CHAPTER 2. CHAPTER 3.".split())


def test_a_list_of_links_is_contents_whatever_it_is_called(tmp_path):
    body = ('<body><h2>One</h2><p>Text.</p><h3>In this book</h3>'
            + "".join(f'<p><a href="b.xhtml#s{n}">Story number {n}</a></p>' for n in range(4)) + '<p>More text.</p></body>')
    book = read_epub(make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=nav_list(("One", "a.xhtml"))), "b")
    assert book.chapters[0].paragraphs == ["Text.", "More text."]


def test_aria_roles_mark_noterefs_and_footnotes_too(tmp_path):
    body = ('<body><h2>One</h2><p>Said so<a role="doc-noteref" href="#fn1">1</a>.</p>'
            '<aside role="doc-footnote" id="fn1"><p>As the saying goes.</p></aside></body>')
    path = make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=nav_list(("One", "a.xhtml")))
    assert read_epub(path, "b").chapters[0].paragraphs == ["Said so."]
    assert read_epub(path, "b", notes="chapter-end").chapters[0].paragraphs == ["Said so.", "Notes.", "As the saying goes."]


def test_a_damaged_document_is_read_around_with_a_warning(tmp_path):
    path = make_epub(tmp_path / "b.epub", {"a.xhtml": "<body><h2>Alpha</h2><p>Alpha text.</p></body>",
                                           "b.xhtml": "<body><h2>Beta</h2><p>Broken text.</p></body>"})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("OEBPS/b.xhtml")
    data[info.header_offset + 30 + len(info.filename) + len(info.extra) + 5] ^= 0xFF  # corrupt its bytes
    path.write_bytes(bytes(data))
    book = read_epub(path, "b")
    assert [c.title for c in book.chapters] == ["Alpha"]
    assert any("OEBPS/b.xhtml" in w and "unreadable" in w for w in book.warnings)


def test_a_listed_epigraph_without_a_heading_leads_the_first_chapter(tmp_path):
    """Standard Ebooks lists its 'Epigraph' in the TOC: it is read before the first chapter's heading, as a DOCX of
    the book reads it, not as a chapter of its own."""
    docs = {"epigraph.xhtml": '<body><section epub:type="epigraph"><p>A child, more than all other gifts.</p>'
                              '<cite>Wordsworth</cite></section></body>',
            "a.xhtml": "<body><h2>I</h2><p>In the days when the spinning-wheels hummed.</p></body>"}
    nav = nav_list(("Epigraph", "epigraph.xhtml"), ("I", "a.xhtml"))
    book = read_epub(make_epub(tmp_path / "b.epub", docs, nav=nav), "b")
    assert [(c.title, c.lead) for c in book.chapters] == [("I", ["A child, more than all other gifts.", "Wordsworth"])]


def test_numbered_children_of_a_part_are_chapters_however_short_the_part(tmp_path):
    """Notes from Underground: 'Part I: Underground' holds chapters I to XI, not the sections of one story."""
    body = '<body><h2>Part I: Underground</h2><h3 id="s1">I</h3><p>I am a sick man.</p><h3 id="s2">II</h3><p>More.</p></body>'
    nav = nav_list(("Part I: Underground", "a.xhtml", [("I", "a.xhtml#s1"), ("II", "a.xhtml#s2")]))
    book = read_epub(make_epub(tmp_path / "b.epub", {"a.xhtml": body}, nav=nav), "b")
    assert [c.title for c in book.chapters] == ["Part I: Underground, I", "Part I: Underground, II"]
