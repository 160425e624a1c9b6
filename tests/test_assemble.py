"""Deliverables: chapter WAV/FLAC/MP3, the whole book, and an M4B with chapters, all read back from disk."""

import re
import subprocess

import numpy as np
import pytest
import soundfile
from mutagen.mp3 import MP3, BitrateMode

import tasks.package.assemble
from tasks.package.assemble import (FFMPEG, build_m4b, concat_lossless, export_chapter, read_chapters,
                            read_tags)
from tasks.master.audio import AudioSegment, to_segment
from tasks.core.errors import BarkbookError


def tone(seconds, freq):
    t = np.arange(int(seconds * 44_100)) / 44_100
    return to_segment(0.1 * np.sin(2 * np.pi * freq * t), 44_100)


def ffmpeg_info(path):
    """What `ffmpeg -i` says about a file (ffprobe's job; the wheel ships no ffprobe)."""
    return subprocess.run([FFMPEG, "-hide_banner", "-i", str(path)], capture_output=True, text=True).stderr


def test_ffmpeg_comes_from_the_imageio_ffmpeg_wheel_and_drives_pydub():
    assert "imageio_ffmpeg" in FFMPEG
    assert AudioSegment.converter == FFMPEG


def test_mp3_is_192_kbps_cbr_at_44_1_khz_with_tags(tmp_path):
    tags = {"title": "One", "artist": "Aesop", "album": "Fables", "track": "3"}
    path = export_chapter(tone(3.0, 440), tmp_path / "01.mp3", "mp3", tags)
    info = MP3(path).info
    assert info.sample_rate == 44_100 and abs(info.bitrate - 192_000) < 100
    assert info.bitrate_mode == BitrateMode.CBR
    assert info.length == pytest.approx(3.0, abs=0.1)
    assert re.search(r"Audio: mp3.*44100 Hz, mono.*192 kb/s", ffmpeg_info(path))
    assert {k: read_tags(path)[k] for k in tags} == tags


@pytest.mark.parametrize("fmt", ["wav", "flac"])
def test_lossless_chapter_round_trips(tmp_path, fmt):
    audio = tone(1.0, 220)
    path = export_chapter(audio, tmp_path / f"01.{fmt}", fmt, {})
    data, rate = soundfile.read(path, dtype="int16")
    assert rate == 44_100 and np.array_equal(data, np.array(audio.get_array_of_samples()))


def test_whole_book_is_the_chapters_in_order(tmp_path):
    parts = [export_chapter(tone(s, f), tmp_path / f"{i}.wav", "wav", {}) for i, (s, f) in enumerate([(1.0, 220), (2.0, 330)])]
    book = concat_lossless(parts, tmp_path / "book.wav")
    data, _ = soundfile.read(book, dtype="int16")
    expected = np.concatenate([soundfile.read(p, dtype="int16")[0] for p in parts])
    assert np.array_equal(data, expected)


@pytest.fixture(scope="module")
def cover(tmp_path_factory):
    path = tmp_path_factory.mktemp("art") / "cover.jpg"
    subprocess.run([FFMPEG, "-v", "error", "-f", "lavfi", "-i", "color=c=red:s=64x64", "-frames:v", "1", str(path)],
                   check=True)
    return path


@pytest.fixture(scope="module")
def m4b(tmp_path_factory, cover):
    """A book of three chapters: two given as files, one as audio in memory."""
    folder = tmp_path_factory.mktemp("book")
    chapters = [("The Fox", export_chapter(tone(1.5, 300), folder / "0.flac", "flac", {})),
                ("The Lion; = #King", tone(2.5, 400)),
                ("The Hare", export_chapter(tone(1.0, 500), folder / "2.wav", "wav", {}))]
    return build_m4b(chapters, folder / "book.m4b", title="Fables", author="Aesop", narrator="Bark", cover=cover)


def test_m4b_chapter_marks_read_back(m4b):
    marks = read_chapters(m4b)
    assert [m[0] for m in marks] == ["The Fox", "The Lion; = #King", "The Hare"]
    assert [(round(start, 1), round(end, 1)) for _, start, end in marks] == [(0.0, 1.5), (1.5, 4.0), (4.0, 5.0)]


def test_m4b_tags_and_cover_read_back(m4b, cover):
    tags = read_tags(m4b)
    assert (tags["title"], tags["artist"], tags["album_artist"], tags["narrator"]) == ("Fables", "Aesop", "Aesop", "Bark")
    assert tags["cover"] == cover.read_bytes()


def test_m4b_is_aac_at_44_1_khz_with_three_chapters(m4b):
    info = ffmpeg_info(m4b)
    assert re.search(r"Audio: aac.*44100 Hz, mono", info)
    assert len(re.findall(r"Chapter #0:\d", info)) == 3
    assert re.search(r"Duration: 00:00:0(4\.9|5\.0)", info)


def test_a_failed_export_keeps_the_previous_file_and_leaves_no_temp(tmp_path, monkeypatch):
    good = export_chapter(tone(1.0, 220), tmp_path / "01.wav", "wav", {})
    before = good.read_bytes()

    def dies_halfway(path, *args, **kwargs):
        open(path, "wb").write(b"RIFF partial")
        raise OSError("disk full")

    monkeypatch.setattr(tasks.package.assemble.soundfile, "write", dies_halfway)
    with pytest.raises(OSError):
        export_chapter(tone(2.0, 330), tmp_path / "01.wav", "wav", {})
    assert good.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["01.wav"]


def test_an_unknown_chapter_format_is_refused_by_name(tmp_path):
    with pytest.raises(BarkbookError, match="01.ogg.*'ogg'"):
        export_chapter(tone(1.0, 220), tmp_path / "01.ogg", "ogg", {})
    assert list(tmp_path.iterdir()) == []


def test_an_m4b_whose_marks_do_not_read_back_is_not_delivered(tmp_path, monkeypatch):
    monkeypatch.setattr(tasks.package.assemble, "read_chapters", lambda path: [("Wrong", 0.0, 1.0)])
    with pytest.raises(BarkbookError, match="book.m4b"):
        build_m4b([("Right", tone(1.0, 220))], tmp_path / "book.m4b", title="T", author="A")
    assert list(tmp_path.iterdir()) == []


def test_an_ffmpeg_failure_names_the_book_and_leaves_nothing(tmp_path):
    (tmp_path / "out").mkdir()
    bad_cover = tmp_path / "cover.jpg"
    bad_cover.write_text("not an image")
    with pytest.raises(BarkbookError, match="ffmpeg could not write book.m4b"):
        build_m4b([("One", tone(1.0, 220))], tmp_path / "out" / "book.m4b", title="T", author="A", cover=bad_cover)
    assert list((tmp_path / "out").iterdir()) == []
