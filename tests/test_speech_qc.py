"""Speech QC: text normalization, word comparison, edges, and the calibrated rates on the committed
fixtures (tests/fixtures/speech, made by its make_fixtures.py; nothing is synthesized here)."""

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tasks.core.errors import BarkbookError
from tasks.qc.speech import SpeechCheck, SpeechChecker, SpeechQCSettings, normalize_words, to_speech_rate
from tasks.qc.speech.calibration import CLEAN, check_cases, load_cases, rates
from tasks.qc.speech.sphinx import PHONES
from tasks.qc.speech.spelling import guess_phones
from tasks.qc.speech.vad import SpeechTimes
from tasks.qc.speech.words import compare

FIXTURES = Path(__file__).parent / "fixtures" / "speech"
# Measured by benchmarks/bench_qc.py on the fixtures with the default settings (docs/speech_qc.md):
# clean = share passing, each fault = share failing. The tests hold the checker to these numbers.
CALIBRATED = {"clean": 0.969, "truncated": 1.0, "skipped": 1.0, "extra": 1.0, "wrong_text": 1.0,
              "noise": 1.0, "reversed": 1.0, "gap": 1.0, "other_speaker": 1.0}


def test_words_are_compared_lower_case_without_punctuation_or_bark_cues():
    assert normalize_words("Down, down — DOWN! [sighs] ♪ Twinkle ♪ Alice’s mock-turtle") == [
        "down", "down", "down", "twinkle", "alice's", "mock", "turtle"]


def test_comparison_reports_missing_words_in_a_row_and_extra_speech_with_its_length():
    expected = "one two three four five six".split()
    heard = [("one", 0.0, 0.3), ("two", 0.3, 0.6), ("six", 0.6, 0.9), ("/ah b/", 0.9, 1.6)]
    result = compare(expected, heard)
    assert result.missing == ["three", "four", "five"] and result.longest_missing_run == 3
    assert result.word_match == pytest.approx(0.5)
    assert result.extra == ["/ah b/"] and result.extra_s == pytest.approx(0.7)
    assert [w for w, _, _ in result.words] == ["one", "two", "six"]


def test_unscored_words_count_neither_as_heard_nor_missing():
    result = compare(["the", "zyzzogeton", "ran"], [("the", 0, 1), ("ran", 1, 2)], unscored={"zyzzogeton"})
    assert result.word_match == 1.0 and result.missing == []


def test_spelling_guesses_use_only_the_acoustic_models_phones():
    for word in ("pattering", "zyzzogeton", "quixotic", "thoughtful", "2024"):
        phones = guess_phones(word).split()
        assert phones and set(phones) <= set(PHONES), word


def test_edges_and_gaps_come_from_the_speech_stretches():
    times = SpeechTimes(intervals=[(0.4, 2.0), (2.3, 5.0), (8.1, 9.98)], duration_s=10.0)
    assert (times.lead_s, times.trail_s, times.longest_gap_s) == (0.4, 0.02, 3.1)
    assert times.speech_s == pytest.approx(1.6 + 2.7 + 1.88)
    assert times.cut_at_end(0.05) and not times.cut_at_start(0.05)


def test_audio_at_any_rate_and_layout_becomes_16_khz_mono():
    stereo = np.zeros((24000, 2), dtype=np.float32)
    assert to_speech_rate(stereo, 24000).shape == (16000,)


def test_an_unknown_engine_is_one_clear_error():
    with pytest.raises(BarkbookError, match="unknown speech QC engine 'vosk'"):
        SpeechQCSettings(engine="vosk")


def test_the_whisper_engine_says_in_one_line_what_is_missing_offline(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    checker = SpeechChecker(SpeechQCSettings(engine="whisper"))
    with pytest.raises(BarkbookError) as err:
        checker.check(np.zeros(16000, dtype=np.float32), 16000, "hello")
    message = str(err.value)
    assert "\n" not in message
    assert "faster-whisper" in message  # the package to install, or the hub model that is not cached


def test_the_whisper_model_path_names_the_hub_repo_when_offline(monkeypatch, tmp_path):
    from tasks.qc.speech.whisper import whisper_model_path

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    with pytest.raises(BarkbookError, match="Systran/faster-whisper-tiny.en.*HF_HUB_OFFLINE"):
        whisper_model_path("tiny.en")


@pytest.fixture(scope="module")
def checker():
    return SpeechChecker()


@pytest.fixture(scope="module")
def fixture_results(checker):
    return check_cases(checker, load_cases(FIXTURES))


def test_fixtures_hold_enough_cases_of_each_kind():
    cases = load_cases(FIXTURES)
    counts = {fault: sum(c.fault == fault for c in cases) for fault in CALIBRATED}
    assert counts[CLEAN] >= 30 and min(v for k, v in counts.items() if k != CLEAN) >= 12
    assert len({c.voice for c in cases if c.fault == CLEAN}) >= 4


@pytest.mark.slow  # checks all 128 fixture takes once (~1 min on 2 cores), shared by these tests
def test_calibrated_rates_hold_on_the_fixtures(fixture_results):
    measured = rates(fixture_results)
    assert set(measured) == set(CALIBRATED)
    assert {f: r for f, r in measured.items() if r < CALIBRATED[f]} == {}
    assert measured[CLEAN] >= 0.95 and min(r for f, r in measured.items() if f != CLEAN) >= 0.9


@pytest.mark.slow
def test_clean_takes_heard_in_full_have_every_word_in_time_order(fixture_results):
    clean = [(c, r) for c, r in fixture_results if c.fault == CLEAN]
    full = [(c, r) for c, r in clean if not r.missing]
    assert len(full) >= len(clean) // 2
    for case, check in full:
        assert [w for w, _, _ in check.words] == normalize_words(case.text)
        starts = [start for _, start, _ in check.words]
        assert starts == sorted(starts) and check.words[-1][2] <= sf.info(case.audio).duration + 0.01


@pytest.mark.slow
def test_each_fault_is_named_in_the_problems(fixture_results):
    expected = {"truncated": ("words missing", "cut at the end"), "skipped": ("words",), "extra": ("extra speech",),
                "wrong_text": ("words missing",), "noise": ("no speech",), "reversed": ("words missing",),
                "gap": ("gap of",), "other_speaker": ("another voice",)}
    for case, check in fixture_results:
        if case.fault != CLEAN and not check.passed:
            assert any(p.startswith(expected[case.fault]) or any(e in p for e in expected[case.fault])
                       for p in check.problems), (case.audio.name, check.problems)


@pytest.mark.slow
def test_a_check_is_json_with_stable_keys(fixture_results):
    _, check = fixture_results[0]
    row = json.loads(json.dumps(check.as_dict()))
    assert {"passed", "problems", "word_match", "missing", "extra", "words", "voice_similarity",
            "running_similarity", "lead_s", "trail_s", "longest_gap_s", "speech_s"} <= set(row)
    assert row["passed"] == check.passed == (check.problems == [])


def test_embeddings_are_unit_vectors(checker):
    audio, rate = sf.read(FIXTURES / "ref-slt.flac", dtype="float32")
    embedding = checker.embed(audio, rate)
    assert embedding.shape == (256,) and np.linalg.norm(embedding) == pytest.approx(1.0, abs=1e-5)


def test_a_check_without_a_reference_has_no_voice_measure(checker):
    case = load_cases(FIXTURES)[0]
    check = checker.check(*sf.read(case.audio, dtype="float32"), case.text)
    assert isinstance(check, SpeechCheck) and check.voice_similarity is None and check.running_similarity is None
