"""Generated voices: made once with the render's engine, saved beside the outputs, then locked for every later run."""

import numpy as np
import pytest

from bark_model import load_voice, resolve_model
from bark_model.engine import engine_fingerprint
from tasks.render.engines import EngineKey, EnginePool, lend, load_engine
from tasks.plan.planning import RenderSettings
from tasks.render.voices import GENERATE, lock_generated_voices, lock_voice, locked_voice_path


def settings(seed: int) -> RenderSettings:
    fingerprint = engine_fingerprint(resolve_model("random-tiny"), "cpu", "float32")
    return RenderSettings(model="random-tiny", model_fingerprint=fingerprint, device="cpu", dtype="float32",
                          seed=seed, batch_size=2)


@pytest.fixture
def pool():
    with EnginePool() as pool, lend(pool):
        yield pool


def test_a_generated_voice_is_saved_and_then_reused_unchanged(pool, tmp_path):
    path = lock_voice("narrator", tmp_path, settings(seed=3), pool)
    assert path == str(tmp_path / "voices" / "narrator.npz")
    voice = load_voice(path)
    assert voice.semantic.size > 0 and voice.coarse.shape[0] == 2 and voice.fine.shape[0] == 8
    stamp = locked_voice_path(tmp_path, "narrator").stat().st_mtime_ns

    again = lock_voice("narrator", tmp_path, settings(seed=4), pool)  # another seed: still locked
    assert again == path and locked_voice_path(tmp_path, "narrator").stat().st_mtime_ns == stamp


def test_the_same_seed_generates_the_same_voice(pool, tmp_path):
    a = load_voice(lock_voice("narrator", tmp_path / "a", settings(seed=5), pool))
    b = load_voice(lock_voice("narrator", tmp_path / "b", settings(seed=5), pool))
    assert a == b and np.array_equal(a.coarse, b.coarse)


def test_only_generate_entries_are_replaced_and_names_are_safe_file_names(pool, tmp_path):
    voices = {"narrator": "v2/en_speaker_6", "Mr. Fox/1": GENERATE}
    locked = lock_generated_voices.fn(voices, tmp_path, settings(seed=0))
    assert locked["narrator"] == "v2/en_speaker_6"
    assert locked["Mr. Fox/1"] == str(tmp_path / "voices" / "Mr-Fox-1.npz")


def test_a_voice_is_made_with_the_engine_its_render_then_uses(tmp_path):
    opened = []

    def open_engine(key):
        opened.append(key)
        return load_engine(key)

    with EnginePool(open_engine=open_engine) as pool, lend(pool):
        lock_voice("narrator", tmp_path, settings(seed=0), pool)
        pool.engine(EngineKey.of(settings(seed=7)))  # what a segment of this render asks for
    assert opened == [EngineKey.of(settings(seed=0))]
