"""`barkbook qc`: one verdict per input, JSON in input order, exit 0 whatever the verdict, exit 2
with one line for bad input."""

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "speech"
CASES = json.loads((FIXTURES / "cases.json").read_text())
CLEAN = next(c for c in CASES if c["fault"] is None)
WRONG = next(c for c in CASES if c["fault"] == "wrong_text")


@pytest.fixture
def cli():
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["qc", *map(str, args)])


def test_one_take_prints_one_verdict_and_exits_0(cli):
    result = cli(FIXTURES / CLEAN["audio"], "--text", CLEAN["text"], "--reference", FIXTURES / CLEAN["reference"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"PASS {re.escape(str(FIXTURES / CLEAN['audio']))}: words \d+%, voice 0\.\d\d, "
                        r"speech \d+\.\d s\n", result.output)


def test_a_manifest_gives_a_json_list_in_input_order_and_failing_takes_still_exit_0(cli, tmp_path):
    manifest = tmp_path / "takes.json"
    rows = [{"audio": str(FIXTURES / c["audio"]), "text": c["text"], "reference": str(FIXTURES / c["reference"])}
            for c in (WRONG, CLEAN)]
    manifest.write_text(json.dumps(rows))
    result = cli("--manifest", manifest, "--json")
    assert result.exit_code == 0, result.output
    verdicts = json.loads(result.output)
    assert [v["audio"] for v in verdicts] == [r["audio"] for r in rows]
    assert [v["passed"] for v in verdicts] == [False, True]
    assert verdicts[0]["problems"] and verdicts[1]["problems"] == []
    assert {"word_match", "missing", "extra", "voice_similarity", "longest_gap_s"} <= set(verdicts[0])


def test_manifest_paths_are_relative_to_the_manifest(cli, tmp_path):
    (tmp_path / "take.flac").write_bytes((FIXTURES / CLEAN["audio"]).read_bytes())
    manifest = tmp_path / "takes.json"
    manifest.write_text(json.dumps([{"audio": "take.flac", "text": CLEAN["text"]}]))
    result = cli("--manifest", manifest, "--json")
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.output)[0]
    assert verdict["passed"] and verdict["voice_similarity"] is None


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a JSON manifest"),
    ('[{"audio": "x.flac"}]', 'entry 0 needs "audio" and "text"'),
    ('[{"audio": "missing.flac", "text": "hi"}]', "missing.flac: no such audio file"),
    ('[{"audio": "bad.flac", "text": "hi"}]', "bad.flac: cannot read audio"),
])
def test_bad_input_is_one_line_and_exit_2(cli, tmp_path, content, message):
    (tmp_path / "bad.flac").write_bytes(b"not audio at all")
    manifest = tmp_path / "takes.json"
    manifest.write_text(content)
    result = cli("--manifest", manifest)
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_a_voice_preset_reference_without_a_model_says_what_is_needed(cli):
    result = cli(FIXTURES / CLEAN["audio"], "--text", CLEAN["text"], "--reference", "v2/en_speaker_6")
    assert result.exit_code == 2 and "add --model" in result.output


def test_a_voice_preset_reference_is_decoded_by_the_models_codec(cli):
    result = cli(FIXTURES / CLEAN["audio"], "--text", CLEAN["text"], "--reference", "v2/en_speaker_6",
                 "--model", "random-tiny", "--json")  # a random codec: noise, but a real decode and embedding
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.output)[0]["voice_similarity"], float)


def test_an_unknown_voice_reference_is_one_line(cli):
    result = cli(FIXTURES / CLEAN["audio"], "--text", CLEAN["text"], "--reference", "v2/no_such_voice",
                 "--model", "random-tiny")
    assert result.exit_code == 2 and "reference voice 'v2/no_such_voice'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_audio_without_text_is_refused(cli):
    result = cli(FIXTURES / CLEAN["audio"])
    assert result.exit_code == 2 and "--text" in result.output
