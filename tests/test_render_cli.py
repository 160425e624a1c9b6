"""`barkbook render` with the flow replaced by a recorder: what reaches the flow, what the terminal and the log
file show, and how a failure inside the flow reads."""

import json
import logging
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import flows.render_book
import flows.render_command  # noqa: F401  (its late imports are what is patched below)
from flows.book_views import summary_lines
from flows.cli import run
from flows.local_server import LocalServer
from tasks.core import BarkbookError
from tasks.deliver import RunSummary

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"
SUMMARY = dict(title="Three Fables of Aesop", author="Aesop", chapters=1, segments=18, rendered=2, cached=16, retried=0,
               takes=1, retaken_for={}, retakes=0, review=0, qc="signal checks only", audio_seconds=130.0, target="generic",
               ai_narration="AI Voice (Bark random-tiny, v2/en_speaker_6)", cover="drawn", checks="generic: all pass",
               out_of_spec=[], manifest="out/manifest.json", removed=[],
               files=[{"path": "01-a.wav", "kind": "chapter", "format": "wav", "bytes": 1, "seconds": 3.0, "sha256": "0"}])


@pytest.fixture
def cli(monkeypatch, capsys):
    """`barkbook render SAMPLE --model random-tiny ARGS…` with the flow replaced: `flow(request)` (settable) runs in its
    place, after which a summary is returned; the requests it was given are in `.calls`."""
    calls, behaviour = [], {"flow": lambda request: None}

    def fake_render_book(request):
        calls.append(request)
        behaviour["flow"](request)
        return RunSummary(**SUMMARY)

    monkeypatch.setattr(LocalServer, "start", classmethod(lambda cls: LocalServer()))
    monkeypatch.setattr(flows.render_book, "render_book", fake_render_book)

    def invoke(*args):
        code = run(["render", str(SAMPLE), "--model", "random-tiny", *map(str, args)])
        out, err = capsys.readouterr()
        return SimpleNamespace(code=code, out=out, err=err)

    invoke.calls, invoke.behaviour = calls, behaviour
    return invoke


def test_take_options_reach_the_flow(cli, tmp_path):
    result = cli("--out", tmp_path, "--json", "--qc", "off", "--takes", "4", "--max-attempts", "2",
                 "--retake", "00000000000000ab, 00000000000000cd,")
    assert result.code == 0, result.err
    assert [(c.qc, c.takes, c.max_attempts, c.retake) for c in cli.calls] == [
        ("off", 4, 2, ["00000000000000ab", "00000000000000cd"])]


def test_without_options_the_flow_picks_the_qc_for_the_model(cli, tmp_path):
    result = cli("--out", tmp_path, "--json")
    assert result.code == 0, result.err
    assert [(c.qc, c.qc_mode, c.takes, c.max_attempts, c.retake) for c in cli.calls] == [(None, "signal", 1, 3, None)]


def test_render_passes_the_fast_modes_to_the_flow(cli, tmp_path):
    assert cli("--out", tmp_path, "--json", "--autocast", "bfloat16", "--max-coarse-history", "60", "--compile").code == 0
    assert cli("--out", tmp_path, "--json").code == 0
    assert [(c.autocast, c.max_coarse_history, c.compile) for c in cli.calls] == [("bfloat16", 60, True),
                                                                                (None, 630, False)]


def test_package_options_reach_the_flow(cli, tmp_path):
    cover = tmp_path / "art.png"
    cover.write_bytes(b"read by the flow, not here")
    result = cli("--out", tmp_path, "--json", "--target", "acx", "--cover", cover, "--sample-minutes", "2",
                 "--isbn", "978-0-14-044926-6", "--opening-credit", "{title}. Read by {narrator}.", "--credit-narrator", "Bark")
    assert result.code == 0, result.err
    call = cli.calls[0]
    assert (call.target, call.cover, call.sample_minutes, call.isbn, call.formats) == (
        "acx", cover, 2.0, "9780140449266", None)  # no --format: the target's; the ISBN as digits
    assert (call.credits.opening, call.credits.narrator) == ("{title}. Read by {narrator}.", "Bark")


def test_credits_and_sample_can_be_turned_off(cli, tmp_path):
    result = cli("--out", tmp_path, "--json", "--no-credits", "--no-sample", "--format", "mp3,wav,mp3")
    assert result.code == 0, result.err
    assert (cli.calls[0].credits, cli.calls[0].sample_minutes, cli.calls[0].formats) == (None, None, ["mp3", "wav"])


@pytest.mark.parametrize("args, message", [
    (("--isbn", "../../etc"), "isbn '../../etc' is not an ISBN-10 or ISBN-13"),
    (("--closing-credit", "{title} {year}"), "unknown field {year}"),
])
def test_what_only_the_pipeline_can_check_is_one_line_before_the_flow(cli, args, message):
    result = cli(*args)
    assert result.code == 2 and result.err.count("\n") == 1 and message in result.err and result.out == ""
    assert cli.calls == []


def test_speech_qc_without_its_checker_is_one_line_before_anything_renders(cli, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "tasks.qc.speech", None)  # as on an install without it
    result = cli("--out", tmp_path, "--qc", "speech")
    assert result.code == 2 and result.err.count("\n") == 1 and "--qc signal" in result.err
    assert cli.calls == []


def test_a_manuscript_the_reader_refuses_is_one_line_before_the_flow(cli, tmp_path):
    book = tmp_path / "fables.md"
    book.write_text(SAMPLE.read_text())
    (tmp_path / "fables.lexicon.csv").write_text("written,spoken\nFox,\n")
    code = run(["render", str(book), "--model", "random-tiny", "--out", str(tmp_path / "out")])
    assert code == 2 and cli.calls == []


def test_the_runs_log_goes_to_a_file_and_its_warnings_to_the_terminal(cli, tmp_path):
    def logging_flow(request):
        logging.getLogger("prefect.flow_runs").info("Beginning flow run")
        logging.getLogger("prefect.flow_runs").warning("the cover is small")

    cli.behaviour["flow"] = logging_flow
    result = cli("--out", tmp_path)
    assert result.code == 0, result.err
    log = (tmp_path / ".state" / "barkbook.log").read_text()
    assert "Beginning flow run" in log and "the cover is small" in log
    assert result.err == "barkbook: warning: the cover is small\n"
    assert result.out.splitlines()[-1] == f"The run's log: {tmp_path / '.state' / 'barkbook.log'}"


@pytest.mark.parametrize("option, shown", [("-v", ["Beginning flow run", "the cover is small"]), ("-q", [])])
def test_verbose_shows_the_whole_log_and_quiet_nothing(cli, tmp_path, option, shown):
    cli.behaviour["flow"] = lambda request: [logging.getLogger("prefect.flow_runs").info("Beginning flow run"),
                                             logging.getLogger("prefect.flow_runs").warning("the cover is small")]
    result = cli("--out", tmp_path, option)
    run_lines = [line.split(" - ")[-1] for line in result.err.splitlines() if "Flow run" in line]
    assert result.code == 0 and run_lines == shown and (result.err == "" if option == "-q" else True)
    assert "The run's log" not in result.out if option == "-q" else True


def test_a_failure_inside_the_flow_is_one_line(cli, tmp_path):
    def failing(request):
        raise BarkbookError("chapter 2: every take failed its checks")

    cli.behaviour["flow"] = failing
    result = cli("--out", tmp_path)
    assert (result.code, result.err) == (2, f"barkbook: error: chapter 2: every take failed its checks (the run's log: "
                                            f"{tmp_path / '.state' / 'barkbook.log'})\n")


def test_a_bug_is_one_line_and_its_traceback_is_in_the_log(cli, tmp_path):
    def buggy(request):
        raise ZeroDivisionError("division by zero")

    cli.behaviour["flow"] = buggy
    result = cli("--out", tmp_path)
    log = tmp_path / ".state" / "barkbook.log"
    assert result.code == 1 and result.err.count("\n") == 1
    assert result.err.startswith("barkbook: error: unexpected ZeroDivisionError: division by zero") and str(log) in result.err
    assert "Traceback (most recent call last)" in log.read_text() and "buggy" in log.read_text()


def test_the_summary_names_manifest_json_and_counts_in_words(tmp_path):
    lines = summary_lines(RunSummary(**SUMMARY | {"removed": ["03-c.wav"]}), tmp_path, tmp_path / ".state" / "barkbook.log")
    assert lines[0] == f"Rendered 2 segments (16 from cache, 0 retried), 1 chapter; wrote to {tmp_path}/:"
    assert lines[3:5] == ["  01-a.wav  (3.0 s)", "  manifest.json  (every file above, with its length, size and sha256)"]
    assert "Removed 1 file of an earlier run that this one no longer makes: 03-c.wav" in lines


def test_json_prints_the_summary_only(cli, tmp_path):
    result = cli("--out", tmp_path, "--json")
    assert json.loads(result.out)["segments"] == 18 and result.err == ""


def test_the_summary_says_what_the_retaken_takes_failed_for(tmp_path):
    lines = summary_lines(RunSummary(**SUMMARY | {"retaken_for": {"speech cut at the end": 2, "words missing": 1}}),
                          tmp_path, None)
    assert "Takes generated again, by what failed: speech cut at the end 2, words missing 1" in lines
