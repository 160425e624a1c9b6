"""The read-along EPUB: it passes epubcheck, and its media overlays, read back with lxml, tie each segment's
text to the clip of the chapter audio the layout gives it."""

import re
import subprocess
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree
from PIL import Image

from epub_checks import NS, epubcheck, seconds
from rendered_chapter import PAUSES, SEGMENTS
from tasks.package.assemble import export_chapter
from tasks.core.errors import BarkbookError
from tasks.master.layout import chapter_spans
from tasks.master.mastering import MasteringSettings, master_chapter
from tasks.master.chapter import ChapterFile, ChapterResult
from tasks.master.qc_report import QCSummary
from tasks.package.readalong import ReadAlongChapter, ReadAlongSegment, build_readalong, readalong_chapter

TEXTS = ["Chapter One.", "“Fish & chips,” said the <cook>.", "It was late.", "The end\x0c of it."]  # \x0c: no XML
PARAGRAPHS = [0, 1, 1, 2]


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """A two-chapter read-along built from mastered audio and its layout, with a cover; its chapters too."""
    folder = tmp_path_factory.mktemp("readalong")
    mastered = master_chapter([(s.audio, p) for s, p in zip(SEGMENTS, PAUSES)], MasteringSettings())
    audio = export_chapter(mastered.audio, folder / "01-one.mp3", "mp3", {"title": "One"})
    spans = chapter_spans(SEGMENTS, mastered)
    first = ReadAlongChapter("One & Only", audio, [ReadAlongSegment(span.segment_id, text, span.start_s, span.end_s, p)
                                                   for span, text, p in zip(spans, TEXTS, PARAGRAPHS)])
    second = ReadAlongChapter("Two", audio, first.segments[1:3])
    Image.new("RGB", (64, 64), "navy").save(folder / "cover.png")
    path = build_readalong("A Tiny Book", "A. Author", "en", [first, second], folder / "tiny.readalong.epub",
                           folder / "cover.png", narrator="AI Voice")
    return path, [first, second]


def read(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def test_the_read_along_passes_epubcheck(book):
    result = subprocess.run([*epubcheck(), str(book[0])], capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert not re.search(r"^(ERROR|FATAL)", report, re.M), report


def test_the_archive_starts_with_the_stored_mimetype(book):
    with zipfile.ZipFile(book[0]) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/epub+zip"


def test_each_clip_is_its_segments_span_and_the_durations_are_their_sums(book):
    path, chapters = book
    opf = read(path, "EPUB/package.opf")
    declared = {m.get("refines"): seconds(m.text) for m in opf.iterfind(".//opf:meta[@property='media:duration']", NS)}
    for number, chapter in enumerate(chapters, 1):
        smil = read(path, f"EPUB/chapter-{number:02d}.smil")
        pars = smil.findall(".//smil:par", NS)
        assert [p.find("smil:text", NS).get("src") for p in pars] == [
            f"chapter-{number:02d}.xhtml#s-{s.id}" for s in chapter.segments]
        clips = [(seconds(p.find("smil:audio", NS).get("clipBegin")), seconds(p.find("smil:audio", NS).get("clipEnd")))
                 for p in pars]
        assert clips == [pytest.approx((s.start_s, s.end_s), abs=0.0005) for s in chapter.segments]
        assert declared[f"#mo-{number:02d}"] == pytest.approx(sum(b - a for a, b in clips), abs=1e-9)
    assert declared[None] == pytest.approx(sum(v for k, v in declared.items() if k), abs=1e-9)


def test_each_page_shows_the_book_text_by_segment_and_paragraph(book):
    path, chapters = book
    page = read(path, "EPUB/chapter-01.xhtml")
    paragraphs = page.findall(".//x:p", NS)
    assert [[span.get("id") for span in p.findall("x:span", NS)] for p in paragraphs] == [
        [f"s-{SEGMENTS[0].segment_id}"], [f"s-{SEGMENTS[1].segment_id}", f"s-{SEGMENTS[2].segment_id}"],
        [f"s-{SEGMENTS[3].segment_id}"]]
    assert [span.text for span in page.iterfind(".//x:span", NS)] == [t.replace("\x0c", "") for t in TEXTS]


def test_the_package_ties_pages_to_overlays_and_names_the_cover(book):
    opf = read(book[0], "EPUB/package.opf")
    items = {i.get("id"): i for i in opf.iterfind(".//opf:item", NS)}
    assert items["ch-01"].get("media-overlay") == "mo-01" and items["mo-01"].get("media-type") == "application/smil+xml"
    assert items["audio-01"].get("media-type") == "audio/mpeg" and items["cover"].get("properties") == "cover-image"
    assert opf.find(".//opf:meta[@property='media:active-class']", NS).text


def test_chapter_audio_must_be_mp3(tmp_path):
    chapter = ReadAlongChapter("One", tmp_path / "01.flac", [ReadAlongSegment("a", "Hi.", 0.5, 1.0, 0)])
    with pytest.raises(BarkbookError, match=r"chapter 1 \(One\) needs MP3 audio, not 01.flac"):
        build_readalong("Book", "Author", "en", [chapter], tmp_path / "book.epub")


def test_a_cover_that_is_not_an_epub_image_type_is_one_clear_error(tmp_path, book):
    _, chapters = book
    (tmp_path / "cover.webp").write_bytes(b"RIFF")
    with pytest.raises(BarkbookError, match=r"cover .*cover.webp is not a JPEG, PNG, GIF or SVG file"):
        build_readalong("Book", "Author", "en", chapters, tmp_path / "book.epub", tmp_path / "cover.webp")


def test_a_chapter_record_without_its_spans_is_one_clear_error(tmp_path):
    chapter = SimpleNamespace(slug="01-one", title="One", segments=[SimpleNamespace(id="a", text="Hi.", paragraph=0)])
    with pytest.raises(BarkbookError, match="the spans recorded for 01-one are not its segments"):
        readalong_chapter(chapter, ChapterResult(key="k", files=[ChapterFile(path=str(tmp_path / "01-one.flac"), kind="master")],
                                                 qc=QCSummary(1, 0, 0, 1, "qc/01-one.csv")), tmp_path)
