"""Deliverables: chapter WAV/FLAC/MP3, the whole book, and an M4B with chapters, read back."""

import subprocess

import numpy as np
import pytest
import soundfile
from mutagen.mp3 import MP3, BitrateMode
from mutagen.mp4 import MP4

from tasks.assemble import FFMPEG, build_m4b, concat_lossless, export_chapter, read_chapters
from tasks.audio import to_segment


def tone(seconds, freq):
    t = np.arange(int(seconds * 44_100)) / 44_100
    return to_segment(0.1 * np.sin(2 * np.pi * freq * t), 44_100)


def test_ffmpeg_comes_from_the_imageio_ffmpeg_wheel():
    assert "imageio_ffmpeg" in FFMPEG


def test_mp3_is_192_kbps_cbr_at_44_1_khz_with_tags(tmp_path):
    path = export_chapter(tone(3.0, 440), tmp_path / "01.mp3", "mp3", {"title": "One", "artist": "Aesop"})
    info = MP3(path)
    assert info.info.sample_rate == 44_100 and abs(info.info.bitrate - 192_000) < 100
    assert info.info.bitrate_mode == BitrateMode.CBR
    assert str(info["TIT2"]) == "One" and str(info["TPE1"]) == "Aesop"
    assert info.info.length == pytest.approx(3.0, abs=0.1)


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


def test_m4b_has_chapter_marks_tags_and_cover(tmp_path):
    cover = tmp_path / "cover.jpg"
    subprocess.run([FFMPEG, "-v", "error", "-f", "lavfi", "-i", "color=c=red:s=64x64", "-frames:v", "1", str(cover)],
                   check=True)
    parts = [export_chapter(tone(s, 300), tmp_path / f"{i}.flac", "flac", {}) for i, s in enumerate([1.5, 2.5, 1.0])]
    path = build_m4b(list(zip(["The Fox", "The Lion", "The Hare"], parts)), tmp_path / "book.m4b",
                     title="Fables", author="Aesop", narrator="Bark", cover=cover)
    chapters = read_chapters(path)
    assert [c[0] for c in chapters] == ["The Fox", "The Lion", "The Hare"]
    assert [round(c[1], 1) for c in chapters] == [0.0, 1.5, 4.0]
    tags = MP4(path)
    assert tags["\xa9nam"] == ["Fables"] and tags["\xa9ART"] == ["Aesop"] and tags["covr"]
    assert tags.info.length == pytest.approx(5.0, abs=0.2)


def test_a_failed_export_keeps_the_previous_file_and_leaves_no_temp(tmp_path):
    good = export_chapter(tone(1.0, 220), tmp_path / "01.wav", "wav", {})
    before = good.read_bytes()
    with pytest.raises(ValueError):
        export_chapter(tone(1.0, 220), tmp_path / "01.wav", "ogg", {})
    assert good.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["01.wav"]
