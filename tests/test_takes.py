"""Takes: the kept take is the best by its score, rounds of takes share a batch, QC runs beside the engine."""

import threading

import numpy as np

from bark_model import BatchingEngine, Generation
from bark_model.constants import HOP_LENGTH
from tasks.qc.signal import QCSettings
from tasks.qc.inspect import QC_MODES, SpeechQC, TakeInspector, default_qc_mode, flag_voice_drift, qc_note
from tasks.qc.speech_check import SpeechCheck
from tasks.qc.takes import TakeCheck
from tasks.qc.takes import SeedPlan, Take, choose_take

RATE = 24_000


def heard(**changes) -> SpeechCheck:
    """What a speech check of a clean take hears, with `changes`."""
    return SpeechCheck(**{"word_match": 1.0, "missing": [], "extra": [], "words": [], "voice_similarity": 0.9,
                          "running_similarity": None, "lead_s": 0.1, "trail_s": 0.1, "longest_gap_s": 0.3,
                          "speech_s": 2.0, "problems": [], **changes})


class FakeChecker:
    """Returns the scripted check for each take, keyed by the take's first audio sample (its seed)."""

    def __init__(self, by_seed: dict[int, SpeechCheck]):
        self.by_seed = by_seed
        self.references = []

    def embed(self, audio, sample_rate):
        self.references.append(len(audio))
        return np.ones(4) / 2

    def check(self, audio, sample_rate, text, *, reference=None, running=None):
        return self.by_seed[int(audio[0])]


def tone(seed: int, seconds: float = 2.0) -> np.ndarray:
    """Audio that passes the signal checks for a 2 s text and carries its seed in its first sample."""
    audio = (np.sin(np.arange(int(seconds * RATE)) * 0.05) * 0.3).astype(np.float32)
    audio[0] = seed
    return audio


def speech_inspector(by_seed) -> TakeInspector:
    checker = FakeChecker(by_seed)
    return TakeInspector("speech", QCSettings(clip_level=1e9), "Two seconds of text.", 2.0,
                         SpeechQC(checker, decode=lambda fine: np.zeros(320)), None)


def scripted_work(inspector: TakeInspector, tried: list):
    def work(seed):
        tried.append(seed)
        take = Take("s1", seed, np.zeros((8, 150), np.int16), RATE, tone(seed))
        return take, inspector.check(take)
    return work


def fails(**changes) -> SpeechCheck:
    return heard(problems=["words missing"], **changes)


def test_the_best_take_is_kept_not_the_first_that_passes():
    inspector = speech_inspector({0: heard(word_match=0.9), 1: heard(word_match=1.0),
                                  2: heard(word_match=0.95)})
    take, checks = choose_take(scripted_work(inspector, []), SeedPlan(0, per_round=3, rounds=1))
    assert take.seed == 1 and [c.seed for c in checks] == [0, 1, 2]


def test_content_outranks_voice_and_voice_outranks_duration():
    content = speech_inspector({0: fails(word_match=0.8, voice_similarity=0.95), 1: fails(word_match=0.9, voice_similarity=0.5)})
    assert choose_take(scripted_work(content, []), SeedPlan(0, per_round=2, rounds=1))[0].seed == 1
    voice = speech_inspector({0: fails(voice_similarity=0.6), 1: fails(voice_similarity=0.8)})
    assert choose_take(scripted_work(voice, []), SeedPlan(0, per_round=2, rounds=1))[0].seed == 1


def test_fewer_missing_and_extra_words_break_a_word_match_tie():
    inspector = speech_inspector({0: fails(word_match=0.9, extra=["and", "then"]), 1: fails(word_match=0.9, missing=["fox"])})
    assert choose_take(scripted_work(inspector, []), SeedPlan(0, per_round=2, rounds=1))[0].seed == 1


def test_a_passing_take_outranks_a_failing_one_with_more_words_heard():
    inspector = speech_inspector({0: fails(word_match=1.0), 1: heard(word_match=0.9)})
    assert choose_take(scripted_work(inspector, []), SeedPlan(0, per_round=2, rounds=1))[0].seed == 1


def test_failing_rounds_bring_the_next_seeds_until_one_passes():
    inspector = speech_inspector({5: fails(), 6: fails(word_match=0.5), 7: heard(), 8: heard(),
                                  9: heard(), 10: heard()})
    tried = []
    take, checks = choose_take(scripted_work(inspector, tried), SeedPlan(5, per_round=2, rounds=3))
    assert sorted(tried) == [5, 6, 7, 8] and take.seed in (7, 8) and len(checks) == 4


def test_when_every_take_fails_the_best_of_all_rounds_is_kept():
    inspector = speech_inspector({0: fails(word_match=0.2), 1: fails(word_match=0.7), 2: fails(word_match=0.4)})
    take, checks = choose_take(scripted_work(inspector, []), SeedPlan(0, per_round=1, rounds=3))
    assert take.seed == 1 and not any(c.passed for c in checks) and len(checks) == 3


def test_signal_checks_decide_without_a_speech_check():
    """Fewest problems first, then the duration closest to what the text predicts (2 s)."""
    inspector = TakeInspector("signal", QCSettings(clip_level=1e9), "Text.", 2.0)
    lengths = {0: 0.2, 1: 9.0, 2: 3.0, 3: 2.2}

    def work(seed):
        take = Take("s1", seed, np.zeros((8, 1), np.int16), RATE, tone(seed, lengths[seed]))
        return take, inspector.check(take)

    take, checks = choose_take(work, SeedPlan(0, per_round=4, rounds=1))
    assert take.seed == 3 and [c.passed for c in checks] == [False, False, True, True]


def test_qc_off_checks_nothing_and_keeps_the_first_take():
    inspector = TakeInspector("off", QCSettings(), "Text.", 2.0)
    take, checks = choose_take(scripted_work(inspector, tried := []), SeedPlan(0, per_round=1, rounds=3))
    assert tried == [0] and take.seed == 0 and checks[0].signal is None and checks[0].passed


def test_speech_measures_and_the_verdict_lead_the_table_row():
    inspector = speech_inspector({4: fails(word_match=0.5, missing=["grapes"], voice_similarity=0.41)})
    row = inspector.check(Take("s1", 4, np.zeros((8, 150), np.int16), RATE, tone(4))).as_row()
    assert list(row)[:3] == ["verdict", "problems", "seed"]
    assert (row["verdict"], row["problems"], row["word_match"], row["missing"], row["voice_similarity"]) == (
        "fail", "words missing", 0.5, "grapes", 0.41)
    assert (row["lead_s"], row["trail_s"]) == (0.1, 0.1)  # measured, never a failure
    assert all(isinstance(v, str | int | float | bool | None) for v in row.values())


def test_each_voice_reference_is_decoded_and_embedded_once():
    checker, decoded = FakeChecker({}), []
    speech = SpeechQC(checker, decode=lambda fine: decoded.append(fine.shape) or np.zeros(fine.shape[-1] * HOP_LENGTH))
    from bark_model import load_voice

    voice = load_voice("v2/en_speaker_6")
    assert speech.reference(voice) is speech.reference(voice)
    assert decoded == [voice.fine.shape] and checker.references == [voice.fine.shape[-1] * HOP_LENGTH]


def test_a_cached_take_keeps_its_tokens_and_drops_its_audio():
    import pickle

    take = Take("s1", 3, np.arange(16, dtype=np.int16).reshape(8, 2), RATE, np.ones(640, np.float32))
    back = pickle.loads(pickle.dumps(take))
    assert back.audio is None and np.array_equal(back.fine, take.fine) and back.seconds == take.seconds == 640 / RATE
    assert take.audio is not None  # the live object keeps what it generated


def test_speech_qc_is_the_default_for_real_models_only():
    assert default_qc_mode("small") == default_qc_mode("large") == "speech" and default_qc_mode("random-tiny") == "signal"
    assert "random-tiny" in qc_note("signal", "random-tiny") and "off" in qc_note("signal", "random-tiny")
    assert set(QC_MODES) == {"speech", "signal", "off"}


class RecordingBarkEngine:
    """Stands in for BarkEngine behind a BatchingEngine: records each batch's seeds; each row's audio
    carries its seed. `on_batch(seeds)` runs as a batch starts (tests hook it)."""

    def __init__(self, on_batch=lambda seeds: None):
        self.batches, self.on_batch = [], on_batch

    def generate_batch(self, texts, voices, params, seeds, max_seconds):
        self.batches.append(list(seeds))
        self.on_batch(list(seeds))
        return [Generation(np.zeros(1, np.int64), np.zeros((2, 150), np.int64), np.zeros((8, 150), np.int64), tone(s))
                for s in seeds]


def engine_work(engine: BatchingEngine, inspector: TakeInspector):
    def work(seed):
        gen = engine.generate("Text.", None, seed=seed)
        take = Take("s1", seed, gen.fine.astype(np.int16), RATE, gen.audio)
        return take, inspector.check(take)
    return work


def test_takes_of_a_round_reach_the_engine_as_one_batch():
    bark = RecordingBarkEngine()
    engine = BatchingEngine(bark, max_batch=8, max_wait_s=2.0)
    inspector = speech_inspector({s: heard(word_match=0.9 + s / 100) for s in range(4)})
    take, _ = choose_take(engine_work(engine, inspector), SeedPlan(0, per_round=4, rounds=2))
    assert [sorted(batch) for batch in bark.batches] == [[0, 1, 2, 3]]
    assert take.seed == 3


def test_checks_run_in_the_segment_thread_while_the_engine_runs_the_next_batch():
    """Segment A's check waits until the engine has started segment B's batch: had the check held up
    the engine, B's batch could not start and the wait would time out."""
    a_started, b_started = threading.Event(), threading.Event()
    bark = RecordingBarkEngine(on_batch=lambda seeds: {0: a_started, 100: b_started}[seeds[0]].set())
    engine = BatchingEngine(bark, max_batch=1, max_wait_s=0.0)
    checked_while_b_ran = []

    class WaitingChecker(FakeChecker):
        def check(self, audio, sample_rate, text, *, reference=None, running=None):
            if int(audio[0]) == 0:  # segment A's take
                checked_while_b_ran.append(b_started.wait(timeout=30))
            return heard()

    inspector = TakeInspector("speech", QCSettings(clip_level=1e9), "Text.", 2.0, SpeechQC(WaitingChecker({}), None))
    a = threading.Thread(target=choose_take, args=(engine_work(engine, inspector), SeedPlan(0)))
    a.start()
    assert a_started.wait(timeout=30)  # A's generation is in the engine: now B asks
    choose_take(engine_work(engine, inspector), SeedPlan(100))
    a.join(timeout=60)
    assert checked_while_b_ran == [True]


def test_a_take_that_drifts_from_the_chapters_voice_fails_and_the_rest_pass():
    voices = {0: [1.0, 0.0, 0.1], 1: [0.9, 0.1, 0.0], 2: [1.0, 0.1, 0.1], 3: [0.0, 1.0, 0.0]}  # take 3 drifts
    checks = [TakeCheck(seed, 2.0, speech=heard()) for seed in voices]
    kept = [("narrator", np.array([float(seed)]), check) for seed, check in zip(voices, checks)]
    flag_voice_drift(kept, lambda audio: np.array(voices[int(audio[0])]), min_similarity=0.82)
    assert [check.passed for check in checks] == [True, True, True, False]
    assert "voice drifts" in checks[3].problems[0] and checks[3].speech.running_similarity < 0.82
    assert all(check.speech.running_similarity >= 0.82 for check in checks[:3])


def test_the_running_voice_is_per_speaker_and_needs_enough_takes():
    checks = [TakeCheck(seed, 2.0, speech=heard()) for seed in range(3)]
    kept = [("narrator", np.array([0.0]), checks[0]), ("narrator", np.array([0.0]), checks[1]),
            ("Holmes", np.array([1.0]), checks[2])]  # two narrator takes: too few to judge either
    flag_voice_drift(kept, lambda audio: np.array([1.0, audio[0]]), min_similarity=0.99)
    assert all(check.passed and check.speech.running_similarity is None for check in checks)


def test_a_quiet_take_the_speech_check_heard_right_is_not_retaken():
    inspector = speech_inspector({0: heard(), 1: heard()})
    inspector.signal = QCSettings(clip_level=1e9, min_rms_dbfs=0.0)  # every take is "near-silent"
    tried = []
    take, checks = choose_take(scripted_work(inspector, tried), SeedPlan(0, rounds=2))
    assert tried == [0] and take.seed == 0 and checks[0].passed
    assert any(p.startswith("near-silent") for p in checks[0].problems)
