"""`barkbook render`'s take and QC options: validated at the door, passed to the flow, summarised."""

import sys
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
def cli(monkeypatch):
    """The CLI with the flow replaced by a recorder of its parameters (and no server started)."""
    calls = []
    monkeypatch.setattr(flows.cli.LocalServer, "start", lambda: LocalServer())
    monkeypatch.setattr(flows.render_book, "render_book",
                        lambda request: calls.append(request.model_dump()) or run_summary())
    runner = CliRunner()
    invoke = lambda *args: runner.invoke(app, [str(a) for a in args])  # noqa: E731
    invoke.calls = calls
    return invoke


def test_take_options_reach_the_flow(cli, tmp_path):
    result = cli("render", SAMPLE, "--model", "random-tiny", "--out", tmp_path, "--json", "--qc", "off",
                 "--takes", "4", "--max-attempts", "2", "--retake", "ab12, cd34,")
    assert result.exit_code == 0, result.output
    assert [(c["qc"], c["takes"], c["max_attempts"], c["retake"]) for c in cli.calls] == [
        ("off", 4, 2, ["ab12", "cd34"])]


def test_without_options_the_flow_picks_the_qc_for_the_model(cli, tmp_path):
    result = cli("render", SAMPLE, "--model", "random-tiny", "--out", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    assert [(c["qc"], c["takes"], c["max_attempts"], c["retake"]) for c in cli.calls] == [(None, 1, 3, None)]


@pytest.mark.parametrize("args, message", [
    (("--qc", "words"), "unknown --qc words; choose from speech, signal, off"),
    (("--takes", "0"), "--takes 0 is not in 1..32"),
    (("--max-attempts", "99"), "--max-attempts 99 is not in 1..20"),
])
def test_bad_take_options_are_one_line_and_exit_2(cli, args, message):
    result = cli("render", SAMPLE, "--model", "random-tiny", *args)
    assert result.exit_code == 2 and result.output.count("\n") == 1 and message in result.output
    assert cli.calls == []


def test_speech_qc_without_its_checker_is_one_line_before_anything_renders(cli, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "tasks.qc.speech", None)  # as on an install without it
    result = cli("render", SAMPLE, "--model", "random-tiny", "--out", tmp_path, "--qc", "speech")
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "--qc signal" in result.output
    assert cli.calls == []


def test_the_summary_counts_takes_retakes_and_what_is_left_for_review(capsys, tmp_path):
    summary = run_summary(rendered=2, cached=14, retried=1, chapters=2, takes=5, retakes=1, review=2,
                          qc="speech QC: words heard and voice checked in every take")
    flows.cli.print_summary(summary, tmp_path, as_json=False)
    line = capsys.readouterr().out.splitlines()[2]
    assert line == (f"speech QC: words heard and voice checked in every take; 5 takes checked, 1 segments retaken, "
                    f"2 left for review (see {tmp_path}/review.csv)")


def test_package_options_reach_the_flow(cli, tmp_path):
    cover = tmp_path / "art.png"
    cover.write_bytes(b"read by the flow, not here")
    result = cli("render", SAMPLE, "--model", "random-tiny", "--out", tmp_path, "--json", "--target", "acx",
                 "--cover", cover, "--sample-minutes", "2", "--isbn", "9780140449266",
                 "--opening-credit", "{title}. Read by {narrator}.", "--credit-narrator", "Bark")
    assert result.exit_code == 0, result.output
    call = cli.calls[0]
    assert (call["target"], call["cover"], call["sample_minutes"], call["isbn"], call["formats"]) == (
        "acx", cover, 2.0, "9780140449266", None)  # no --format: the target's
    assert (call["credits"]["opening"], call["credits"]["narrator"]) == ("{title}. Read by {narrator}.", "Bark")


def test_credits_and_sample_can_be_turned_off(cli, tmp_path):
    result = cli("render", SAMPLE, "--model", "random-tiny", "--out", tmp_path, "--json", "--no-credits", "--no-sample")
    assert result.exit_code == 0, result.output
    assert (cli.calls[0]["credits"], cli.calls[0]["sample_minutes"], cli.calls[0]["target"]) == (None, None, "generic")


@pytest.mark.parametrize("args, message", [
    (("--target", "kobo"), "unknown target 'kobo'; choose from generic, acx, google-play"),
    (("--sample-minutes", "9"), "--sample-minutes 9 is not in 1..5"),
    (("--cover", "missing.jpg"), "--cover missing.jpg: no such file"),
    (("--isbn", "../../etc"), "isbn '../../etc' is not an ISBN-10 or ISBN-13"),
    (("--closing-credit", "{title} {year}"), "unknown field {year}"),
])
def test_bad_package_options_are_one_line_and_exit_2(cli, args, message):
    result = cli("render", SAMPLE, "--model", "random-tiny", *args)
    assert result.exit_code == 2 and result.output.count("\n") == 1 and message in result.output
    assert cli.calls == []
