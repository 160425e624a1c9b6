"""Word, OpenDocument and RTF manuscripts (issue 35): the document's own structure is used, and what a
word processor keeps beside the text (headers, comments, deleted changes, field codes) is never read.

Each document is written from its XML (tests/office_documents.py) or as RTF source, so every feature
under test is spelled out in the test that needs it.
"""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape

import pytest

from tasks.manuscript import read_manuscript
from tests.office_documents import docx, odt, para, run

STORY = "The keeper climbed the stair at dusk and lit the great lamp."
PROSE = " ".join([STORY] * 5)  # a chapter long enough to be one, whatever its heading's form


def said(book) -> str:
    return " ".join(p for c in book.chapters for p in [*c.spoken_headings, *c.paragraphs])


# --- DOCX ----------------------------------------------------------------------------------------


def word_book(tmp_path, body: str, notes: str = "skip", **parts):
    return read_manuscript(docx(tmp_path / "book.docx", body, **parts), notes=notes)


def chapters(n: int, style: str = "Heading1") -> str:
    return "".join(para(f"Chapter {k}", style) + para(f"{STORY} Part {k}.") for k in range(1, n + 1))


def test_docx_heading_styles_are_its_chapters(tmp_path):
    book = word_book(tmp_path, para("The Lighthouse", "Title") + chapters(3))
    assert [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]


def test_docx_a_style_based_on_a_heading_is_a_heading(tmp_path):
    body = "".join(para(name, "ChapterTitle") + para(PROSE) for name in ("Dusk", "Midnight", "Dawn"))
    assert [c.title for c in word_book(tmp_path, body).chapters] == ["Dusk", "Midnight", "Dawn"]


def test_docx_a_paragraphs_own_outline_level_makes_it_a_heading(tmp_path):
    body = "".join(para(name, props='<w:outlineLvl w:val="0"/>') + para(PROSE) for name in ("Dusk", "Midnight", "Dawn"))
    assert [c.title for c in word_book(tmp_path, body).chapters] == ["Dusk", "Midnight", "Dawn"]


def test_docx_core_properties_give_title_author_and_language(tmp_path):
    book = word_book(tmp_path, chapters(2), core={"title": "The Lighthouse", "creator": "Ann Writer", "language": "fr-FR"})
    assert (book.title, book.author, book.language) == ("The Lighthouse", "Ann Writer", "fr")


def test_docx_the_title_style_names_the_book_when_the_properties_do_not(tmp_path):
    book = word_book(tmp_path, para("The Lighthouse", "Title") + chapters(2))
    assert book.title == "The Lighthouse" and "The Lighthouse" not in said(book)


def test_docx_headers_footers_and_comments_are_never_read(tmp_path):
    body = para("Chapter 1", "Heading1") + para(runs=run("She walked in.") + '<w:commentRangeStart w:id="0"/>'
                                                + run(" The lamp was lit.") + '<w:commentRangeEnd w:id="0"/>'
                                                + '<w:r><w:commentReference w:id="0"/></w:r>')
    book = word_book(tmp_path, body, header="RUNNING HEAD", footer="Page 7", comments={0: "EDITOR: cut this?"})
    assert said(book) == "Chapter 1 She walked in. The lamp was lit."


def test_docx_inserted_changes_are_read_and_deleted_ones_are_not(tmp_path):
    body = para("Chapter 1", "Heading1") + para(runs=run("She walked in. ")
                                                + '<w:ins w:id="1" w:author="E"><w:r><w:t>The lamp was lit.</w:t></w:r></w:ins>'
                                                + '<w:del w:id="2" w:author="E"><w:r><w:delText>The lamp was out.</w:delText></w:r></w:del>')
    book = word_book(tmp_path, body)
    assert said(book) == "Chapter 1 She walked in. The lamp was lit." and any("tracked changes" in w for w in book.warnings)


def test_docx_a_fields_code_is_never_read_its_result_is(tmp_path):
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE \\@ "d MMMM yyyy" </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("7 December 1899") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    book = word_book(tmp_path, para("Chapter 1", "Heading1") + para(runs=run("It was ") + field + run(".")))
    assert said(book) == "Chapter 1 It was 7 December 1899."


@pytest.mark.parametrize("notes, read", [("skip", False), ("chapter-end", True)])
def test_docx_footnotes_follow_the_notes_policy(tmp_path, notes, read):
    ref = '<w:r><w:footnoteReference w:id="1"/></w:r>'
    body = para("Chapter 1", "Heading1") + para(runs=run("The lamp was lit.") + ref) + para(STORY)
    book = word_book(tmp_path, body, footnotes={1: "Lamps then burned whale oil."}, notes=notes)
    chapter = book.chapters[0]
    assert chapter.paragraphs[0] == "The lamp was lit."
    assert ("Lamps then burned whale oil." in chapter.paragraphs) == read
    assert any(s.kind == "notes" for s in book.skipped) != read


def test_docx_page_breaks_and_scene_breaks_are_pauses(tmp_path):
    body = (para("Chapter 1", "Heading1") + para(STORY) + para(runs='<w:r><w:br w:type="page"/></w:r>' + run("After the page."))
            + para("#") + para("After the scene break.") + para("After a section.", props="<w:sectPr/>") + para("Next section."))
    chapter = word_book(tmp_path, body).chapters[0]
    opened = [chapter.paragraphs[i] for i, cue in chapter.cues.items() if cue.opens]
    assert opened == ["After the page.", "After the scene break.", "Next section."]
    assert "#" not in chapter.paragraphs and "* * *" not in chapter.paragraphs


def test_docx_lists_are_read_as_the_html_reader_reads_them(tmp_path):
    items = "".join(para(item, props='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>') for item in ("Bread", "Oil"))
    book = word_book(tmp_path, para("Chapter 1", "Heading1") + para("They took:") + items)
    assert book.chapters[0].paragraphs == ["They took:", "Bread", "Oil"]


def test_a_docx_named_txt_is_read_as_docx(tmp_path):
    path = docx(tmp_path / "book.docx", chapters(2))
    renamed = path.rename(tmp_path / "book.txt")
    assert [c.title for c in read_manuscript(renamed).chapters] == ["Chapter 1", "Chapter 2"]


# --- ODT ------------------------------------------------------------------------------------------


def odt_chapters(n: int) -> str:
    return "".join(f'<text:h text:outline-level="1">Chapter {k}</text:h><text:p>{STORY} Part {k}.</text:p>'
                   for k in range(1, n + 1))


def test_odt_outline_levels_are_its_chapters_and_meta_names_the_book(tmp_path):
    book = read_manuscript(odt(tmp_path / "book.odt", odt_chapters(3), meta={"title": "The Lighthouse", "creator": "Ann Writer"}))
    assert [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]
    assert (book.title, book.author) == ("The Lighthouse", "Ann Writer")


def test_odt_headers_comments_and_deleted_changes_are_never_read(tmp_path):
    body = ('<text:h text:outline-level="1">Chapter 1</text:h>'
            '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>The lamp was out.</text:p>'
            '</text:deletion></text:changed-region></text:tracked-changes>'
            '<text:p>She walked in.<office:annotation><dc:creator>Ed</dc:creator><text:p>EDITOR: cut?</text:p>'
            '</office:annotation> <text:change-start text:change-id="c2"/>The lamp was lit.<text:change-end text:change-id="c2"/>'
            ' Page <text:page-number>7</text:page-number>.</text:p>')
    book = read_manuscript(odt(tmp_path / "book.odt", body, master_header="RUNNING HEAD"))
    assert said(book) == "Chapter 1 She walked in. The lamp was lit. Page ."


def test_odt_a_pictures_name_and_description_are_never_read(tmp_path):
    """LibreOffice writes an HTML picture's alt text as its frame's svg:title ('0029m' in Treasure Island)."""
    body = ('<text:h text:outline-level="1">Chapter 1</text:h><text:p><draw:frame draw:name="Image1">'
            '<draw:image xlink:href="images/0029m.jpg"/><svg:title>0029m </svg:title><svg:desc>A ship</svg:desc>'
            '</draw:frame></text:p><text:p>She walked in.</text:p>')
    assert said(read_manuscript(odt(tmp_path / "book.odt", body))) == "Chapter 1 She walked in."


@pytest.mark.parametrize("notes, read", [("skip", False), ("chapter-end", True)])
def test_odt_notes_follow_the_notes_policy(tmp_path, notes, read):
    body = ('<text:h text:outline-level="1">Chapter 1</text:h><text:p>The lamp was lit.<text:note text:note-class="footnote">'
            '<text:note-citation>1</text:note-citation><text:note-body><text:p>Whale oil.</text:p></text:note-body>'
            f'</text:note></text:p><text:p>{STORY}</text:p>')
    chapter = read_manuscript(odt(tmp_path / "book.odt", body), notes=notes).chapters[0]
    assert chapter.paragraphs[0] == "The lamp was lit." and ("Whale oil." in chapter.paragraphs) == read


def test_odt_a_page_break_style_is_a_pause_and_the_contents_are_left_out(tmp_path):
    style = ('<style:style style:name="P1" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/>'
             '</style:style>')
    body = ('<text:table-of-content><text:index-body><text:p>Chapter 1 ... 1</text:p></text:index-body></text:table-of-content>'
            f'<text:h text:outline-level="1">Chapter 1</text:h><text:p>{STORY}</text:p>'
            '<text:p text:style-name="P1">After the page.</text:p>')
    book = read_manuscript(odt(tmp_path / "book.odt", body, automatic_styles=style))
    chapter = book.chapters[0]
    assert chapter.paragraphs == [STORY, "After the page."] and chapter.cues[1].opens
    assert any(s.kind == "contents" for s in book.skipped)


# --- RTF ------------------------------------------------------------------------------------------

RTF_HEAD = (r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman\fcharset0 Times;}{\f1\fswiss\fcharset204 Arial;}}"
            r"{\stylesheet{\s0 Normal;}{\s1\sbasedon0 heading 1;}{\s2\sbasedon1 Chapter Title;}{\s3 Title;}{\s4 Author;}}"
            r"{\info{\title The Lighthouse}{\author Ann Writer}}"
            r"{\header\pard\plain RUNNING HEAD\par}{\footer\pard\plain Page 7\par}")


def rtf(tmp_path, body: str):
    path = tmp_path / "book.rtf"
    path.write_bytes((RTF_HEAD + body + "}").encode("latin-1"))
    return path


def test_rtf_heading_styles_and_outline_levels_are_its_chapters(tmp_path):
    body = (r"\pard\s3 The Lighthouse\par\pard\s1 Chapter 1\par\pard\s0 " + PROSE + r"\par"
            r"\pard\s2 Dusk\par\pard\s0 " + PROSE + r"\par\pard\outlinelevel0 Dawn\par\pard " + PROSE + r"\par")
    book = read_manuscript(rtf(tmp_path, body))
    assert [c.title for c in book.chapters] == ["Chapter 1", "Dusk", "Dawn"]
    assert (book.title, book.author) == ("The Lighthouse", "Ann Writer")


def test_rtf_headers_comments_deleted_changes_and_field_codes_are_never_read(tmp_path):
    body = (r"\pard\s1 Chapter 1\par\pard\s0 She walked in. {\revised The lamp was lit.}{\deleted The lamp was out.}"
            r"{\*\atnauthor Ed}\chatn{\*\annotation EDITOR: cut?} It was "
            r'{\field{\*\fldinst DATE \\@ "d MMMM yyyy"}{\fldrslt 7 December 1899}}.\par')
    assert said(read_manuscript(rtf(tmp_path, body))) == "Chapter 1 She walked in. The lamp was lit. It was 7 December 1899."


@pytest.mark.parametrize("notes, read", [("skip", False), ("chapter-end", True)])
def test_rtf_footnotes_follow_the_notes_policy(tmp_path, notes, read):
    body = (r"\pard\s1 Chapter 1\par\pard\s0 The lamp was lit.{\super\chftn}{\footnote\pard\plain{\super\chftn} Whale oil.}"
            r"\par " + STORY + r"\par")
    chapter = read_manuscript(rtf(tmp_path, body), notes=notes).chapters[0]
    assert chapter.paragraphs[0] == "The lamp was lit." and ("Whale oil." in chapter.paragraphs) == read


def test_rtf_code_pages_and_unicode_escapes_are_decoded(tmp_path):
    body = r"\pard\s1 Chapter 1\par\pard\s0 Caf\'e9 {\f1 \'cc\'e8\'f0} \u8220?quoted\u8221? na\u239?ve.\par"
    assert said(read_manuscript(rtf(tmp_path, body))) == "Chapter 1 Café Мир “quoted” naïve."


def test_rtf_page_breaks_are_pauses(tmp_path):
    body = r"\pard\s1 Chapter 1\par\pard\s0 " + STORY + r"\par\page After the page.\par\pard\pagebb After another.\par"
    chapter = read_manuscript(rtf(tmp_path, body)).chapters[0]
    assert chapter.paragraphs == [STORY, "After the page.", "After another."]
    assert chapter.cues[1].opens and chapter.cues[2].opens


# --- a title page in styles (pandoc's Title and Author, through any word processor) -------------------------


def test_docx_the_author_style_under_the_title_names_the_author_and_is_not_read(tmp_path):
    book = word_book(tmp_path, para("The Lighthouse", "Title") + para("Ann Writer", "Author") + chapters(3))
    assert book.author == "Ann Writer" and "Ann Writer" not in said(book)
    assert [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]


def test_odt_the_author_style_under_the_title_names_the_author_and_is_not_read(tmp_path):
    body = ('<text:p text:style-name="Title">The Lighthouse</text:p><text:p text:style-name="Author">Ann Writer</text:p>'
            + "".join(f'<text:h text:outline-level="1">Chapter {n}</text:h><text:p>{STORY}</text:p>' for n in (1, 2, 3)))
    book = read_manuscript(odt(tmp_path / "book.odt", body))
    assert book.author == "Ann Writer" and "Ann Writer" not in said(book)
    assert [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]


def test_rtf_the_author_style_under_the_title_is_not_read(tmp_path):
    body = r"\pard\s3 The Lighthouse\par\pard\s4 Ann Writer\par" + "".join(
        rf"\pard\s1 Chapter {n}\par\pard\s0 {STORY}\par" for n in (1, 2, 3))
    book = read_manuscript(rtf(tmp_path, body))
    assert "Ann Writer" not in said(book) and [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]


# --- a plain text's lines (LibreOffice's .docx, .odt and .rtf of a .txt) ------------------------------


def wrapped_text() -> list[str]:
    """A hard-wrapped plain text's lines: three chapters of two paragraphs, a blank line between blocks."""
    lines: list[str] = []
    for number in ("I", "II", "III"):
        lines += [f"CHAPTER {number}.", ""]
        for _ in range(2):
            lines += [*textwrap.wrap(f"{PROSE} Chapter {number} ends here.", 70), ""]
    return lines


def text_book(tmp_path):
    path = tmp_path / "book.txt"
    path.write_text("\n".join(wrapped_text()) + "\n", encoding="utf-8")
    return read_manuscript(path)


def as_read(book) -> list[tuple[str, list[str]]]:
    return [(c.title, c.paragraphs) for c in book.chapters]


def test_a_docx_of_a_plain_texts_lines_reads_as_the_text(tmp_path):
    body = "".join(para(line) for line in wrapped_text())
    book = read_manuscript(docx(tmp_path / "book.docx", body))
    assert as_read(book) == as_read(text_book(tmp_path)) and len(book.chapters[0].paragraphs) == 2


def test_an_odt_of_a_plain_texts_lines_reads_as_the_text(tmp_path):
    body = "".join(f"<text:p>{escape(line)}</text:p>" for line in wrapped_text())
    book = read_manuscript(odt(tmp_path / "book.odt", body))
    assert as_read(book) == as_read(text_book(tmp_path)) and len(book.chapters[0].paragraphs) == 2


def test_an_rtf_of_a_plain_texts_lines_reads_as_the_text(tmp_path):
    book = read_manuscript(rtf(tmp_path, "".join(r"\pard\s0 " + line + r"\par" for line in wrapped_text())))
    assert as_read(book) == as_read(text_book(tmp_path)) and len(book.chapters[0].paragraphs) == 2


def test_odt_a_contents_label_in_plain_type_over_its_links_is_left_out_with_them(tmp_path):
    links = "".join(f'<text:p><text:a xlink:href="#ch{n}">Chapter {n}</text:a></text:p>' for n in range(1, 7))
    body = ("<text:p>CONTENTS</text:p>" + links
            + "".join(f'<text:h text:outline-level="1">Chapter {n}</text:h><text:p>{STORY}</text:p>' for n in range(1, 7)))
    book = read_manuscript(odt(tmp_path / "book.odt", body))
    assert [c.title for c in book.chapters] == [f"Chapter {n}" for n in range(1, 7)] and "CONTENTS" not in said(book)
