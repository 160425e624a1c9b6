"""Segment QC: each problem it must catch, a clean segment passing, and the per-take QC report."""

import csv
import json
from types import SimpleNamespace

import numpy as np
import pytest

from tasks.master.qc_report import QCSummary, qc_summary, qc_table, write_qc_report
from tasks.qc import QCResult, QCSettings, inspect_segment
from tasks.render.segments import RenderedSegment
from tasks.qc.speech_check import SpeechCheck
from tasks.qc.takes import Take, TakeCheck

RATE = 24_000


def noise(seconds, level=0.1, seed=0):
    return (np.random.default_rng(seed).standard_normal(int(seconds * RATE)) * level).astype(np.float32)


def test_a_segment_of_the_expected_length_passes():
    result = inspect_segment(noise(5.0), RATE, 5.0, QCSettings())
    assert result.passed and result.problems == [] and result.seconds == pytest.approx(5.0)


@pytest.mark.parametrize(
    "audio, expected, problem",
    [
        (noise(1.0), 6.0, "too short"),
        (noise(16.0), 5.0, "too long"),
        (noise(5.0, level=0.001), 5.0, "near-silent"),
        (np.concatenate([noise(2.0), np.zeros(3 * RATE, np.float32), noise(2.0)]), 7.0, "silence inside: 3.0 s"),
        (np.clip(noise(5.0, level=2.0), -1, 1), 5.0, "clipping"),
    ],
    ids=["truncated", "babbling", "near-silent", "inner-silence", "clipping"],
)
def test_each_problem_is_named(audio, expected, problem):
    result = inspect_segment(audio, RATE, expected, QCSettings())
    assert not result.passed
    assert any(problem in p for p in result.problems), result.problems


def test_silent_edges_are_neither_inner_silence_nor_duration():
    audio = np.concatenate([np.zeros(3 * RATE, np.float32), noise(3.0), np.zeros(3 * RATE, np.float32)])
    result = inspect_segment(audio, RATE, 3.0, QCSettings())
    assert result.passed, result.problems
    assert result.seconds == pytest.approx(9.0) and result.voiced_seconds == pytest.approx(3.0, abs=0.05)


def test_truncation_is_judged_on_the_voiced_span_not_the_clip_length():
    audio = np.concatenate([noise(1.0), np.zeros(5 * RATE, np.float32)])
    result = inspect_segment(audio, RATE, 6.0, QCSettings())
    assert any("too short" in p for p in result.problems), result.problems


def test_levels_are_measured_in_dbfs():
    t = np.arange(RATE) / RATE
    result = inspect_segment((0.5 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), RATE, 1.0, QCSettings())
    assert result.peak_dbfs == pytest.approx(20 * np.log10(0.5), abs=0.01)
    assert result.rms_dbfs == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.01)


def rendered(segment_id, kept_seed, seeds_and_problems, per_round=1):
    """A RenderedSegment whose takes' signal checks found `problems`."""
    checks = [TakeCheck(seed, 2.0, QCResult(2.0, -20.0, -6.0, problems, 2.0)) for seed, problems in seeds_and_problems]
    take = Take(segment_id, kept_seed, np.zeros((8, 150), np.int16))
    return RenderedSegment(segment_id, take, checks, "signal", per_round)


@pytest.fixture
def table():
    segments = [SimpleNamespace(id="a1", spoken="First.", seconds=2.0), SimpleNamespace(id="b2", spoken="Second.", seconds=1.5)]
    results = [rendered("a1", 7, [(6, ["too short: 0.3 s for ~2.0 s of text"]), (7, [])]), rendered("b2", 0, [(0, [])])]
    return qc_table(segments, results)


def test_qc_table_records_every_take_and_marks_the_kept_one(table):
    assert [(r["segment"], r["take"], r["seed"], r["kept"]) for r in table] == [
        ("a1", 1, 6, False), ("a1", 2, 7, True), ("b2", 1, 0, True)]
    assert table[0]["problems"].startswith("too short") and table[1]["problems"] == ""  # the verdict says ok


def test_qc_table_leads_with_the_verdict_and_problems(table):
    assert list(table[0])[:2] == ["verdict", "problems"]
    assert [r["verdict"] for r in table] == ["fail", "ok", "ok"]


def test_qc_table_cells_are_plain_scalars_for_a_prefect_table_artifact(table):
    assert all(isinstance(v, str | int | float | bool | None) for row in table for v in row.values())


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_qc_report_file_reads_back(tmp_path, table, suffix):
    path = write_qc_report(table, tmp_path / "qc" / f"01-fox{suffix}")
    if suffix == ".json":
        back = json.loads(path.read_text())
        assert back == table
    else:
        back = list(csv.DictReader(path.open()))
        assert [(r["segment"], r["seed"], r["problems"]) for r in back] == [
            (r["segment"], str(r["seed"]), r["problems"]) for r in table]
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_qc_summary_counts_the_kept_attempts(table, tmp_path):
    summary = qc_summary(table, tmp_path / "r.csv")
    assert (summary.segments, summary.retried, summary.failed_qc, summary.takes) == (2, 1, 0, 3)


def test_a_second_take_of_the_first_round_is_a_choice_not_a_retry(tmp_path):
    segment = SimpleNamespace(id="c3", spoken="Third.", seconds=2.0)
    chosen = qc_table([segment], [rendered("c3", 1, [(0, []), (1, [])], per_round=2)])
    retried = qc_table([segment], [rendered("c3", 2, [(0, ["too long"]), (1, ["too long"]), (2, [])], per_round=2)])
    assert [r["round"] for r in retried] == [1, 1, 2]
    assert (qc_summary(chosen, tmp_path).retried, qc_summary(retried, tmp_path).retried) == (0, 1)


def test_the_summary_counts_retaken_takes_by_the_kind_of_problem_they_had(tmp_path):
    segments = [SimpleNamespace(id=i, spoken="Text.", seconds=2.0) for i in ("a1", "b2")]
    results = [rendered("a1", 2, [(0, ["too short: 0.3 s", "clipping: 1% of samples"]), (1, ["too short: 0.4 s"]),
                                  (2, [])]),
               rendered("b2", 0, [(0, ["clipping: 2% of samples"])])]  # failed, but no round followed: not retaken
    summary = qc_summary(qc_table(segments, results), tmp_path / "r.csv")
    assert summary.retaken_for == {"clipping": 1, "too short": 2}


def heard(**fields) -> SpeechCheck:
    return SpeechCheck(**{"missing": [], "extra": [], "words": [], "voice_similarity": 0.9, "running_similarity": None,
                          "lead_s": 0.1, "trail_s": 0.1, "longest_gap_s": 0.2, "speech_s": 2.0, **fields})


def test_a_take_whose_only_problem_is_its_level_is_kept_when_its_words_were_heard_right():
    quiet = TakeCheck(0, 2.0, QCResult(2.0, -50.0, -30.0, ["near-silent: RMS -50 dBFS"], 2.0))
    assert not quiet.passed  # signal checks alone cannot tell a quiet take from a silent one
    quiet.speech = heard(problems=[], word_match=1.0)
    assert quiet.passed and quiet.problems == ["near-silent: RMS -50 dBFS"]  # passed, the measure still shown
    quiet.speech = heard(problems=["words missing: heard 40% of the text"], word_match=0.4)
    assert not quiet.passed


def test_the_run_summary_adds_up_the_chapters_retakes_by_kind():
    from tasks.deliver.manifest import count_retakes

    chapters = [SimpleNamespace(qc=QCSummary(1, 1, 0, 2, "qc/01.csv", {"too short": 1})),
                SimpleNamespace(qc=QCSummary(1, 1, 0, 3, "qc/02.csv", {"too short": 2, "clipping": 1}))]
    assert count_retakes(chapters) == {"clipping": 1, "too short": 3}
