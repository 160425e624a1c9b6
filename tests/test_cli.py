"""The `barkbook` command's cheap paths: segmenting, dry runs, and bad input as one line, exit 2."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"


@pytest.fixture
def cli():
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_dry_run_prints_every_chapter_and_an_estimate_without_rendering(cli, tmp_path):
    result = cli("render", SAMPLE, "--model", "random-tiny", "--out", tmp_path / "out", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{SAMPLE}: 16 segments")
    assert [line.split(".")[0].strip() for line in lines[1:4]] == ["1", "2", "3"]
    assert "Estimated render time with random-tiny on cpu: about" in lines[-1]
    assert not (tmp_path / "out").exists()


def test_dry_run_says_when_it_cannot_estimate(cli, tmp_path):
    result = cli("render", SAMPLE, "--model", str(tmp_path), "--dry-run")
    assert result.exit_code == 0 and "unknown (no measurement for it)" in result.output


def test_segment_json_lists_every_segment(cli):
    result = cli("segment", SAMPLE, "--json")
    assert result.exit_code == 0
    chapters = json.loads(result.output)["chapters"]
    assert len(chapters) == 3 and sum(len(c["segments"]) for c in chapters) == 16


@pytest.mark.parametrize("args, message", [
    (("render", "missing.md"), "missing.md"),
    (("render", SAMPLE, "--format", "ogg"), "unknown format ogg"),
    (("segment", "missing.md"), "missing.md"),
])
def test_bad_input_is_one_line_and_exit_2(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("barkbook: error:") and message in result.output
