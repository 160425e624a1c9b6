"""Resume after SIGKILL: the same command again renders nothing that finished and leaves whole files.

Counted, not timed: the first `barkbook render` is killed once a few segments sit in the result
cache; the second run must take exactly those from the cache and render only the rest.
"""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import soundfile

from prefect_service import MARK, marked_pids, signal_all

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"
SEGMENTS = 16 + 2  # the sample's segment count (tests/test_render_book.py renders it in full) and its two credits
RENDER = [sys.executable, "-c", "from flows.cli import main; main()", "render", str(SAMPLE), "--model", "random-tiny"]


def isolated_env(root: Path, mark: str) -> dict[str, str]:
    """Own Prefect home (its ephemeral server and database), own barkbook cache, and a marker that
    every process of the run, and any server it starts, carries in its environment."""
    return os.environ | {
        "PREFECT_HOME": str(root / "prefect"),
        "PREFECT_API_URL": "",
        "BARKBOOK_CACHE_DIR": str(root / "cache"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        MARK: mark,
    }


def kill_all(mark: str) -> None:
    """SIGKILL the run and any server it left behind, orphaned or not."""
    signal_all([], marked_pids(mark), signal.SIGKILL)


def finished_segments(cache: Path) -> set[str]:
    """Segments whose result record is complete. Prefect writes a record in place (not via a temp
    file), so a kill can leave one half-written; the next run ignores it and renders that segment."""
    return {p.name for p in cache.glob("render-segment-*") if complete_record(p)} if cache.is_dir() else set()


def complete_record(path: Path) -> bool:
    try:
        return "result" in json.loads(path.read_bytes())
    except ValueError:
        return False


@pytest.fixture
def mark():
    mark = uuid.uuid4().hex
    yield mark
    kill_all(mark)  # nothing this test started outlives it, also on failure


def test_a_killed_render_resumes_without_rendering_finished_segments_again(tmp_path, mark):
    env, out, cache = isolated_env(tmp_path, mark), tmp_path / "out", tmp_path / "cache" / "segments"
    log = tmp_path / "first-run.log"  # a file, not a pipe: a full pipe would stall the run
    with open(log, "wb") as stderr:
        first = subprocess.Popen(RENDER + ["--out", str(out), "--json"], env=env, start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 600
    while len(finished_segments(cache)) < 3 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert first.poll() is None, f"the first run ended before it could be killed: {log.read_text()[-2000:]}"
    assert len(finished_segments(cache)) >= 3, "no segment finished within 10 minutes"
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    kill_all(mark)  # the ephemeral server a SIGKILLed run leaves behind
    gone = time.monotonic() + 30
    while marked_pids(mark) and time.monotonic() < gone:  # wait on the condition, not on a guess of time
        time.sleep(0.1)
    assert marked_pids(mark) == []
    done = finished_segments(cache)
    assert 3 <= len(done) < SEGMENTS

    second = subprocess.run(RENDER + ["--out", str(out), "--json"], env=env, capture_output=True, text=True,
                            timeout=900)
    assert second.returncode == 0, second.stderr[-3000:]
    summary = json.loads(second.stdout)
    assert summary["segments"] == SEGMENTS
    assert (summary["cached"], summary["rendered"]) == (len(done), SEGMENTS - len(done))
    assert done <= finished_segments(cache)  # the finished ones were reused, not replaced

    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest["files"]:
        path = out / entry["path"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        if path.suffix == ".wav":
            assert soundfile.info(path).duration > 1.0
    visible = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()
               and not any(part.startswith(".") for part in p.relative_to(out).parts)}
    assert visible == {entry["path"] for entry in manifest["files"]} | {"manifest.json"}
    assert len(list(out.glob("[0-9][0-9]-*.wav"))) == 3 + 2  # the chapters and the credits
