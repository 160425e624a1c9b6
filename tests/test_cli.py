"""The `barkbook` command's cheap paths, run in process: segmenting, dry runs, listings, help and version."""

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from flows.cli import run
from flows.options import AUTOCAST_DTYPES, DEVICES, DTYPES, FORMATS, NOTES_POLICIES, QC_MODES, STAGE_DIRECTIONS, TARGETS
from tasks.manuscript import read_manuscript
from tasks.plan import RenderSettings
from tasks.render import BookProgress
from tasks.text import NO_LEXICON, segment_book
from tests.planning import plan_of

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"


@pytest.fixture
def cli(capsys):
    """`barkbook ARGS…` in this process: its exit status, stdout and stderr."""
    def invoke(*args):
        code = run([str(a) for a in args])
        out, err = capsys.readouterr()
        return SimpleNamespace(code=code, out=out, err=err)
    return invoke


def minutes_of(text: str) -> float:
    return float(re.search(r"about ([\d.]+) min of audio", text).group(1))


def test_dry_run_prints_every_chapter_and_an_estimate_without_rendering(cli, tmp_path):
    result = cli("render", SAMPLE, "--model", "random-tiny", "--out", tmp_path / "out", "--dry-run")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[1].startswith("3 chapters, 16 segments, about")
    assert [line.split(".")[0].strip() for line in lines[2:5]] == ["1", "2", "3"]
    assert lines[-1].startswith("Estimated render time with random-tiny on cpu, exact mode: about")
    assert "rate measured on" in lines[-1]
    assert not (tmp_path / "out").exists()


def test_dry_run_says_when_it_cannot_estimate(cli, tiny_model_dir):
    result = cli("render", SAMPLE, "--model", tiny_model_dir, "--dry-run")
    assert result.code == 0 and "unknown (no measurement for it)" in result.out


def test_dry_run_estimates_the_fast_mode_asked_for(cli):
    exact, fast = (cli("render", SAMPLE, "--model", "small", "--dry-run", *mode).out.splitlines()[-1]
                   for mode in ([], ["--autocast", "bfloat16"]))
    minutes = [float(line.split("about ")[1].split(" min")[0]) for line in (exact, fast)]
    assert "small on cpu, exact mode" in exact and "small on cpu, bfloat16 autocast" in fast
    assert minutes[1] < minutes[0]


def test_dry_run_says_whether_credits_are_spoken(cli):
    assert "not counted above" in cli("render", SAMPLE, "--dry-run").out
    assert "Credits: none (--no-credits)" in cli("render", SAMPLE, "--dry-run", "--no-credits").out


def test_dry_run_shows_the_voice_each_speaker_gets(cli):
    result = cli("render", SAMPLE, "--model", "random-tiny", "--dry-run", "--voice", "v2/en_speaker_3")
    voices = result.out.split("Voices:\n")[1].splitlines()
    assert voices[0].startswith("  narrator: v2/en_speaker_3, ")
    assert all("v2/en_speaker_3" in line for line in voices if line.startswith("  ") and ":" in line)
    assert not re.search(r"\b1 segments\b", result.out)  # plurals right (tasks.core.counted says how)


def test_segment_dry_run_and_the_render_plan_count_the_same_minutes(cli):
    book = read_manuscript(SAMPLE)
    plan = plan_of(book, segment_book(book, lexicon=NO_LEXICON), RenderSettings(model="random-tiny"), credits=None)
    planned = BookProgress.of(plan.chapters).seconds / 60
    segment, dry_run = cli("segment", SAMPLE).out, cli("render", SAMPLE, "--dry-run", "--no-credits").out
    assert minutes_of(segment) == minutes_of(dry_run) == pytest.approx(planned, abs=0.05)
    chapters = lambda text: re.findall(r"^ +\d+\. .*: \d+ segments?, ([\d.]+) min$", text, re.M)  # noqa: E731
    assert chapters(segment) == chapters(dry_run) and len(chapters(segment)) == 3


def test_segment_shows_every_segment_with_its_id_speaker_seconds_and_words(cli):
    result = cli("segment", SAMPLE)
    assert result.code == 0
    rows = re.findall(r"^  (\d+)\.(\d+) +([0-9a-f]{16})  (\S+) +([\d.]+) s  (.+)$", result.out, re.M)
    ids = [s["id"] for c in json.loads(cli("segment", SAMPLE, "--json").out)["segments"]["chapters"] for s in c["segments"]]
    assert [row[2] for row in rows] == ids and len(ids) == 16
    assert (rows[0][:2], rows[0][3]) == (("1", "1"), "narrator") and rows[0][5].startswith("Chapter One.")
    assert "Speakers (segments): narrator" in result.out.split("Segments (")[0]  # the report comes first


def test_segment_counts_only_prints_the_summary_and_report(cli):
    result = cli("segment", SAMPLE, "--counts")
    assert "3 chapters, 16 segments" in result.out and "Segments (" not in result.out


def test_segment_json_lists_every_segment_and_the_report(cli):
    result = cli("segment", SAMPLE, "--json")
    assert result.code == 0
    data = json.loads(result.out)
    chapters = data["segments"]["chapters"]
    assert len(chapters) == 3 and sum(len(c["segments"]) for c in chapters) == 16
    assert sum(data["report"]["speakers"].values()) == 16


def test_a_bad_lexicon_row_is_one_line_naming_the_file_and_row(cli, tmp_path):
    book = tmp_path / "fables.md"
    book.write_text(SAMPLE.read_text())
    (tmp_path / "fables.lexicon.csv").write_text("written,spoken\nFox,\n")
    result = cli("segment", book)
    assert result.code == 2 and result.err.count("\n") == 1 and result.out == ""
    assert f"{tmp_path / 'fables.lexicon.csv'}: row 2: needs both" in result.err


def test_segment_reports_the_lexicon_entries_it_applied(cli, tmp_path):
    book = tmp_path / "fables.md"
    book.write_text(SAMPLE.read_text())
    (tmp_path / "fables.lexicon.csv").write_text("written,spoken,note\nOrlick,Or-lick,never used\n")
    report = json.loads(cli("segment", book, "--json").out)["report"]
    assert report["lexicon"] == [{"written": "Orlick", "spoken": "Or-lick", "note": "never used", "matches": 0}]


def test_segment_reads_footnotes_at_the_chapter_end_when_asked(cli, tmp_path):
    book = tmp_path / "notes.txt"
    book.write_text("CHAPTER I\n\nThe ship sailed.[1] It was late.\n\n[1] A brig, in fact.\n\nCHAPTER II\n\nThe end came.\n")
    spoken = lambda *options: " ".join(s["text"] for c in json.loads(cli("segment", book, "--json", *options).out)  # noqa: E731
                                      ["segments"]["chapters"] for s in c["segments"])
    assert "A brig, in fact" not in spoken()
    assert "A brig, in fact" in spoken("--notes", "chapter-end")


def test_segment_and_the_plan_leave_a_plays_stage_directions_out_when_asked(cli, tmp_path):
    from tests.test_plays import play_text

    play = tmp_path / "earnest.txt"
    play.write_text(play_text(), encoding="utf-8")
    spoken = lambda *options: [s["text"] for c in json.loads(cli("segment", play, "--json", *options).out)  # noqa: E731
                               ["segments"]["chapters"] for s in c["segments"]]
    assert "Rises." in spoken() and "Rises." not in spoken("--stage-directions", "skip")
    narrated = lambda *options: int(re.search(r"narrator: \S+, (\d+) segment", cli(  # noqa: E731
        "render", play, "--dry-run", "--model", "random-tiny", *options).out).group(1))
    assert narrated("--stage-directions", "skip") < narrated()


@pytest.mark.parametrize("option, values", [
    ("--format", FORMATS), ("--target", TARGETS), ("--qc", QC_MODES), ("--notes", NOTES_POLICIES),
    ("--stage-directions", STAGE_DIRECTIONS),
    ("--device", DEVICES), ("--dtype", DTYPES), ("--autocast", AUTOCAST_DTYPES)])
def test_help_shows_the_values_of_every_fixed_choice(cli, option, values):
    help_text = " ".join(cli("render", "--help").out.split())
    assert f"{option} <{'|'.join(values)}>" in help_text


def test_help_shows_flags_without_a_type_and_lists_every_command(cli):
    render_help, top_help = cli("render", "--help").out, cli("--help").out
    assert re.search(r"^  --no-credits +No spoken", render_help, re.M) and "<bool>" not in render_help
    for command in ("render", "segment", "qc", "voices", "models", "targets", "run-deployment"):
        assert re.search(rf"^  {command} +\S", top_help, re.M), command


def test_no_arguments_prints_the_help(cli):
    result = cli()
    assert result.code == 0 and "Usage: barkbook" in result.out


def test_version_names_barkbook_and_what_it_runs_on(cli):
    result = cli("--version")
    assert result.code == 0 and re.fullmatch(r"barkbook \S+ \(Python [\d.]+, torch \S+, prefect \S+\)\n", result.out)


def test_voices_filters_by_language_and_gender(cli):
    result = cli("voices", "--language", "en", "--gender", "female", "--json")
    assert [v["name"] for v in json.loads(result.out)] == ["v2/en_speaker_9"]
    text = cli("voices", "--language", "de").out
    assert "v2/de_speaker_3  de        female" in text and "of 271 voices" in text


def test_voices_lists_the_voices_a_book_folder_has_locked(cli, tmp_path):
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "narrator.npz").write_bytes(b"")
    names = [v["name"] for v in json.loads(cli("voices", "--out", tmp_path, "--json").out)]
    assert names[-1] == str(tmp_path / "voices" / "narrator.npz") and len(names) == 272


def test_models_say_what_is_cached_and_where(cli, tmp_path, monkeypatch):
    for var in ("HF_HOME", "TORCH_HOME", "XDG_CACHE_HOME", "BARKBOOK_CACHE_DIR"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    rows = {r["name"]: r for r in json.loads(cli("models", "--json").out)}
    assert list(rows) == ["small", "large", "random-tiny"]
    assert not rows["small"]["cached"] and len(rows["small"]["files"]) == 5 and rows["small"]["bytes"] == 0
    assert rows["random-tiny"]["where"].startswith(str(tmp_path / "barkbook_cache_dir"))


def test_targets_list_each_platforms_formats_and_rules(cli):
    rows = {r["name"]: r for r in json.loads(cli("targets", "--json").out)}
    assert set(rows) == set(TARGETS)
    assert rows["acx"]["formats"] == ["mp3"] and rows["acx"]["rules"]["mp3_min_kbps"] == 192
    text = cli("targets").out
    assert "acx: mp3" in text and "RMS -23..-18 dBFS" in text and "warning: ACX does not accept" in text
