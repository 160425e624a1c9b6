"""PDF manuscripts (issue 35): a book typeset on pages reads as the book, whatever the pages add or split.

The PDFs are written by tests/pdf_documents.py: each line placed where a typesetter would put it.
"""

from __future__ import annotations

import textwrap

import pytest

from tasks.core.errors import ManuscriptError
from tasks.manuscript import read_manuscript
from tasks.manuscript.pdf import MAX_PDF_BYTES
from tests.pdf_documents import PdfPage, Text, write_pdf

LEFT, TOP, BOTTOM, LEADING = 72, 700, 80, 14
WORDS = ("The keeper climbed the stair at dusk and lit the great lamp while the sea rose against the rocks "
         "below, and the gulls wheeled out over the grey water toward the island.")


def typeset(chapters: list[tuple[str, list[str]]], header: str = "THE LIGHTHOUSE", width: int = 85) -> list[PdfPage]:
    """Chapters on pages: a 20-point heading on a new page, paragraphs with a first-line indent, a running
    header and a page number on every page."""
    pages: list[PdfPage] = []
    for title, paragraphs in chapters:
        pages.append(PdfPage([Text(LEFT, TOP, title, 20)]))
        y = TOP - 3 * LEADING
        for paragraph in paragraphs:
            for k, line in enumerate(textwrap.wrap(paragraph, width)):
                if y < BOTTOM:
                    pages.append(PdfPage())
                    y = TOP
                pages[-1].lines.append(Text(LEFT + (18 if k == 0 else 0), y, line))
                y -= LEADING
    for number, page in enumerate(pages, 1):
        page.lines += [Text(250, 750, header, 9), Text(300, 40, str(number), 9)]
    return pages


def said(book) -> str:
    return " ".join(p for c in book.chapters for p in c.paragraphs)


@pytest.fixture
def novel(tmp_path):
    chapters = [(f"Chapter {n}", [f"{WORDS} Paragraph {n}.{k}." for k in range(1, 7 + 2 * n)]) for n in (1, 2, 3)]
    return write_pdf(tmp_path / "novel.pdf", typeset(chapters), info={"Title": "The Lighthouse", "Author": "Ann Writer"})


def test_chapters_come_from_the_headings_type_size(novel):
    assert [c.title for c in read_manuscript(novel).chapters] == ["Chapter 1", "Chapter 2", "Chapter 3"]


def test_the_document_information_gives_title_and_author(novel):
    book = read_manuscript(novel)
    assert (book.title, book.author) == ("The Lighthouse", "Ann Writer")


def test_running_headers_and_page_numbers_are_left_out_and_counted(novel):
    book = read_manuscript(novel)
    assert "LIGHTHOUSE" not in said(book) and not any(p.strip().isdigit() for c in book.chapters for p in c.paragraphs)
    counted = [s for s in book.skipped if s.kind == "page headers and numbers"]
    assert counted and counted[0].marked


def test_lines_reflow_into_their_paragraphs_across_pages(novel):
    chapter = read_manuscript(novel).chapters[0]
    assert chapter.paragraphs == [f"{WORDS} Paragraph 1.{k}." for k in range(1, 9)]  # 1.8 runs onto a new page


def test_a_word_hyphenated_at_a_lines_end_is_joined(tmp_path):
    lines = ["The storm was extraor-", "dinary that night, and the well-known keeper was", "out on the well-",
             "known rocks when the lamp failed."]
    page = PdfPage([Text(LEFT, TOP - k * LEADING, line) for k, line in enumerate(lines)])
    book = read_manuscript(write_pdf(tmp_path / "hyphens.pdf", [page]))
    assert said(book) == ("The storm was extraordinary that night, and the well-known keeper was out on the "
                          "well-known rocks when the lamp failed.")


def test_two_columns_are_read_column_by_column(tmp_path):
    left = [f"Left column line {k} of the story goes on here" for k in range(1, 9)]
    right = [f"Right column line {k} of the story goes on here" for k in range(1, 9)]
    page = PdfPage()
    for k, (a, b) in enumerate(zip(left, right)):  # the content stream interleaves the columns
        page.lines += [Text(LEFT, TOP - k * LEADING, a), Text(320, TOP - k * LEADING, b)]
    text = said(read_manuscript(write_pdf(tmp_path / "columns.pdf", [page])))
    assert text.index("Left column line 8") < text.index("Right column line 1")


def test_the_outline_gives_chapters_the_type_does_not_show(tmp_path):
    pages = [PdfPage([Text(LEFT, TOP, "The Storm"), Text(LEFT, TOP - 2 * LEADING, WORDS)]),
             PdfPage([Text(LEFT, TOP, "The Calm"), Text(LEFT, TOP - 2 * LEADING, WORDS)])]
    path = write_pdf(tmp_path / "outline.pdf", pages, [("The Storm", 0, TOP + 12), ("The Calm", 1, TOP + 12)])
    assert [c.title for c in read_manuscript(path).chapters] == ["The Storm", "The Calm"]


def test_project_gutenberg_boilerplate_is_left_out(tmp_path):
    lines = ["The Project Gutenberg eBook of The Lighthouse", "*** START OF THE PROJECT GUTENBERG EBOOK THE LIGHTHOUSE ***",
             "", WORDS[:80], "", "*** END OF THE PROJECT GUTENBERG EBOOK THE LIGHTHOUSE ***", "Section 1. General Terms"]
    page = PdfPage([Text(LEFT, TOP - k * 2 * LEADING, line) for k, line in enumerate(lines) if line])
    text = said(read_manuscript(write_pdf(tmp_path / "pg.pdf", [page])))
    assert "Gutenberg" not in text and "General Terms" not in text and "keeper climbed" in text


# --- refused, in one line and bounded time ---------------------------------------------------------


def refused(path, problem: str) -> str:
    with pytest.raises(ManuscriptError) as err:
        read_manuscript(path)
    message = str(err.value)
    assert path.name in message and "\n" not in message and problem in message
    return message


def test_a_scan_without_a_text_layer_says_to_run_ocr(tmp_path):
    refused(write_pdf(tmp_path / "scan.pdf", [PdfPage(image=True)] * 3), "has no text layer (a scanned book): run OCR")


def test_a_scan_whose_pages_carry_only_a_scanners_stamp_says_to_run_ocr(tmp_path):
    stamped = PdfPage([Text(LEFT, 30, "Scanned with CamScanner", 8)], image=True)
    refused(write_pdf(tmp_path / "scan.pdf", [stamped] * 6), "has no text layer (a scanned book): run OCR")


def test_an_encrypted_pdf_is_one_line(tmp_path):
    refused(write_pdf(tmp_path / "locked.pdf", [PdfPage([Text(LEFT, TOP, WORDS)])], encrypted=True), "encrypted PDF")


def test_a_pdf_cut_short_is_one_line(tmp_path, novel):
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(novel.read_bytes()[:600])
    refused(cut, "PDF")


def test_a_pdf_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "big.pdf"
    with path.open("wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(MAX_PDF_BYTES + 1)
    refused(path, "limit")


@pytest.mark.parametrize("notes, read", [("skip", False), ("chapter-end", True)])
def test_footnotes_at_a_pages_foot_follow_the_notes_policy(tmp_path, notes, read):
    page = PdfPage([Text(LEFT, TOP, "Chapter 1", 20), Text(LEFT, TOP - 3 * LEADING, "The lamp was lit."),
                    Text(LEFT + 83, TOP - 3 * LEADING + 4, "1", 7), Text(LEFT, TOP - 4 * LEADING, WORDS),
                    Text(LEFT, 100, "1 Lamps then burned whale oil.", 8)])
    chapter = read_manuscript(write_pdf(tmp_path / "notes.pdf", [page]), notes=notes).chapters[0]
    assert chapter.paragraphs[0].startswith("The lamp was lit. The keeper")
    assert ("Lamps then burned whale oil." in chapter.paragraphs) == read


# --- as LibreOffice lays out a plain text's lines: one type size, blank lines as space, no indents ------


def text_pages(pages: list[list[str]], first_top: dict[int, int] | None = None) -> list[PdfPage]:
    """Pages of lines in the text's one size from the top (or lower, where `first_top` says), each numbered at its
    foot; an empty string is a blank line's space."""
    out = []
    for number, lines in enumerate(pages, 1):
        y = (first_top or {}).get(number - 1, TOP)
        page = PdfPage([Text(300, 40, str(number), 9)])
        for line in lines:
            if line:
                page.lines.append(Text(LEFT, y, line))
            y -= LEADING
        out.append(page)
    return out


FULL_LINE = "the keeper climbed the stair at dusk and lit the great lamp while the sea rose up"


def test_a_chapters_number_alone_at_a_pages_top_is_read_not_taken_for_a_page_number(tmp_path):
    prose = [FULL_LINE] * 30 + ["and so the night went by."]
    pages = text_pages([["I", "", "THE STORM", "", *prose[:20]], [*prose[20:], "", "", ""],
                        ["II", "", "THE CALM", "", *prose[:20]], [*prose[20:]]])
    book = read_manuscript(write_pdf(tmp_path / "letters.pdf", pages))
    assert [c.title.split(".")[0] for c in book.chapters] == ["I", "II"]
    assert not any(p.strip().isdigit() for c in book.chapters for p in c.paragraphs)  # the page numbers


def test_a_blank_line_at_a_pages_top_ends_the_paragraph_the_page_before_ended_full(tmp_path):
    pages = text_pages([[FULL_LINE] * 40, [FULL_LINE] * 40, ["Chapter Two", "", FULL_LINE, "and no more."]],
                       first_top={2: TOP - LEADING})
    paragraphs = read_manuscript(write_pdf(tmp_path / "wrapped.pdf", pages)).chapters[0].paragraphs
    assert "Chapter Two" not in paragraphs[0]


def letter_page(number: str) -> PdfPage:
    """A letter under its number and its title, four paragraphs of three lines."""
    page = PdfPage([Text(LEFT, TOP, number, 14), Text(LEFT, TOP - 2 * LEADING, f"LETTER {number} TO MR. VERNON")])
    y = TOP - 4 * LEADING
    for paragraph in range(4):
        for k in range(3):
            text = f"Letter {number} paragraph {paragraph} line {k}, and the keeper climbed the stair at dusk"
            page.lines.append(Text(LEFT + (18 if k == 0 else 0), y, text if k < 2 else "at last."))
            y -= LEADING
    return page


def test_a_contents_lists_spaced_entries_are_one_list_left_out(tmp_path):
    numbers = ["I", "II", "III", "IV", "V", "VI"]
    contents = PdfPage([Text(LEFT, TOP, "CONTENTS")])
    for k, number in enumerate(numbers):
        y = TOP - (3 + 2 * k) * LEADING  # a blank line's space between entries, each a link to its letter
        contents.lines.append(Text(LEFT, y, number))
        contents.links.append((LEFT, y - 3, LEFT + 100, y + 11))
    book = read_manuscript(write_pdf(tmp_path / "letters.pdf", [contents, *map(letter_page, numbers)]))
    assert [c.title.split(",")[0] for c in book.chapters] == numbers
    assert any(s.kind == "contents" for s in book.skipped)


def test_a_drop_cap_is_the_first_letter_of_its_paragraph(tmp_path):
    pages = []
    for cap, rest in (("M", "y father's family name being Pirrip, and my Christian name Philip,"), ("I", "was the keeper")):
        page = PdfPage([Text(LEFT, TOP + 30, "Chapter One" if cap == "M" else "Chapter Two", 20),
                        Text(LEFT, TOP - 20, cap, 44)])
        page.lines += [Text(LEFT + 40, TOP - k * LEADING, text) for k, text in enumerate(
            [rest, "my infant tongue could make of both names nothing longer than Pip, and so"])]
        page.lines += [Text(LEFT, TOP - k * LEADING, f"I called myself Pip, line {k} of the story, and came to be called Pip.")
                       for k in range(2, 8)]
        pages.append(page)
    book = read_manuscript(write_pdf(tmp_path / "drop-caps.pdf", pages))
    assert [c.title for c in book.chapters] == ["Chapter One", "Chapter Two"]
    assert book.chapters[0].paragraphs[0].startswith("My father's family name")
    assert book.chapters[1].paragraphs[0].startswith("I was the keeper my infant tongue")


def test_the_authors_name_on_the_title_page_is_a_credit_not_read(tmp_path):
    chapters = [(f"Chapter {n}", [f"{WORDS} Paragraph {n}.{k}." for k in range(1, 40)]) for n in (1, 2)]
    pages = [PdfPage([Text(LEFT, TOP, "The Lighthouse", 24), Text(LEFT, TOP - 40, "Ann Writer")]), *typeset(chapters)]
    book = read_manuscript(write_pdf(tmp_path / "titled.pdf", pages, info={"Title": "The Lighthouse", "Author": "Ann Writer"}))
    assert book.author == "Ann Writer" and "Ann Writer" not in said(book)
    assert [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2"]


def test_a_compound_and_a_double_hyphen_dash_at_a_lines_end_stay_whole(tmp_path):
    lines = ["Her sister-in-", "law's carriage was going--", "Mr. Vernon said so--and the keeper lit the great lamp at dusk."]
    page = PdfPage([Text(LEFT, TOP - k * LEADING, line) for k, line in enumerate(lines)])
    text = said(read_manuscript(write_pdf(tmp_path / "dashes.pdf", [page])))
    assert text == "Her sister-in-law's carriage was going--Mr. Vernon said so--and the keeper lit the great lamp at dusk."


@pytest.mark.parametrize("notes, read", [("skip", False), ("chapter-end", True)])
def test_a_notes_label_set_small_beside_its_text_makes_it_a_footnote(tmp_path, notes, read):
    """LibreOffice's PDF of a Word footnote: the label '1' small on a line of its own, the note's text beside it
    in the text's size, its next line at the text's indent."""
    pages = []
    for name in ("First", "Second", "Third"):
        lines = textwrap.wrap(f"The {name.lower()} night began. {WORDS} {WORDS} {WORDS}", 80)
        page = PdfPage([Text(LEFT, TOP - k * LEADING, line) for k, line in enumerate(lines)])
        page.lines += [Text(LEFT, 144, "1", 6), Text(LEFT + 8, 138, f"{name} note: whale oil, which the keeper burned"),
                       Text(LEFT + 8, 138 - LEADING, f"all winter long in the {name.lower()} lamp.")]
        pages.append(page)
    book = read_manuscript(write_pdf(tmp_path / "notes.pdf", pages), notes=notes)
    assert ("Second note: whale oil" in said(book)) == read and "1 Second note" not in said(book)


def test_a_page_ending_well_above_its_foot_ends_its_paragraph(tmp_path):
    pages = text_pages([[FULL_LINE] * 40, [FULL_LINE] * 20 + ["Ever yours, S. VERNON."],
                        ["VI", "", "THE CALM", "", *[FULL_LINE] * 36], [FULL_LINE] * 39 + ["and so it ended."]])
    book = read_manuscript(write_pdf(tmp_path / "page-ends.pdf", pages))
    blocks = [text for c in book.chapters for text in [*c.spoken_headings, *c.paragraphs]]
    assert any(text.startswith("VI") for text in blocks) and any(text.endswith("S. VERNON.") for text in blocks)
