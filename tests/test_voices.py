"""Voices: every shipped preset loads, any .npz is validated, nothing is ever unpickled."""

from pathlib import Path

import numpy as np
import pytest

from bark_model.errors import VoiceError
from bark_model.voices import VoicePrompt, list_presets, load_voice
from reference_oracle import reference_bark

KEYS = ("semantic_prompt", "coarse_prompt", "fine_prompt")


def reference_prompts_dir() -> Path:
    return Path(reference_bark().generation.__file__).parent / "assets" / "prompts"


def a_voice(seed=0, frames=6) -> VoicePrompt:
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 1024, (2, frames))
    return VoicePrompt(rng.integers(0, 10_000, 4), coarse, np.vstack([coarse, rng.integers(0, 1024, (6, frames))]))


def write_npz(path, **arrays):
    np.savez(path, **arrays)
    return path


def test_the_presets_are_the_references_271():
    shipped = sorted(str(p.relative_to(reference_prompts_dir()).with_suffix(""))
                     for p in reference_prompts_dir().rglob("*.npz"))
    assert list_presets() == shipped
    assert {"announcer", "en_speaker_6", "v2/en_speaker_6", "v2/zh_speaker_9", "speaker_0"} <= set(list_presets())


def test_every_preset_loads_as_int64_with_matching_lengths():
    for name in list_presets():
        voice = load_voice(name)
        assert all(a.dtype == np.int64 for a in voice.arrays()), name
        assert voice.coarse.shape[0] == 2 and voice.fine.shape == (8, voice.coarse.shape[1]), name


def test_a_preset_holds_the_references_tokens():
    with np.load(reference_prompts_dir() / "v2" / "en_speaker_6.npz") as ref:
        voice = load_voice("v2/en_speaker_6")
        for array, key in zip(voice.arrays(), KEYS):
            assert np.array_equal(array, ref[key])


def test_an_unknown_name_suggests_close_presets():
    with pytest.raises(VoiceError, match=r"unknown voice 'v2/en_speker_6'.*did you mean v2/en_speaker_6"):
        load_voice("v2/en_speker_6")


def test_save_then_load_gives_the_same_voice(tmp_path):
    voice = a_voice()
    path = voice.save(tmp_path / "sub" / "locked.npz")
    assert load_voice(path) == voice
    with np.load(path, allow_pickle=False) as data:
        assert sorted(data.files) == sorted(KEYS)


def test_save_replaces_atomically_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "voice.npz"
    path.write_bytes(b"old")
    a_voice(1).save(path)
    assert load_voice(str(path)) == a_voice(1)
    assert [p.name for p in tmp_path.iterdir()] == ["voice.npz"]


def test_digest_follows_content_dtype_independent_shape_dependent():
    voice = a_voice()
    assert voice.digest() == a_voice().digest()
    same_in_int32 = VoicePrompt(*(a.astype(np.int32) for a in voice.arrays()))
    assert same_in_int32.digest() == voice.digest()
    changed = voice.semantic.copy()
    changed[0] = (changed[0] + 1) % 10_000
    assert VoicePrompt(changed, voice.coarse, voice.fine).digest() != voice.digest()
    reshaped = VoicePrompt(voice.semantic, voice.coarse[:, :3], voice.fine[:, :3])
    assert reshaped.digest() != VoicePrompt(voice.semantic, voice.coarse[:, 3:], voice.fine[:, 3:]).digest()


def test_a_voice_cannot_be_changed_after_construction():
    semantic = np.arange(4)
    voice = VoicePrompt(semantic, np.zeros((2, 3), np.int64), np.zeros((8, 3), np.int64))
    semantic[0] = 99  # the caller's array is not the voice's
    assert voice.semantic[0] == 0
    with pytest.raises(ValueError):
        voice.semantic[0] = 5


GOOD = dict(semantic_prompt=np.arange(4), coarse_prompt=np.zeros((2, 6), np.int64), fine_prompt=np.zeros((8, 6), np.int64))


@pytest.mark.parametrize("change, problem", [
    (dict(semantic_prompt=None), "lacks semantic_prompt"),
    (dict(semantic_prompt=np.zeros((2, 2), np.int64)), "semantic_prompt must be a non-empty 1-D"),
    (dict(semantic_prompt=np.zeros(0, np.int64)), "semantic_prompt must be a non-empty 1-D"),
    (dict(coarse_prompt=np.zeros((3, 6), np.int64)), r"coarse_prompt must be 2×T"),
    (dict(coarse_prompt=np.zeros((2, 0), np.int64), fine_prompt=np.zeros((8, 0), np.int64)), r"coarse_prompt must be 2×T"),
    (dict(fine_prompt=np.zeros((7, 6), np.int64)), r"fine_prompt must be 8×T"),
    (dict(fine_prompt=np.zeros((8, 5), np.int64)), "fine_prompt has 5 frames but coarse_prompt 6"),
    (dict(coarse_prompt=np.zeros((2, 6), np.float32)), "coarse_prompt must hold integers"),
    (dict(semantic_prompt=np.array([1, 10_000])), r"semantic_prompt values must lie in 0\.\.9999"),
    (dict(fine_prompt=np.full((8, 6), 1024)), r"fine_prompt values must lie in 0\.\.1023"),
    (dict(coarse_prompt=np.full((2, 6), -1)), r"coarse_prompt values must lie in 0\.\.1023"),
])
def test_a_malformed_voice_file_is_refused_with_its_problem(tmp_path, change, problem):
    arrays = {k: v for k, v in (GOOD | change).items() if v is not None}
    path = write_npz(tmp_path / "bad.npz", **arrays)
    with pytest.raises(VoiceError, match=rf"bad\.npz: .*{problem}"):
        load_voice(path)


def test_the_good_arrays_above_do_load(tmp_path):
    assert load_voice(write_npz(tmp_path / "good.npz", **GOOD)).fine.shape == (8, 6)


class Trap:
    """Unpickling this would leave a file behind."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_pickled_object_array_is_refused_not_unpickled(tmp_path):
    marker = tmp_path / "unpickled"
    trap = np.empty(1, dtype=object)
    trap[0] = Trap(marker)
    path = write_npz(tmp_path / "evil.npz", **(GOOD | dict(semantic_prompt=trap)))
    with pytest.raises(VoiceError, match=r"evil\.npz: refused"):
        load_voice(path)
    assert not marker.exists()


def test_a_truncated_file_is_refused(tmp_path):
    data = a_voice().save(tmp_path / "whole.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(VoiceError, match=r"cut\.npz: unreadable or truncated"):
        load_voice(tmp_path / "cut.npz")


def test_a_file_that_is_not_an_npz_is_refused(tmp_path):
    (tmp_path / "notes.npz").write_text("not a zip at all")
    with pytest.raises(VoiceError, match=r"notes\.npz"):
        load_voice(tmp_path / "notes.npz")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(VoiceError, match=r"missing\.npz: no such voice file"):
        load_voice(tmp_path / "missing.npz")


def test_invalid_arrays_cannot_make_a_voice_prompt():
    with pytest.raises(VoiceError, match="invalid voice prompt: fine_prompt must be 8×T"):
        VoicePrompt(np.arange(3), np.zeros((2, 4), np.int64), np.zeros((2, 4), np.int64))
