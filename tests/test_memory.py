"""default_batch_size: as many rows as the free memory holds, never fewer than one."""

import pytest
import torch

from bark_model.checkpoints import load_bark_models, resolve_model
from bark_model.memory import (
    COARSE_PROMPT,
    COARSE_WINDOW,
    MAX_BATCH,
    available_bytes,
    batch_cap,
    cast_bytes,
    default_batch_size,
    model_shape,
    row_bytes,
)

GB = 1024**3


@pytest.fixture(scope="module")
def models(tiny_model_dir):
    return load_bark_models(resolve_model(tiny_model_dir))


def test_more_free_memory_never_means_a_smaller_batch():
    sizes = [default_batch_size("small", "cuda", free_bytes=n * GB) for n in range(1, 65)]
    assert sizes == sorted(sizes) and sizes[0] == 1 and sizes[-1] == 32


def test_too_little_memory_still_gives_one_row():
    assert default_batch_size("large", free_bytes=0) == 1


def test_the_batch_is_capped_per_device_or_as_asked():
    assert default_batch_size("small", "cpu", free_bytes=1024 * GB) == MAX_BATCH["cpu"] == 8
    assert default_batch_size("small", "cuda", free_bytes=1024 * GB) == MAX_BATCH["cuda"] == 32
    assert default_batch_size("small", free_bytes=1024 * GB, max_batch=16) == 16
    assert batch_cap("cuda:1") == 32 and batch_cap("mps") == batch_cap("cpu") == 8


def test_a_large_row_costs_more_than_a_small_one():
    assert row_bytes(*model_shape("large")[:3]) > row_bytes(*model_shape("small")[:3])
    assert default_batch_size("large", "cuda", free_bytes=16 * GB) < default_batch_size("small", "cuda", free_bytes=16 * GB)


def test_loaded_models_do_not_pay_for_their_weights_again(models):
    free = 2 * GB
    assert default_batch_size(models, free_bytes=free) >= default_batch_size("tiny", free_bytes=free)
    assert model_shape(models)[:3] == (2, 2, 32)


def test_a_row_estimate_covers_the_coarse_kv_cache_it_allocates(models):
    caches = models.coarse.new_caches(1, COARSE_PROMPT + COARSE_WINDOW)
    assert sum(c.k.nbytes + c.v.nbytes for c in caches) < row_bytes(*model_shape(models)[:3])


def test_unknown_model_names_are_refused_with_the_choices():
    with pytest.raises(ValueError, match="small"):
        default_batch_size("medium")


def test_the_host_reports_some_free_memory():
    assert available_bytes("cpu") > 0
    assert 1 <= default_batch_size("small") <= 8


def test_autocast_reserves_the_half_precision_copy_of_every_matmul_weight(models):
    """What autocast caches for a call: each Linear weight (and tied fine head) once, in 2 bytes."""
    linear = sum(m.weight.numel() for gpt in (models.text, models.coarse, models.fine)
                 for m in gpt.modules() if isinstance(m, torch.nn.Linear))
    n_layer, _, n_embd, *_ = model_shape(models)
    assert cast_bytes(n_layer, n_embd) == 2 * linear
    exact, fast = (default_batch_size("large", "cuda", free_bytes=24 * GB, autocast=a) for a in (None, "bfloat16"))
    assert 1 <= fast < exact


def test_compiled_decoding_reserves_the_caches_it_keeps():
    for device, free in (("cuda", 24 * GB), ("cpu", 10 * GB)):
        uncompiled = default_batch_size("large", device, free_bytes=free)
        assert 1 <= default_batch_size("large", device, free_bytes=free, compile=True) < uncompiled
