"""Delivery checks: a mastered chapter of real speech, encoded as our MP3, meets ACX; files made wrong on
purpose each fail, naming the rule they break; the report names the file."""

import dataclasses
import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tasks.package.assemble import FFMPEG, export_chapter
from tasks.master.audio import to_array, to_segment
from tasks.master.checks import ACX, GENERIC, NONE, check_delivery, check_file
from tasks.core.errors import BarkbookError
from tasks.master.mastering import MasteringSettings, master_chapter

RATE = 44_100
SPEECH = Path(__file__).parent / "fixtures" / "speech"


@pytest.fixture(scope="module")
def mastered():
    """Five sentences of the committed speech fixtures (16 kHz), mastered as a chapter, as float samples."""
    clips = [(soundfile.read(SPEECH / f"clean-{i:02d}.flac", dtype="float32")[0], 0.6) for i in range(5)]
    return to_array(master_chapter(clips, MasteringSettings(), sample_rate_in=16_000).audio)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("delivery")


def as_mp3(samples, folder, name):
    """Our chapter MP3 (tasks.package.assemble.export_chapter: 192 kbps CBR, 44.1 kHz)."""
    return export_chapter(to_segment(samples, RATE), folder / f"{name}.mp3", "mp3", {"title": name})


def reencode(source, folder, name, *args):
    target = folder / name
    subprocess.run([FFMPEG, "-v", "error", "-y", "-i", str(source), *args, str(target)], check=True)
    return target


@pytest.fixture(scope="module")
def good_mp3(mastered, folder):
    return as_mp3(mastered, folder, "good")


def test_a_mastered_chapter_encoded_as_our_mp3_meets_acx(good_mp3):
    check = check_file(good_mp3, ACX, "chapter")
    assert check.problems == [], check.measure
    assert check.measure.codec == "mp3" and check.measure.bitrate_mode == "CBR"


def speech_mask(samples):
    """True on the samples of each 50 ms window within 20 dB of the file's RMS (independent of the meter)."""
    n = RATE // 20
    windows = samples[: len(samples) // n * n].reshape(-1, n)
    loud = (windows**2).mean(axis=1) > np.mean(samples**2) / 100
    return np.pad(np.repeat(loud, n), (0, len(samples) - len(loud) * n))


def too_loud(x):
    return np.clip(x * 10 ** (6 / 20), -1, 1)


def clicks(x):
    y = x.copy()
    y[np.random.default_rng(0).integers(RATE, len(y) - RATE, 20)] = 0.99
    return y


def noisy_floor(x):
    return x + np.random.default_rng(1).standard_normal(len(x)) * 10 ** (-50 / 20)


def noisy_pauses_only(x):
    """−50 dB noise in the pauses after the first second; the head stays clean."""
    noise = np.random.default_rng(2).standard_normal(len(x)) * 10 ** (-50 / 20)
    noise[:RATE] = 0
    return x + noise * ~speech_mask(x)


def no_tail(x):
    last_speech = np.flatnonzero(speech_mask(x))[-1]
    return x[: last_speech + RATE // 10]


def long_head(x):
    return np.concatenate([x[: RATE // 2]] * 5 + [x])  # 2.5 s more room tone before the first word


@pytest.mark.parametrize(("make", "rule"), [
    (too_loud, "RMS"), (clicks, "peak"), (noisy_floor, "noise floor"), (noisy_pauses_only, "noise floor"),
    (no_tail, "tail room tone"), (long_head, "head room tone"),
])
def test_a_file_wrong_in_its_levels_fails_the_rule_it_breaks(mastered, folder, make, rule):
    check = check_file(as_mp3(make(mastered), folder, make.__name__), ACX, "chapter")
    assert any(p.startswith(rule + " ") and "ACX wants" in p for p in check.problems), check.problems


@pytest.mark.parametrize(("name", "args", "rule"), [
    ("vbr.mp3", ["-c:a", "libmp3lame", "-q:a", "4"], "bitrate mode VBR"),
    ("128k.mp3", ["-c:a", "libmp3lame", "-b:a", "128k"], "bitrate 128 kbps"),
    ("48k.mp3", ["-c:a", "libmp3lame", "-b:a", "192k", "-ar", "48000"], "sample rate 48000 Hz"),
    ("stereo.mp3", ["-c:a", "libmp3lame", "-b:a", "192k", "-ac", "2"], "channels 2"),
    ("chapter.m4a", ["-c:a", "aac", "-b:a", "128k"], "format aac"),
])
def test_a_file_wrong_in_its_format_fails_the_rule_it_breaks(good_mp3, folder, name, args, rule):
    problems = check_file(reencode(good_mp3, folder, name, *args), ACX, "chapter").problems
    assert [p for p in problems if p.startswith(rule)], problems


def test_a_file_longer_than_the_limit_fails_on_length(good_mp3):
    rules = dataclasses.replace(ACX, name="short", max_seconds=10.0)
    assert [p for p in check_file(good_mp3, rules).problems if p.startswith("length ")]
    assert check_file(good_mp3, ACX).problems == []


def test_a_retail_sample_is_held_to_its_length(mastered, folder):
    sample = as_mp3(mastered[: 20 * RATE], folder, "sample")  # ACX: 1–5 min
    problems = check_file(sample, ACX, "retail-sample").problems
    assert [p for p in problems if p.startswith("retail sample length 20 s")], problems
    assert not [p for p in check_file(sample, ACX, "chapter").problems if p.startswith("retail")]


def test_the_report_names_each_failing_file_and_its_rule(mastered, folder, good_mp3):
    bad = as_mp3(too_loud(mastered), folder, "loud")
    report = check_delivery([(good_mp3, "chapter"), (bad, "chapter")], ACX)
    assert [f.path for f in report.failed] == [bad]
    assert len(report.lines()) == 1 and report.lines()[0].startswith("loud.mp3 (chapter): RMS ")
    saved = json.loads(json.dumps(report.as_dict(root=folder)))
    assert saved["passed"] is False and saved["rules"]["name"] == "ACX"
    assert [(f["file"], f["passed"]) for f in saved["files"]] == [("good.mp3", True), ("loud.mp3", False)]
    assert saved["files"][0]["measure"]["bitrate_mode"] == "CBR"


def test_an_unreadable_file_is_a_failed_check_naming_it(folder):
    junk = folder / "junk.mp3"
    junk.write_bytes(b"\x00not audio" * 100)
    report = check_delivery([(junk, "chapter")], ACX)
    assert report.failed and report.files[0].measure is None
    assert "junk.mp3" in report.lines()[0]


def test_without_a_platform_nothing_is_enforced_but_everything_is_measured(mastered, folder):
    loud = as_mp3(too_loud(mastered), folder, "loud-none")
    check = check_file(loud, NONE)
    assert check.passed and check.measure.levels.rms_dbfs > -18.0
    assert [p for p in check_file(loud, GENERIC).problems if p.startswith("true peak")]  # clipped: over −1 dBTP


def test_rules_with_a_range_upside_down_are_refused():
    with pytest.raises(BarkbookError, match="tail_s"):
        dataclasses.replace(ACX, tail_s=(5.0, 1.0))


def test_an_unknown_kind_is_refused():
    with pytest.raises(BarkbookError, match="kind"):
        check_file("x.mp3", ACX, "poster")
