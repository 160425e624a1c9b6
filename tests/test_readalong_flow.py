"""End to end: an EPUB manuscript through the render-book flow gets subtitles beside each chapter file and
a read-along EPUB that passes epubcheck, its clips inside the chapter audio."""

import json
import subprocess
import zipfile

import numpy as np

import pytest
import soundfile
import webvtt
from lxml import etree

from epub_checks import NS, epubcheck, seconds
from flows.render_book import render_book
from tasks.package.assemble import FFMPEG
from tasks.master.mastering import MasteringSettings
from tasks.qc.signal import window_levels
from tests.test_ingest import make_epub
from flows.request import RenderRequest

pytestmark = pytest.mark.slow  # a render through Prefect and epubcheck: about 2.5 min on the 2-core box

CHAPTERS = [("one.xhtml", "The Fox", "<h1>The Fox</h1><p>A fox saw some grapes.</p><p>They were sour, he said.</p>"),
            ("two.xhtml", "The Crow", "<h1>The Crow</h1><p>A crow dropped stones into a jug &amp; drank.</p>")]


@pytest.fixture(scope="module")
def rendered(prefect_harness, tmp_path_factory):
    """The book rendered to WAV only: the read-along encodes its MP3s from the masters."""
    folder = tmp_path_factory.mktemp("readalong-flow")
    make_epub(folder / "fables.epub", CHAPTERS)  # "An EPUB Book" by E. Author
    out = folder / "out"
    summary = render_book(RenderRequest(manuscript=folder / "fables.epub", model="random-tiny", formats=["wav"], output_dir=out,
                          cache_dir=folder / "segments")).model_dump(mode="json")
    return out, summary


def test_the_manifest_lists_the_subtitles_and_the_read_along(rendered):
    out, _ = rendered
    listed = {entry["path"] for entry in json.loads((out / "manifest.json").read_text())["files"]}
    assert {"01-the-fox.vtt", "01-the-fox.srt", "02-the-crow.vtt", "02-the-crow.srt",
            "an-epub-book.readalong.epub"} <= listed


def test_subtitles_start_after_the_head_and_end_inside_the_chapter_file(rendered):
    out, _ = rendered
    for wav in sorted(out.glob("0[12]-*.wav")):
        cues = webvtt.read(wav.with_suffix(".vtt"))
        assert seconds(cues[0].start) == pytest.approx(MasteringSettings().head_s, abs=0.001)
        assert seconds(cues[-1].end) < soundfile.info(wav).duration


def test_subtitles_show_the_books_text(rendered):
    out, _ = rendered
    shown = " ".join(c.text.replace("\n", " ") for c in webvtt.read(out / "01-the-fox.vtt"))
    assert shown == "The Fox A fox saw some grapes. They were sour, he said."


def test_the_read_along_passes_epubcheck_and_clips_lie_inside_each_chapter(rendered):
    out, _ = rendered
    path = out / "an-epub-book.readalong.epub"
    result = subprocess.run([*epubcheck(), str(path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(path) as archive:
        for number, wav in enumerate(sorted(out.glob("0[12]-*.wav")), 1):
            smil = etree.fromstring(archive.read(f"EPUB/chapter-{number:02d}.smil"))
            ends = [seconds(a.get("clipEnd")) for a in smil.iterfind(".//smil:audio", NS)]
            assert 0 < max(ends) < soundfile.info(wav).duration


def test_each_clip_begins_and_ends_at_the_edges_of_speech_in_the_epubs_own_mp3(rendered, tmp_path):
    """The MP3 inside the EPUB, decoded by ffmpeg: quiet just before each clip and just after it, speech inside."""
    out, _ = rendered
    with zipfile.ZipFile(out / "an-epub-book.readalong.epub") as archive:
        for number in (1, 2):
            (tmp_path / "chapter.mp3").write_bytes(archive.read(f"EPUB/audio/chapter-{number:02d}.mp3"))
            pcm = subprocess.run([FFMPEG, "-v", "error", "-i", str(tmp_path / "chapter.mp3"), "-f", "f32le", "-ac", "1",
                                  "-ar", "44100", "-"], capture_output=True, check=True).stdout
            levels = window_levels(np.frombuffer(pcm, np.float32).astype(np.float64), 44_100, 0.01)  # dBFS per 10 ms
            smil = etree.fromstring(archive.read(f"EPUB/chapter-{number:02d}.smil"))
            for audio in smil.iterfind(".//smil:audio", NS):
                begin, end = (round(seconds(audio.get(k)) * 100) for k in ("clipBegin", "clipEnd"))
                quiet_before, speech_after = levels[begin - 6:begin - 1].max(), levels[begin + 1:begin + 5].min()
                speech_before, quiet_after = levels[end - 5:end - 1].min(), levels[end + 1:end + 6].max()
                assert quiet_before < -50 and speech_after > -40 and speech_before > -40 and quiet_after < -50
