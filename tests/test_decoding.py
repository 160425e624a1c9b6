"""Fixed-shape decoding (`StaticDecoder`, what CUDA graphs need): the same tokens as the eager
`Decoder`, with rows of different lengths, rows finishing at different steps, and a cache reused by a
smaller batch. On CPU this runs eagerly; the compiled step is traced here too (one graph, no breaks).
"""

import shutil

import numpy as np
import pytest
import torch

from bark_model import generation as gen
from bark_model.checkpoints import load_bark_models, resolve_model
from bark_model.decoding import StaticDecoder
from test_generation import GREEDY, generators, voice


@pytest.fixture(scope="module")
def models(tiny_model_dir):
    return load_bark_models(resolve_model(tiny_model_dir))


@pytest.fixture
def static(models):
    """Fresh fixed-shape decoders of the text and coarse GPTs, run eagerly."""
    return {"text": StaticDecoder(models.text), "coarse": StaticDecoder(models.coarse)}


def assert_same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


TEXTS = [[101, 2000, 2001], [7] * 40, [300, 301]]
CAPS = [0.2, 0.5, 0.3]  # rows leave the batch at different steps
HISTORIES = [None, voice("en_speaker_6"), voice("de_speaker_3")]


@pytest.mark.parametrize("sampling", [GREEDY, {}], ids=["greedy", "seeded"])
def test_semantic_tokens_equal_the_eager_decoder(models, static, sampling):
    run = lambda decoder, n=3: gen.generate_semantic(  # noqa: E731
        models.text, TEXTS[:n], HISTORIES[:n], generators(n), **sampling, max_gen_duration_s=CAPS[:n], static=decoder)
    expected = run(None)
    assert len({len(t) for t in expected}) == 3
    assert_same(run(static["text"]), expected)
    cache = static["text"].caches[0]
    assert cache.k.shape[:3] == (3, models.text.config.n_head, models.text.config.block_size)  # kept for reuse
    assert_same(run(static["text"], 2), run(None, 2))  # a smaller batch: the third cache row rides along
    assert static["text"].caches[0] is cache


@pytest.mark.parametrize("sampling", [GREEDY, {}], ids=["greedy", "seeded"])
def test_coarse_tokens_equal_the_eager_decoder_with_left_padded_rows(models, static, sampling):
    rng = np.random.default_rng(1)
    semantic = [rng.integers(0, 10_000, n) for n in (30, 50, 12)]  # rows end in different windows
    histories = [voice("en_speaker_6"), None, voice("en_speaker_2")]
    run = lambda decoder: gen.generate_coarse(  # noqa: E731
        models.coarse, semantic, histories, generators(3), **sampling, static=decoder)
    expected = run(None)
    assert [c.shape[1] for c in expected] == [45, 75, 18]
    assert_same(run(static["coarse"]), expected)


def test_an_autocast_call_gets_a_cache_of_its_own_dtype(static):
    static["text"].start(2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        static["text"].start(2)
    assert static["text"].caches[0].k.dtype == torch.bfloat16


@pytest.mark.skipif(shutil.which("c++") is None and shutil.which("g++") is None,
                    reason="torch.compile on CPU needs a C++ compiler")
def test_the_compiled_step_is_one_graph_and_gives_the_same_tokens(models):
    """fullgraph=True: a graph break would raise. What a CUDA graph captures is this same graph."""
    compiled = StaticDecoder(models.text, lambda step: torch.compile(step, fullgraph=True, dynamic=False))
    torch._dynamo.reset()
    run = lambda decoder: gen.generate_semantic(  # noqa: E731
        models.text, TEXTS[:2], HISTORIES[:2], generators(2), **GREEDY, max_gen_duration_s=CAPS[:2], static=decoder)
    assert_same(run(compiled), run(None))
