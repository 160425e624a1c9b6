"""Render: what the take and segment cache keys depend on, QC-driven takes with the next seeds, tokens as the record."""

from contextlib import contextmanager
from types import SimpleNamespace

import numpy as np
import pytest

from bark_model import BarkEngine, BatchingEngine, GenerationParams, load_voice
from bark_model.engine import Generation
from bark_model.errors import CheckpointError, CompileError
from tasks.core import BarkbookError
from tasks.plan import RenderSettings, SegmentPlan
from tasks.render.engines import EnginePool, PlanMismatchError, lent_pool
from tasks.qc.signal import QCSettings
from tasks.qc.settings import SpeechQCSettings
from tasks.qc.speech_check import SpeechCheck
from tasks.render.segments import (babble_cap_seconds, render_segment, render_segments, segment_cache_key,
                                   take_cache_key, with_retries, worth_retrying)

SEGMENT = SegmentPlan(id="abc", text="Hello.", spoken="Hello.", seconds=1.0, pause_after=0.5, voice="v2/en_speaker_6",
                      voice_digest=load_voice("v2/en_speaker_6").digest())
SETTINGS = RenderSettings(model="small", model_fingerprint="f1", device="cpu", dtype="float32", seed=0,
                          max_attempts=3, batch_size=8)


def keys(take_seed=0, segment=None, **changes):
    """(take key, segment key) for SEGMENT and SETTINGS with `changes` to either."""
    segment = segment or SEGMENT
    settings = SETTINGS.model_copy(update=changes)
    return (take_cache_key(segment, settings, take_seed),
            segment_cache_key(segment, settings))


def test_keys_name_the_segment_and_the_take_key_its_seed():
    take, segment = keys(take_seed=7)
    assert take.startswith("render-take-v") and "-abc-7-" in take
    assert segment.startswith("render-segment-v") and "-abc-" in segment


@pytest.mark.parametrize("change", [
    dict(segment=SEGMENT.model_copy(update={"spoken": "Hello!"})), dict(segment=SEGMENT.model_copy(update={"voice_digest": "d2"})),
    dict(model_fingerprint="f2"), dict(params=GenerationParams(text_temp=0.6)), dict(dtype="bfloat16"),
], ids=["text", "voice", "model", "params", "dtype"])
def test_what_determines_the_audio_changes_both_keys(change):
    take_key, segment_key = keys()
    changed = keys(**change)
    assert changed[0] != take_key and changed[1] != segment_key


@pytest.mark.parametrize("change", [
    dict(qc=QCSettings(max_duration_ratio=2)), dict(qc_mode="off"), dict(speech_qc=SpeechQCSettings(engine="whisper")), dict(takes=2),
    dict(max_attempts=5), dict(seed=1), dict(segment=SEGMENT.model_copy(update={"seed_offset": 3})),
], ids=["signal-thresholds", "qc-mode", "speech-settings", "takes", "max-attempts", "render-seed", "retake"])
def test_qc_settings_and_the_seed_plan_change_only_the_segment_key(change):
    """A changed QC setting re-checks the takes it finds cached: their keys stay. (The render's seed
    moves which take seeds a segment uses; each take's key has its own seed.)"""
    take_key, segment_key = keys()
    changed = keys(**change)
    assert changed[0] == take_key and changed[1] != segment_key


def test_keys_ignore_batch_size_the_voice_name_and_the_pause():
    """Batching never changes a row; the voice is pinned by its digest, not its name; pauses are mastering."""
    other = SEGMENT.model_copy(update={"voice": "/books/locked.npz", "pause_after": 2.0})
    assert keys(batch_size=32) == keys() == keys(segment=other)


def test_compile_is_keyed_through_the_model_fingerprint():
    assert keys(compile=True) == keys()
    assert keys(compile=True, model_fingerprint="f1-compiled") != keys()


@contextmanager
def pool_of(engine, checker=None):
    """A pool whose every engine is `engine` (and speech checker `checker`): passed in, nothing patched."""
    with EnginePool(open_engine=lambda key: engine, open_checker=lambda settings: checker) as pool:
        yield pool


def test_a_failing_segment_gets_the_next_seeds_and_keeps_the_best_take():
    engine = ScriptedEngine([0.2, 9.0, 1.3])  # truncated, babbling, fine for 1 s of text
    with pool_of(engine) as pool:
        result = render_segment(SEGMENT, SETTINGS.model_copy(update={"seed": 10}), pool, MemoryStore())
    assert [c[0] for c in engine.calls] == [10, 11, 12] and result.seed == 12
    assert [a.passed for a in result.attempts] == [False, False, True] and result.kept.passed
    assert all(cap == babble_cap_seconds(1.0) for _, cap in engine.calls)


def test_a_second_choice_with_other_qc_settings_takes_the_stored_takes():
    engine, store = ScriptedEngine([0.2, 9.0, 1.3]), MemoryStore()
    with pool_of(engine) as pool:
        strict = render_segment(SEGMENT, SETTINGS, pool, store)
        lenient = render_segment(SEGMENT, SETTINGS.model_copy(update={"qc": QCSettings(min_duration_ratio=0.1)}), pool,
                                 store)
    assert len(engine.calls) == 3 and len(store.records) == 3  # no new generation
    assert (strict.seed, lenient.seed) == (2, 0)  # 0.2 s is no longer "too short" for 1 s of text


def test_a_render_task_outside_a_lent_pool_fails_in_one_line():
    with pytest.raises(BarkbookError, match="no engine pool is lent here"):
        lent_pool()


class FakeChecker:
    """Stands in for tasks.qc.speech.SpeechChecker: hears fewer words the further a take's length is from 1.3 s."""

    def __init__(self):
        self.embedded, self.references = 0, []

    def embed(self, audio, sample_rate):
        self.embedded += 1
        return np.ones(3)

    def check(self, audio, sample_rate, text, *, reference=None, running=None):
        self.references.append(reference)
        match = max(0.0, 1 - abs(len(audio) / sample_rate - 1.3))
        return SpeechCheck(word_match=match, missing=[], extra=[], words=[], voice_similarity=0.9,
                           running_similarity=None, lead_s=0.0, trail_s=0.0, longest_gap_s=0.0, speech_s=1.0,
                           problems=[] if match > 0.95 else ["words"])


def test_speech_qc_checks_every_take_against_the_voice_reference_made_once():
    engine, checker, store = ScriptedEngine([0.2, 1.0, 1.3, 3.0, 1.3]), FakeChecker(), MemoryStore()
    speech = SETTINGS.model_copy(update={"qc_mode": "speech", "speech_qc": SpeechQCSettings()})
    with pool_of(engine, checker) as pool:
        first = render_segment(SEGMENT, speech, pool, store)
        second = render_segment(SEGMENT.model_copy(update={"id": "def"}), speech, pool, store)
    assert checker.embedded == 1 and len(checker.references) == 5 and all(r is not None for r in checker.references)
    assert [(a.seed, a.passed) for a in first.attempts] == [(0, False), (1, False), (2, True)] and first.seed == 2
    assert (second.seed, second.kept.speech.word_match) == (1, 1.0)


def test_decoding_a_takes_tokens_gives_the_audio_it_was_generated_with(tiny_model_dir):
    """Why a take's record may hold tokens instead of audio: the codec is deterministic, alone or batched."""
    bark = BarkEngine.load(str(tiny_model_dir))
    gens = bark.generate_batch(["Hello there.", "A longer sentence than the first one."], [None, None], seeds=[1, 2],
                               max_seconds=[2.0, 2.0])  # random weights never stop on their own: 2 s is plenty
    decoded = BatchingEngine(bark).decode([g.fine.astype(np.int16) for g in reversed(gens)])
    assert all(np.array_equal(d, g.audio) for d, g in zip(decoded, reversed(gens)))


def test_failures_a_person_must_fix_are_not_retried():
    for fixable in (CompileError("torch.compile failed"), CheckpointError("coarse.pt: truncated"),
                    PlanMismatchError("voice 'narrator.npz' is not what the plan pinned")):
        assert worth_retrying(fixable) is False
        tries, waits = [], []

        def make(error=fixable):
            tries.append(1)
            raise error

        with pytest.raises(type(fixable)):
            with_retries(make, "1.1 x", sleep=waits.append)
        assert (tries, waits) == ([1], [])  # tried once, no wait
    for passing in (MemoryError("out of memory"), RuntimeError("CUDA error: unspecified launch failure")):
        assert worth_retrying(passing) is True


def test_a_failure_that_may_pass_is_tried_twice_more_after_2_and_10_s():
    outcomes, waits = [MemoryError("out of memory"), RuntimeError("CUDA error"), "made"], []

    def make():
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert with_retries(make, "1.1 x", sleep=waits.append) == "made" and waits == [2.0, 10.0]
    outcomes[:] = [MemoryError("a"), MemoryError("b"), MemoryError("c")]
    with pytest.raises(MemoryError, match="c"):
        with_retries(make, "1.1 x", sleep=waits.append)


class MemoryStore:
    """Stands in for the segment task's result store."""

    def __init__(self):
        self.records = {}

    def exists(self, key):
        return key in self.records

    def read(self, key):
        return SimpleNamespace(result=self.records[key])

    def write(self, obj, key):
        self.records[key] = obj


class ScriptedEngine:
    """Returns audio whose length follows a script, one entry per call; records seeds and caps."""

    def __init__(self, seconds):
        self.seconds = list(seconds)
        self.calls = []

    def generate(self, text, voice, params, seed, max_seconds):
        self.calls.append((seed, max_seconds))
        n = int(self.seconds.pop(0) * 24_000)
        audio = (np.random.default_rng(seed).standard_normal(n) * 0.1).astype(np.float32)
        frames = n // 320
        return Generation(np.zeros(1, np.int64), np.zeros((2, frames), np.int64), np.zeros((8, frames), np.int64), audio)

    def decode(self, fine_rows):
        return [np.zeros(r.shape[-1] * 320, np.float32) for r in fine_rows]


@pytest.mark.parametrize("qc_mode", ["signal", "speech"])
def test_settings_read_back_from_their_json_are_the_same_typed_settings_and_keys(qc_mode):
    """A chapter deployment run gets its plan as JSON: the settings it rebuilds must key the same records."""
    settings = RenderSettings(model="small", model_fingerprint="f1", qc_mode=qc_mode,
                              params=GenerationParams(autocast="bfloat16"), qc=QCSettings(min_rms_dbfs=-40))
    again = RenderSettings.model_validate(settings.model_dump(mode="json"))
    assert again == settings and isinstance(again.params, GenerationParams)
    assert (again.speech_qc is None) == (qc_mode != "speech")
    assert take_cache_key(SEGMENT, again, 0) == take_cache_key(SEGMENT, settings, 0)
    assert (segment_cache_key(SEGMENT, again)
            == segment_cache_key(SEGMENT, settings))


def test_the_render_tasks_carry_no_tags():
    """Prefect 3.9's task engine asks the server for a concurrency slot before each run of a tagged task, limit or
    none: a request a busy SQLite server answered 503, which failed 4 chapter runs of a 5,000-segment book."""
    from tasks.render.voices import lock_generated_voices

    assert render_segments.tags == set() and lock_generated_voices.tags == set()
