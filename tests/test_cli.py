"""The `barkbook` command's cheap paths: segmenting, dry runs, and bad input as one line, exit 2."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import flows.cli
import flows.render_book
from summaries import run_summary
from flows.cli import app
from flows.local_server import LocalServer

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
    assert lines[-1].startswith("Estimated render time with random-tiny on cpu, exact mode: about")
    assert "rate measured on" in lines[-1]
    assert not (tmp_path / "out").exists()


def test_dry_run_says_when_it_cannot_estimate(cli, tmp_path):
    result = cli("render", SAMPLE, "--model", str(tmp_path), "--dry-run")
    assert result.exit_code == 0 and "unknown (no measurement for it)" in result.output


def test_dry_run_estimates_the_fast_mode_asked_for(cli):
    exact, fast = (cli("render", SAMPLE, "--model", "small", "--dry-run", *mode).output.splitlines()[-1]
                   for mode in ([], ["--autocast", "bfloat16"]))
    minutes = [float(line.split("about ")[1].split(" min")[0]) for line in (exact, fast)]
    assert "small on cpu, exact mode" in exact and "small on cpu, bfloat16 autocast" in fast
    assert minutes[1] < minutes[0]


def test_segment_json_lists_every_segment_and_the_report(cli):
    result = cli("segment", SAMPLE, "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    chapters = data["manifest"]["chapters"]
    assert len(chapters) == 3 and sum(len(c["segments"]) for c in chapters) == 16
    assert sum(data["report"]["speakers"].values()) == 16


def test_segment_prints_the_report_after_the_summary(cli):
    result = cli("segment", SAMPLE)
    assert result.exit_code == 0
    assert "3 chapters, 16 segments" in result.output
    assert "Speakers (segments): narrator" in result.output


def test_dry_run_shows_the_voice_each_speaker_gets(cli):
    result = cli("render", SAMPLE, "--model", "random-tiny", "--dry-run", "--voice", "v2/en_speaker_3")
    voices = result.output.split("Voices:\n")[1].splitlines()
    assert voices[0].startswith("  narrator: v2/en_speaker_3, ")
    assert all("v2/en_speaker_3" in line for line in voices if line.startswith("  ") and ":" in line)


@pytest.mark.parametrize("args, message", [
    (("render", "missing.md"), "missing.md"),
    (("render", SAMPLE, "--format", "ogg"), "unknown format ogg"),
    (("segment", "missing.md"), "missing.md"),
    (("render", SAMPLE, "--dry-run", "--max-coarse-history", "700"), "--max-coarse-history 700 is not in 60..630"),
    (("render", SAMPLE, "--dry-run", "--autocast", "float8"), "unknown --autocast float8"),
])
def test_bad_input_is_one_line_and_exit_2(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("barkbook: error:") and message in result.output


def test_render_passes_the_fast_modes_to_the_flow(cli, monkeypatch, tmp_path):
    """The flow is replaced by a recorder: the options must arrive as its parameters."""
    calls = []
    monkeypatch.setattr(flows.cli.LocalServer, "start", lambda: LocalServer())
    monkeypatch.setattr(flows.render_book, "render_book",
                        lambda request: calls.append(request.model_dump()) or run_summary())
    result = cli("render", SAMPLE, "--model", "random-tiny", "--out", tmp_path, "--json",
                 "--autocast", "bfloat16", "--max-coarse-history", "60", "--compile")
    assert result.exit_code == 0, result.output
    assert [(c["autocast"], c["max_coarse_history"], c["compile"]) for c in calls] == [("bfloat16", 60, True)]
    result = cli("render", SAMPLE, "--model", "random-tiny", "--out", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    assert (calls[-1]["autocast"], calls[-1]["compile"]) == (None, False)
    assert calls[-1]["max_coarse_history"] == 630  # the request's default: the exact mode


def test_the_summary_names_files_removed_from_an_earlier_run(capsys, tmp_path):
    summary = run_summary(rendered=2, cached=14, chapters=2, removed=["03-c.wav", "qc/03-c.csv"],
                          files=[{"path": "01-a.wav", "kind": "chapter", "format": "wav", "bytes": 10, "seconds": 3.0,
                                  "sha256": "0" * 64}])
    flows.cli.print_summary(summary, tmp_path, as_json=False)
    out = capsys.readouterr().out.splitlines()
    assert "  01-a.wav  (3.0 s)" in out
    assert out[-1] == "Removed 2 files of an earlier run that this one no longer makes: 03-c.wav, qc/03-c.csv"


def test_a_bad_lexicon_row_is_one_line_naming_the_file_and_row(cli, tmp_path):
    book = tmp_path / "fables.md"
    book.write_text(SAMPLE.read_text())
    (tmp_path / "fables.lexicon.csv").write_text("written,spoken\nFox,\n")
    result = cli("segment", book)
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert f"{tmp_path / 'fables.lexicon.csv'}: row 2: needs both" in result.output


def test_segment_reports_the_lexicon_entries_it_applied(cli, tmp_path):
    book = tmp_path / "fables.md"
    book.write_text(SAMPLE.read_text())
    (tmp_path / "fables.lexicon.csv").write_text("written,spoken,note\nOrlick,Or-lick,never used\n")
    report = json.loads(cli("segment", book, "--json").output)["report"]
    assert report["lexicon"] == [{"written": "Orlick", "spoken": "Or-lick", "note": "never used", "matches": 0}]


def test_segment_reads_footnotes_at_the_chapter_end_when_asked(cli, tmp_path):
    book = tmp_path / "notes.txt"
    book.write_text("CHAPTER I\n\nThe ship sailed.[1] It was late.\n\n[1] A brig, in fact.\n\nCHAPTER II\n\nThe end came.\n")
    spoken = lambda *options: " ".join(s["text"] for c in json.loads(cli("segment", book, "--json", *options).output)
                                      ["manifest"]["chapters"] for s in c["segments"])
    assert "A brig, in fact" not in spoken()
    assert "A brig, in fact" in spoken("--notes", "chapter-end")


def test_an_unknown_notes_policy_is_one_line(cli, tmp_path):
    result = cli("segment", SAMPLE, "--notes", "inline")
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "inline" in result.output
