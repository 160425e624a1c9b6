"""Fast modes run and give usable output: bf16 autocast and a short coarse history.

Their quality cost (token agreement, log-mel distance) is measured by benchmarks/bench_engine.py,
not asserted here: these tests check that each mode runs and gives finite audio of the right length.
"""

import types
from pathlib import Path

import numpy as np
import pytest
import torch

from bark_model import BarkEngine, GenerationParams
from bark_model import generation as gen
from bark_model.checkpoints import load_bark_models, resolve_model
from bark_model.constants import SEMANTIC_TO_COARSE_RATIO

PRESET = Path(__file__).parents[1] / "bark_model" / "presets" / "v2" / "en_speaker_6.npz"
HOP = 320  # audio samples per codec frame


@pytest.fixture(scope="module")
def models(tiny_model_dir):
    return load_bark_models(resolve_model(tiny_model_dir))


def voice():
    with np.load(PRESET, allow_pickle=False) as npz:
        return types.SimpleNamespace(semantic=npz["semantic_prompt"], coarse=npz["coarse_prompt"], fine=npz["fine_prompt"])


def render(models, **params):
    """Two rows of text through BarkEngine in a fast mode → each row's tokens and audio."""
    rows = BarkEngine(models).generate_batch(["Hello there, my friend."] * 2, [voice()] * 2,
                                             GenerationParams(**params), seeds=[0, 1], max_seconds=[1.0, 1.6])
    return [[getattr(row, k) for row in rows] for k in ("semantic", "coarse", "fine", "audio")]


def assert_finite_audio_of_the_right_length(semantic, coarse, fine, audio):
    for s, c, f, a in zip(semantic, coarse, fine, audio):
        assert len(s) > 0
        assert c.shape == (2, int(np.floor(len(s) * SEMANTIC_TO_COARSE_RATIO / 2)))
        assert f.shape == (8, c.shape[1]) and (f >= 0).all() and (f < 1024).all()
        assert a.dtype == np.float32 and len(a) == HOP * f.shape[1]
        assert np.isfinite(a).all() and np.abs(a).max() > 0


def test_bf16_autocast_on_cpu_gives_finite_audio_of_the_right_length(models):
    assert_finite_audio_of_the_right_length(*render(models, autocast="bfloat16"))


def test_short_coarse_history_gives_finite_audio_of_the_right_length(models):
    assert_finite_audio_of_the_right_length(*render(models, max_coarse_history=60))


def test_kv_cache_follows_the_autocast_dtype(models):
    with gen.autocast("cpu", "bfloat16"):
        assert models.coarse.new_caches(1, 8)[0].k.dtype == torch.bfloat16
    assert models.coarse.new_caches(1, 8)[0].k.dtype == torch.float32


def test_unknown_autocast_dtype_is_refused():
    with pytest.raises(ValueError, match="float8"):
        gen.autocast("cpu", "float8")


def weight_casts_in_semantic(models, seconds: float) -> int:
    """Casts of Linear weights while the semantic stage decodes `seconds` of speech under CPU bf16 autocast."""
    from torch.profiler import profile

    weights = [list(m.weight.shape) for m in models.text.modules() if isinstance(m, torch.nn.Linear)]
    ids = [models.tokenizer.encode("Hello there, my friend.")]
    with gen.autocast("cpu", "bfloat16"), profile(record_shapes=True) as prof:
        gen.generate_semantic(models.text, ids, [voice()], [torch.Generator().manual_seed(0)],
                              max_gen_duration_s=[seconds])
    return sum(e.count for e in prof.key_averages(group_by_input_shape=True)
               if e.key == "aten::_to_copy" and e.input_shapes and e.input_shapes[0] in weights)


def test_autocast_casts_each_weight_once_per_call_not_every_step(models):
    """Under inference_mode autocast re-casts every weight at every step (its cast cache is off there);
    the stages run under no_grad when autocast is on, so each weight is cast once, however long the call."""
    n_weights = sum(1 for m in models.text.modules() if isinstance(m, torch.nn.Linear))
    assert weight_casts_in_semantic(models, 1.0) == weight_casts_in_semantic(models, 2.0) == n_weights


def test_stages_run_without_autograd_in_either_mode(models):
    seen = []
    probe = gen.without_autograd(lambda: seen.append((torch.is_grad_enabled(), torch.is_inference_mode_enabled())))
    probe()
    with gen.autocast("cpu", "bfloat16"):
        probe()
    assert seen == [(False, True), (False, False)]  # inference_mode when exact; no_grad under autocast
