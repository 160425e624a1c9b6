"""Delivery: atomic writes and manifest.json (every delivered file with its size, duration and sha256)."""

import hashlib
import json

import numpy as np
import pytest
import soundfile

from tasks.package.assemble import export_chapter
from tasks.master.audio import to_segment
from tasks.core.files import atomic_path, atomic_write_bytes
from tasks.deliver.manifest import remove_stale, write_manifest


@pytest.fixture
def delivered(tmp_path):
    """A small output folder: two lossless chapters, an MP3, and a QC report (not audio)."""
    paths = []
    for name, seconds in [("01.wav", 1.0), ("02.flac", 2.5)]:
        soundfile.write(tmp_path / name, np.zeros(int(seconds * 44_100), np.int16), 44_100)
        paths.append(tmp_path / name)
    noise = to_segment(np.random.default_rng(0).standard_normal(2 * 44_100) * 0.1, 44_100)
    paths.append(export_chapter(noise, tmp_path / "mp3" / "03.mp3", "mp3", {}))
    (tmp_path / "qc").mkdir()
    paths.append(tmp_path / "qc" / "01.csv")
    paths[-1].write_text("segment\n")
    return tmp_path, paths


def test_manifest_describes_each_file_exactly(delivered):
    root, paths = delivered
    data = json.loads(write_manifest(root, paths, {"title": "T"}).read_text())
    assert data["title"] == "T"
    assert [e["path"] for e in data["files"]] == ["01.wav", "02.flac", "mp3/03.mp3", "qc/01.csv"]
    assert [e["format"] for e in data["files"]] == ["wav", "flac", "mp3", "csv"]
    for entry, path in zip(data["files"], paths):
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["bytes"] == path.stat().st_size


def test_manifest_durations_are_read_back_from_the_files(delivered):
    root, paths = delivered
    seconds = [e["seconds"] for e in json.loads(write_manifest(root, paths, {}).read_text())["files"]]
    assert seconds[:2] == [1.0, 2.5] and seconds[2] == pytest.approx(2.0, abs=0.06) and seconds[3] is None


def test_manifest_write_leaves_no_temp_files(delivered):
    root, paths = delivered
    write_manifest(root, paths, {})
    assert sorted(p.name for p in root.iterdir() if p.is_file()) == ["01.wav", "02.flac", "manifest.json"]


def test_atomic_write_replaces_the_whole_file(tmp_path):
    path = atomic_write_bytes(tmp_path / "a.json", b"old")
    atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_a_write_that_fails_midway_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    path = atomic_write_bytes(tmp_path / "01.wav", b"good old audio")
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        tmp.write_bytes(b"half of the new")
        assert tmp.parent == path.parent and tmp != path  # written beside the target, under another name
        raise RuntimeError("encoder crashed")
    assert path.read_bytes() == b"good old audio"
    assert [p.name for p in tmp_path.iterdir()] == ["01.wav"]


def test_atomic_writes_make_the_missing_folders(tmp_path):
    path = atomic_write_bytes(tmp_path / "qc" / "deep" / "report.svg", b"<svg/>")
    assert path.read_bytes() == b"<svg/>" and list(path.parent.iterdir()) == [path]


def test_files_the_last_manifest_of_this_manuscript_listed_and_this_run_does_not_make_are_removed(delivered):
    root, paths = delivered
    write_manifest(root, paths, {"manuscript": "/books/a.md"})
    kept = [paths[0], paths[3]]  # 02.flac's chapter was removed, the MP3 format dropped
    assert remove_stale(root, "/books/a.md", kept) == ["02.flac", "mp3/03.mp3"]
    assert all(p.is_file() for p in kept) and not paths[1].exists() and not paths[2].exists()
    assert remove_stale(root, "/books/a.md", kept) == []  # already gone: nothing to do, no error


def test_another_books_manifest_or_none_removes_nothing(delivered):
    root, paths = delivered
    assert remove_stale(root, "/books/a.md", []) == []  # no manifest yet
    write_manifest(root, paths, {"manuscript": "/books/a.md"})
    assert remove_stale(root, "/books/b.md", []) == []
    (root / "manifest.json").write_text("{not json")
    assert remove_stale(root, "/books/a.md", []) == []
    assert all(p.is_file() for p in paths)


def test_stale_entries_outside_the_folder_are_never_touched(tmp_path):
    outside = tmp_path / "precious.wav"
    outside.write_bytes(b"keep me")
    root = tmp_path / "out"
    root.mkdir()
    entries = [{"path": "../precious.wav"}, {"path": str(outside)}, {"path": "."}, {"no": "path"}, "01.wav"]
    (root / "manifest.json").write_text(json.dumps({"manuscript": "m", "files": entries}))
    assert remove_stale(root, "m", []) == [] and outside.read_bytes() == b"keep me"
