"""Generated voices: made once, saved beside the outputs, then locked for every later run."""

import numpy as np

from bark_model import load_voice
from tasks.voice import GENERATE, lock_generated_voices, lock_voice, locked_voice_path


def test_a_generated_voice_is_saved_and_then_reused_unchanged(tmp_path):
    path = lock_voice("narrator", tmp_path, "random-tiny", "cpu", "float32", seed=3)
    assert path == str(tmp_path / "voices" / "narrator.npz")
    voice = load_voice(path)
    assert voice.semantic.size > 0 and voice.coarse.shape[0] == 2 and voice.fine.shape[0] == 8
    stamp = locked_voice_path(tmp_path, "narrator").stat().st_mtime_ns

    again = lock_voice("narrator", tmp_path, "random-tiny", "cpu", "float32", seed=4)  # another seed: still locked
    assert again == path and locked_voice_path(tmp_path, "narrator").stat().st_mtime_ns == stamp


def test_the_same_seed_generates_the_same_voice(tmp_path):
    a = load_voice(lock_voice("narrator", tmp_path / "a", "random-tiny", "cpu", "float32", seed=5))
    b = load_voice(lock_voice("narrator", tmp_path / "b", "random-tiny", "cpu", "float32", seed=5))
    assert a == b and np.array_equal(a.coarse, b.coarse)


def test_only_generate_entries_are_replaced_and_names_are_safe_file_names(tmp_path):
    voices = {"narrator": "v2/en_speaker_6", "Mr. Fox/1": GENERATE}
    locked = lock_generated_voices(voices, tmp_path, "random-tiny", "cpu", "float32", seed=0)
    assert locked["narrator"] == "v2/en_speaker_6"
    assert locked["Mr. Fox/1"] == str(tmp_path / "voices" / "Mr-Fox-1.npz")
