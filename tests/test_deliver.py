"""manifest.json: every delivered file with its size, duration and sha256."""

import hashlib
import json

import numpy as np
import soundfile

from tasks.deliver import describe, write_manifest


def test_manifest_describes_each_file_exactly(tmp_path):
    paths = []
    for name, seconds in [("01.wav", 1.0), ("02.flac", 2.5)]:
        soundfile.write(tmp_path / name, np.zeros(int(seconds * 44_100), np.int16), 44_100)
        paths.append(tmp_path / name)
    manifest = write_manifest(tmp_path, [describe(p, tmp_path) for p in paths], {"title": "T"})
    data = json.loads(manifest.read_text())
    assert data["title"] == "T"
    for entry, path in zip(data["files"], paths):
        assert entry["path"] == path.name
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["bytes"] == path.stat().st_size
    assert [e["seconds"] for e in data["files"]] == [1.0, 2.5]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
