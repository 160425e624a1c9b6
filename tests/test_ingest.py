"""Ingest: manuscripts in every supported form become a Book; bad input is one clear ManuscriptError."""

import zipfile
from pathlib import Path

import pytest
from ebooklib import epub

from tasks.core.errors import ManuscriptError
from tasks.manuscript.book import Book, Chapter
from tasks.manuscript.epub.reader import MAX_EPUB_BYTES
from tasks.manuscript.ingest import MAX_TEXT_BYTES, read_manuscript

REPO = Path(__file__).resolve().parents[1]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def titles(book: Book) -> list[str]:
    return [chapter.title for chapter in book.chapters]


# --- plain text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    ["Chapter 1", "CHAPTER ONE", "Chapter XII: The Storm", "I.", "IV. The Return", "XIV", "Prologue", "EPILOGUE",
     "Chapter Twenty-One"],
)
def test_text_chapter_headings_are_detected(tmp_path, heading):
    book = read_manuscript(write(tmp_path / "book.txt", f"Opening words.\n\n{heading}\n\nThe story goes on."))
    assert titles(book) == ["Book", heading]
    assert book.chapters[1].paragraphs == ["The story goes on."]


def test_text_paragraphs_are_blank_line_separated_and_unwrapped(tmp_path):
    book = read_manuscript(write(tmp_path / "tale.txt", "One line\nwrapped here.\n\nSecond paragraph.\r\n"))
    assert book.chapters == [Chapter("Tale", ["One line wrapped here.", "Second paragraph."])]


def test_a_bare_heading_takes_the_short_line_after_it_as_its_title(tmp_path):
    book = read_manuscript(write(tmp_path / "b.txt", "CHAPTER I\n\nThe Fox\n\nA fox ran."))
    assert titles(book) == ["CHAPTER I. The Fox"]
    assert book.chapters[0].paragraphs == ["A fox ran."]


def test_sentences_and_initials_are_not_mistaken_for_headings(tmp_path):
    text = "C. S. Lewis\n\nPart of the problem was the rain.\n\nI went home."
    assert len(read_manuscript(write(tmp_path / "b.txt", text)).chapters) == 1


def test_user_chapter_pattern_overrides_detection(tmp_path):
    text = "Chapter 1\n\nnot a chapter here.\n\n~ Day Two ~\n\nA new day."
    book = read_manuscript(write(tmp_path / "b.txt", text), chapter_pattern=r"~ .* ~")
    assert titles(book) == ["B", "~ Day Two ~"]
    assert book.chapters[0].paragraphs == ["Chapter 1", "not a chapter here."]


def test_invalid_chapter_pattern_is_reported(tmp_path):
    with pytest.raises(ManuscriptError, match="chapter pattern"):
        read_manuscript(write(tmp_path / "b.txt", "Text."), chapter_pattern="(")


# --- Markdown ----------------------------------------------------------------------------------


def test_sample_manuscript_reads_front_matter_and_chapters():
    book = read_manuscript(REPO / "manuscripts" / "aesop-fables.md")
    assert (book.title, book.author, book.voice, book.language) == (
        "Three Fables of Aesop", "Aesop", "v2/en_speaker_6", "en"
    )
    assert titles(book) == ["Chapter 1. The Fox and the Grapes", "Chapter 2. The Lion and the Mouse",
                            "Chapter 3. The Ants and the Grasshopper"]
    assert book.chapters[2].paragraphs[-1].endswith("dance supperless to bed in the winter.\"")


def test_markdown_front_matter_fields(tmp_path):
    write(tmp_path / "cover.png", "png")
    text = ("---\ntitle: T\nauthor: A\nnarrator: N\nlanguage: de\nvoice: v2/de_speaker_1\ncover: cover.png\n"
            "extra: ignored\n---\n\n# One\n\nText.\n")
    book = read_manuscript(write(tmp_path / "b.md", text))
    assert (book.title, book.author, book.narrator, book.language, book.voice) == ("T", "A", "N", "de", "v2/de_speaker_1")
    assert book.cover == (tmp_path / "cover.png").resolve()


@pytest.mark.parametrize("entries, expected", [
    ("pronunciations:\n  Hermione: her-MY-oh-nee\n", [{"written": "Hermione", "spoken": "her-MY-oh-nee"}]),
    ("pronunciations:\n  - written: Dr.\n    spoken: Doctor\n    note: title\n",
     [{"written": "Dr.", "spoken": "Doctor", "note": "title"}]),
])
def test_markdown_front_matter_pronunciations_are_kept_for_the_lexicon(tmp_path, entries, expected):
    book = read_manuscript(write(tmp_path / "b.md", f"---\ntitle: T\n{entries}---\n\n# One\n\nText.\n"))
    assert book.pronunciations == expected


@pytest.mark.parametrize("language, code, warned", [("French", "fr", False), ("de", "de", False), ("Blorvish", "en", True)])
def test_markdown_language_becomes_an_iso_code(tmp_path, language, code, warned):
    book = read_manuscript(write(tmp_path / "b.md", f"---\nlanguage: {language}\n---\n\n# One\n\nText.\n"))
    assert book.language == code
    assert any(language in w for w in book.warnings) == warned


def test_markdown_missing_cover_is_an_error(tmp_path):
    with pytest.raises(ManuscriptError, match=r"b\.md.*cover"):
        read_manuscript(write(tmp_path / "b.md", "---\ncover: nope.jpg\n---\nText.\n"))


def test_markdown_bad_front_matter_is_an_error(tmp_path):
    with pytest.raises(ManuscriptError, match=r"b\.md.*front matter"):
        read_manuscript(write(tmp_path / "b.md", "---\ntitle: [unclosed\n---\nText.\n"))


def test_markdown_lone_top_heading_is_the_title_and_deeper_headings_stay_text(tmp_path):
    text = "# My Book\n\n## First\n\nHello.\n\n### A scene\n\nMore.\n\n## Second\nBye.\n"
    book = read_manuscript(write(tmp_path / "b.md", text))
    assert book.title == "My Book"
    assert book.chapters == [Chapter("First", ["Hello.", "A scene", "More."]), Chapter("Second", ["Bye."])]


def test_markdown_markup_is_stripped(tmp_path):
    text = "# C\n\nSome **bold** and _italic_ [link](http://x.y) text![pic](a.png) here[^1].\n\n[^1]: The note.\n"
    book = read_manuscript(write(tmp_path / "b.md", text))
    assert book.chapters[0].paragraphs == ["Some bold and italic link text here."]


# --- EPUB --------------------------------------------------------------------------------------


def make_epub(path: Path, docs: list[tuple[str, str, str]], spine_order: list[int] | None = None) -> Path:
    """docs: (file name, TOC title, body XHTML); spine_order reorders the spine relative to the files."""
    book = epub.EpubBook()
    book.set_identifier("id1")
    book.set_title("An EPUB Book")
    book.set_language("en-GB")
    book.add_author("E. Author")
    items = []
    for name, title, body in docs:
        item = epub.EpubHtml(title=title, file_name=name, lang="en")
        item.content = f"<html><body>{body}</body></html>"
        book.add_item(item)
        items.append(item)
    book.toc = [epub.Link(item.file_name, title, item.file_name) for item, (_, title, _) in zip(items, docs)]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    order = spine_order or list(range(len(items)))
    book.spine = ["nav"] + [items[i] for i in order]
    epub.write_epub(str(path), book)
    return path


def test_epub_chapters_follow_the_spine_with_toc_titles(tmp_path):
    path = make_epub(tmp_path / "b.epub", [
        ("a.xhtml", "The First", "<h1>The First</h1><p>Alpha text.</p>"),
        ("b.xhtml", "The Second", "<p>Beta text.</p>"),
    ], spine_order=[1, 0])
    book = read_manuscript(path)
    assert (book.title, book.author, book.language) == ("An EPUB Book", "E. Author", "en")
    assert book.chapters == [Chapter("The Second", ["Beta text."]), Chapter("The First", ["Alpha text."])]


def test_epub_html_is_stripped_and_images_and_footnotes_skipped(tmp_path):
    body = ('<p>Hello <em>there</em>,<br/>friend<a epub:type="noteref" href="#n1">1</a>'
            '<sup><a href="#n2">2</a></sup>.</p><img src="x.png"/><figure><p>Caption</p></figure>'
            '<div><p>Nested <span>paragraph</span>.</p></div><script>var x;</script>'
            '<aside epub:type="footnote" id="n1"><p>A footnote.</p></aside>')
    book = read_manuscript(make_epub(tmp_path / "b.epub", [("a.xhtml", "Only", body)]))
    assert book.chapters[0].paragraphs == ["Hello there, friend.", "Nested paragraph."]


def test_epub_without_text_pages_skips_them(tmp_path):
    path = make_epub(tmp_path / "b.epub", [("cover.xhtml", "Cover", '<img src="c.png"/>'),
                                          ("a.xhtml", "One", "<p>Text.</p>")])
    assert titles(read_manuscript(path)) == ["One"]


# --- folders -----------------------------------------------------------------------------------


def test_folder_of_chapter_files_in_natural_order(tmp_path):
    folder = tmp_path / "my-novel"
    folder.mkdir()
    write(folder / "chapter-10-the-end.md", "The end came.")
    write(folder / "chapter-2-middle.txt", "Middle things.")
    write(folder / "chapter-1-start.md", "---\ntitle: Novel\nauthor: Me\n---\n\nIt began.")
    write(folder / "notes.json", "{}")
    book = read_manuscript(folder)
    assert (book.title, book.author) == ("Novel", "Me")
    assert [c.paragraphs for c in book.chapters] == [["It began."], ["Middle things."], ["The end came."]]
    assert titles(book) == ["Chapter 1 start", "Chapter 2 middle", "Chapter 10 the end"]


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(ManuscriptError, match="no chapter files"):
        read_manuscript(tmp_path)


# --- bad input: one clear error naming the file ---------------------------------------------------


def refused(path: Path, problem: str) -> None:
    with pytest.raises(ManuscriptError) as err:
        read_manuscript(path)
    message = str(err.value)
    assert path.name in message and "\n" not in message
    assert problem in message


def test_missing_file(tmp_path):
    refused(tmp_path / "gone.md", "does not exist")


def test_empty_file(tmp_path):
    refused(write(tmp_path / "empty.txt", "  \n\n"), "is empty")


def test_front_matter_only_has_no_text(tmp_path):
    refused(write(tmp_path / "meta.md", "---\ntitle: X\n---\n"), "no text")


def test_binary_file(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    refused(path, "binary")


def test_bytes_that_contradict_their_byte_order_mark(tmp_path):
    path = tmp_path / "broken.md"
    path.write_bytes(b"\xef\xbb\xbfCaf\xe9 au lait.")  # a UTF-8 BOM, then Latin-1
    refused(path, "byte-order mark but is not UTF-8")


def test_a_single_megabyte_line(tmp_path):
    refused(write(tmp_path / "one-line.txt", "word " * 210_000), "line 1 is")


def sparse_file(path, size):
    """A file of `size` zero bytes that costs no disk."""
    with path.open("wb") as f:
        f.truncate(size)
    return path


def test_oversized_text(tmp_path):
    refused(sparse_file(tmp_path / "huge.txt", MAX_TEXT_BYTES + 1), "limit")


def test_unknown_extension(tmp_path):
    refused(write(tmp_path / "book.pages", "text"), "unknown manuscript type '.pages'")


def test_text_named_as_a_word_document(tmp_path):
    refused(write(tmp_path / "book.docx", "text"), "is named .docx but is plain text")


def test_epub_that_is_not_a_zip(tmp_path):
    refused(write(tmp_path / "fake.epub", "just text"), "not a zip")


def test_oversized_epub(tmp_path):
    refused(sparse_file(tmp_path / "big.epub", MAX_EPUB_BYTES + 1), "limit")


def test_zip_bomb_epub(tmp_path):
    path = tmp_path / "bomb.epub"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("OEBPS/zeros.xhtml", b"\0" * (8 * 2**20))
    refused(path, "zip bomb")


@pytest.mark.parametrize("name", ["../evil.xhtml", "/etc/passwd", "OEBPS\\..\\x.xhtml", "C:/win.ini"])
def test_hostile_names_inside_an_epub(tmp_path, name):
    path = tmp_path / "hostile.epub"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("META-INF/container.xml", "<container/>")
        z.writestr(zipfile.ZipInfo(name), "x")
    refused(path, "hostile file name")


def test_zip_that_is_not_an_epub(tmp_path):
    path = tmp_path / "plain.epub"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    refused(path, "no META-INF/container.xml")


def test_broken_epub_structure(tmp_path):
    path = tmp_path / "broken.epub"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", "<not really xml")
    refused(path, "not a readable EPUB")
