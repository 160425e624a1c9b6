"""End to end: the sample manuscript becomes chapter files and a whole book through the Prefect flow."""

import json
from pathlib import Path

import pytest
import soundfile

from flows.render_book import render_book

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"


@pytest.fixture(scope="module")
def rendered(prefect_harness, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    summary = render_book(
        manuscript=SAMPLE,
        model="random-tiny",
        formats=["wav"],
        output_dir=out,
        cache_dir=tmp_path_factory.mktemp("segments"),
    )
    return out, summary


def test_writes_one_wav_per_chapter_and_the_whole_book(rendered):
    out, summary = rendered
    chapters = sorted(out.glob("[0-9][0-9]-*.wav"))
    assert [p.name[:3] for p in chapters] == ["01-", "02-", "03-"]
    assert (out / "three-fables-of-aesop.wav").is_file()
    assert summary["chapters"] == 3


def test_files_decode_as_mastered_audio(rendered):
    out, _ = rendered
    for path in out.glob("*.wav"):
        info = soundfile.info(path)
        assert info.samplerate == 44_100 and info.channels == 1 and info.duration > 1.0


def test_chapter_durations_grow_with_their_text(rendered):
    out, _ = rendered
    words = {1: 0, 2: 0, 3: 0}
    chapter = 0
    for line in SAMPLE.read_text().splitlines():
        if line.startswith("# "):
            chapter += 1
        elif chapter:
            words[chapter] += len(line.split())
    seconds = {int(p.name[:2]): soundfile.info(p).duration for p in out.glob("[0-9][0-9]-*.wav")}
    by_words = sorted(words, key=words.get)
    assert [seconds[c] for c in by_words] == sorted(seconds.values())


def test_whole_book_is_the_chapters_joined(rendered):
    out, _ = rendered
    chapters = sum(soundfile.info(p).duration for p in out.glob("[0-9][0-9]-*.wav"))
    book = soundfile.info(out / "three-fables-of-aesop.wav").duration
    assert chapters <= book <= chapters + 3 * 5.0  # chapter pauses between them


def test_manifest_lists_every_file_with_its_hash(rendered):
    out, _ = rendered
    manifest = json.loads((out / "manifest.json").read_text())
    listed = {entry["path"] for entry in manifest["files"]}
    assert listed == {p.name for p in out.glob("*.wav")}
