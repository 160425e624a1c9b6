"""Render: what the cache key depends on, and QC-driven retries with the next seed."""

import numpy as np
from prefect.states import Failed

from bark_model.engine import Generation, GenerationParams
from bark_model.errors import CheckpointError, CompileError
from tasks import render
from tasks.qc import QCSettings
from tasks.render import babble_cap_seconds, render_with_qc, segment_cache_key, worth_retrying

BASE = dict(segment_id="abc", spoken="Hello.", expected_seconds=1.0, voice="v2/en_speaker_6", voice_digest="d1",
            model="small", model_fingerprint="f1", device="cpu", dtype="float32", seed=0, params={}, qc={},
            max_attempts=3, batch_size=8)


def key(**changes):
    return segment_cache_key(None, BASE | changes)


def test_key_names_the_segment_and_changes_with_what_determines_audio():
    assert key().startswith("render-segment-v") and "-abc-" in key()
    for change in [dict(spoken="Hello!"), dict(voice_digest="d2"), dict(model_fingerprint="f2"), dict(seed=1),
                   dict(params={"text_temp": 0.6}), dict(dtype="bfloat16"), dict(qc={"max_duration_ratio": 2})]:
        assert key(**change) != key(), change


def test_key_ignores_batch_size_and_the_voice_name():
    """Batching never changes a row; the voice is pinned by its digest, not its name."""
    assert key(batch_size=32) == key()
    assert key(voice="/books/locked.npz") == key()


def test_compile_is_keyed_through_the_model_fingerprint_so_older_keys_stay_valid():
    """BASE predates the `compile` parameter: an uncompiled render keeps the key it had."""
    assert key(compile=False) == key(compile=True) == key()
    assert key(compile=True, model_fingerprint="f1-compiled") != key()


def test_a_segment_asks_for_the_engine_of_its_mode(monkeypatch):
    asked = []
    monkeypatch.setattr(render, "shared_engine", lambda *args: asked.append(args) or ScriptedEngine([1.0] * 3))
    monkeypatch.setattr(render, "cached_voice", lambda name: None)
    render.render_segment.fn(**BASE, compile=True)
    render.render_segment.fn(**BASE | {"params": {"autocast": "bfloat16"}})
    assert asked == [("small", "cpu", "float32", 8, True, None), ("small", "cpu", "float32", 8, False, "bfloat16")]


def test_shared_engines_are_kept_apart_by_compile(tiny_model_dir, monkeypatch):
    """torch.compile is lazy: loading a compiled engine compiles nothing yet."""
    monkeypatch.setattr(render, "_engines", {})
    plain = render.shared_engine(str(tiny_model_dir), "cpu", "float32")
    compiled = render.shared_engine(str(tiny_model_dir), "cpu", "float32", compile=True)
    assert compiled is not plain and (plain.engine.compiled, compiled.engine.compiled) == (False, True)
    assert render.shared_engine(str(tiny_model_dir), "cpu", "float32", compile=True) is compiled


def test_failures_a_person_must_fix_are_not_retried():
    assert render.render_segment.retry_condition_fn is worth_retrying and render.render_segment.retries == 2
    for fixable in (CompileError("torch.compile failed"), CheckpointError("coarse.pt: truncated")):
        assert worth_retrying(None, None, Failed(data=fixable)) is False
    for passing in (MemoryError("out of memory"), RuntimeError("CUDA error: unspecified launch failure")):
        assert worth_retrying(None, None, Failed(data=passing)) is True


class ScriptedEngine:
    """Returns audio whose length follows a script, one entry per call; records seeds and caps."""

    def __init__(self, seconds):
        self.seconds = list(seconds)
        self.calls = []

    def generate(self, text, voice, params, seed, max_seconds):
        self.calls.append((seed, max_seconds))
        n = int(self.seconds.pop(0) * 24_000)
        audio = (np.random.default_rng(seed).standard_normal(n) * 0.1).astype(np.float32)
        return Generation(np.zeros(1, np.int64), np.zeros((2, 1), np.int64), np.zeros((8, 1), np.int64), audio)


def test_a_failing_segment_is_regenerated_with_the_next_seed():
    engine = ScriptedEngine([0.2, 9.0, 3.0])  # truncated, babbling, fine
    gen, seed, attempts = render_with_qc(engine, "Hi.", None, GenerationParams(), 10, 3.0, QCSettings(), 5)
    assert seed == 12 and [c[0] for c in engine.calls] == [10, 11, 12]
    assert [bool(a["problems"]) for a in attempts] == [True, True, False]
    assert gen.seconds == 3.0


def test_after_the_last_attempt_the_least_bad_one_is_kept():
    engine = ScriptedEngine([0.2, 9.0, 0.1])  # all fail; 9 s is the closest to the 3 s predicted
    gen, seed, attempts = render_with_qc(engine, "Hi.", None, GenerationParams(), 0, 3.0, QCSettings(), 3)
    assert len(attempts) == 3 and gen.seconds == 9.0 and seed == 1


def test_every_attempt_is_capped_by_the_text_length():
    engine = ScriptedEngine([3.0])
    render_with_qc(engine, "Hi.", None, GenerationParams(), 0, 3.0, QCSettings(), 3)
    assert engine.calls[0][1] == babble_cap_seconds(3.0) < 15.4
