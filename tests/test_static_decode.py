"""Fixed-shape decoding (`GPT.use_static_decode`, what CUDA graphs need): the same tokens as the usual
path, with rows of different lengths, rows finishing at different steps, and a cache reused by a
smaller batch. On CPU this runs eagerly; the compiled step is traced here too (one graph, no breaks).
"""

import shutil

import numpy as np
import pytest
import torch

from bark_model import generation as gen
from bark_model.checkpoints import load_bark_models, resolve_model
from test_generation import GREEDY, generators, voice


@pytest.fixture(scope="module")
def usual(tiny_model_dir):
    return load_bark_models(resolve_model(tiny_model_dir))


@pytest.fixture
def static(tiny_model_dir):
    models = load_bark_models(resolve_model(tiny_model_dir))
    for gpt in (models.text, models.coarse):
        gpt.use_static_decode()
    return models


def assert_same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


TEXTS = [[101, 2000, 2001], [7] * 40, [300, 301]]
CAPS = [0.2, 0.5, 0.3]  # rows leave the batch at different steps
HISTORIES = [None, voice("en_speaker_6"), voice("de_speaker_3")]


@pytest.mark.parametrize("sampling", [GREEDY, {}], ids=["greedy", "seeded"])
def test_semantic_tokens_equal_the_usual_path(usual, static, sampling):
    run = lambda models, n=3: gen.generate_semantic(  # noqa: E731
        models.text, TEXTS[:n], HISTORIES[:n], generators(n), **sampling, max_gen_duration_s=CAPS[:n])
    expected = run(usual)
    assert len({len(t) for t in expected}) == 3
    assert_same(run(static), expected)
    cache = static.text.transformer.h[0].attn.kv_cache
    assert cache.k.shape[:3] == (3, static.text.config.n_head, static.text.config.block_size)  # kept for reuse
    assert_same(run(static, 2), run(usual, 2))  # a smaller batch: the third cache row rides along
    assert static.text.transformer.h[0].attn.kv_cache is cache


@pytest.mark.parametrize("sampling", [GREEDY, {}], ids=["greedy", "seeded"])
def test_coarse_tokens_equal_the_usual_path_with_left_padded_rows(usual, static, sampling):
    rng = np.random.default_rng(1)
    semantic = [rng.integers(0, 10_000, n) for n in (30, 50, 12)]  # rows end in different windows
    histories = [voice("en_speaker_6"), None, voice("en_speaker_2")]
    run = lambda models: gen.generate_coarse(models.coarse, semantic, histories, generators(3), **sampling)  # noqa: E731
    expected = run(usual)
    assert [c.shape[1] for c in expected] == [45, 75, 18]
    assert_same(run(static), expected)


def test_an_autocast_call_gets_a_cache_of_its_own_dtype(static):
    static.text.setup_cache(2, 100)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        static.text.setup_cache(2, 100)
    assert static.text.transformer.h[0].attn.kv_cache.k.dtype == torch.bfloat16


@pytest.mark.skipif(shutil.which("c++") is None and shutil.which("g++") is None,
                    reason="torch.compile on CPU needs a C++ compiler")
def test_the_compiled_step_is_one_graph_and_gives_the_same_tokens(usual, static):
    """fullgraph=True: a graph break would raise. What a CUDA graph captures is this same graph."""
    for gpt in (static.text, static.coarse):
        gpt.use_static_decode(lambda step: torch.compile(step, fullgraph=True, dynamic=False))
    torch._dynamo.reset()
    expected = gen.generate_semantic(usual.text, TEXTS[:2], HISTORIES[:2], generators(2), **GREEDY,
                                     max_gen_duration_s=CAPS[:2])
    got = gen.generate_semantic(static.text, TEXTS[:2], HISTORIES[:2], generators(2), **GREEDY,
                                max_gen_duration_s=CAPS[:2])
    assert_same(got, expected)
