"""The generation loop: input layouts, sampling, stopping, and batches whose rows equal each row alone."""

import types
from pathlib import Path

import numpy as np
import pytest
import torch

from bark_model import generation as gen
from bark_model.checkpoints import load_bark_models, resolve_model
from bark_model.constants import (
    COARSE_INFER_TOKEN,
    COARSE_SEMANTIC_PAD_TOKEN,
    SEMANTIC_INFER_TOKEN,
    SEMANTIC_PAD_TOKEN,
    SEMANTIC_RATE_HZ,
    SEMANTIC_VOCAB_SIZE,
    TEXT_ENCODING_OFFSET,
    TEXT_PAD_TOKEN,
)
from bark_model.sampling import draw_rows, sample_rows

PRESETS = Path(__file__).parents[1] / "bark_model" / "presets" / "v2"
GREEDY = dict(top_k=1)


def voice(name):
    with np.load(PRESETS / f"{name}.npz", allow_pickle=False) as npz:
        return types.SimpleNamespace(
            semantic=npz["semantic_prompt"], coarse=npz["coarse_prompt"], fine=npz["fine_prompt"]
        )


def generators(n, seed=0):
    return [torch.Generator().manual_seed(seed + i) for i in range(n)]


@pytest.fixture(scope="module")
def models(tiny_model_dir):
    return load_bark_models(resolve_model(tiny_model_dir))


# --- layouts and sampling -----------------------------------------------------------------------


def test_semantic_input_is_text_window_history_window_and_infer_token():
    history = types.SimpleNamespace(semantic=np.arange(300) % 10_000)
    x = gen.semantic_input([5, 6, 7], history)
    assert x.shape == (513,) and x.dtype == np.int64
    assert list(x[:3]) == [5 + TEXT_ENCODING_OFFSET, 6 + TEXT_ENCODING_OFFSET, 7 + TEXT_ENCODING_OFFSET]
    assert (x[3:256] == TEXT_PAD_TOKEN).all()
    assert list(x[256:512]) == list(range(44, 300))  # the last 256 history tokens
    assert x[512] == SEMANTIC_INFER_TOKEN


def test_semantic_input_truncates_long_text_and_pads_short_history():
    x = gen.semantic_input(list(range(300)), types.SimpleNamespace(semantic=np.array([9, 8])))
    assert list(x[:256]) == [i + TEXT_ENCODING_OFFSET for i in range(256)]
    assert list(x[256:258]) == [9, 8] and (x[258:512] == SEMANTIC_PAD_TOKEN).all()
    assert (gen.semantic_input([1], None)[256:512] == SEMANTIC_PAD_TOKEN).all()


def test_coarse_history_of_a_preset_is_209_semantic_and_626_aligned_coarse_tokens():
    v = voice("en_speaker_6")
    semantic, coarse = gen.coarse_history(v, max_semantic_history=209)
    assert list(semantic) == list(v.semantic[-209:])
    assert len(coarse) == 626
    flat = (np.stack([v.coarse[0], v.coarse[1] + 1024]).T.reshape(-1) + SEMANTIC_VOCAB_SIZE)[-628:]
    assert list(coarse) == list(flat[:-2])  # ends with a codebook-1 token: generation starts at codebook 0
    assert coarse[-1] >= SEMANTIC_VOCAB_SIZE + 1024


def test_coarse_window_input_is_semantic_slice_infer_token_and_coarse_history():
    row = gen.CoarseRow(np.arange(100), list(range(20_000, 20_700)), 40, 700, 120, torch.Generator())
    x = row.window_input(n_step=60, max_semantic_history=209, max_coarse_history=630)
    assert x[:100] == list(range(100)) and x[100:256] == [COARSE_SEMANTIC_PAD_TOKEN] * 156
    assert x[256] == COARSE_INFER_TOKEN and x[257:] == list(range(20_070, 20_700))
    row.semantic = np.arange(1000)
    late = row.window_input(n_step=900, max_semantic_history=30, max_coarse_history=60)
    assert late[:256] == list(range(40 + round(900 / 3.006012024048096) - 30, 40 + 299 - 30 + 256))
    assert len(late) == 256 + 1 + 60


def test_flattened_codebooks_interleave_time_major():
    codes = np.array([[1, 2, 3], [4, 5, 6]])
    assert list(gen.flatten_codebooks(codes)) == [1, 1028, 2, 1029, 3, 1030]


def sample(logits, temp, top_k=None, top_p=None, generator=None):
    """One row through sample_rows: (token, probabilities)."""
    tokens, probs = sample_rows(logits[None], temp, top_k, top_p, [generator])
    return tokens[0], probs[0]


def test_sample_applies_top_k_before_temperature_and_draws_from_the_generator():
    logits = torch.tensor([0.0, 3.0, 2.9, -1.0])
    assert sample(logits, 0.7, top_k=1, generator=torch.Generator())[0] == 1
    assert sample(logits, None)[0] == 1
    draws = {sample(logits, 5.0, top_k=2, generator=torch.Generator().manual_seed(s))[0] for s in range(40)}
    assert draws == {1, 2}
    torch.manual_seed(7)
    expected = int(torch.multinomial(torch.softmax(logits / 0.7, -1), 1))
    assert sample(logits, 0.7, generator=torch.Generator().manual_seed(7))[0] == expected


def test_top_p_keeps_the_first_token_that_crosses_the_threshold():
    logits = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))
    draws = {sample(logits, 1.0, top_p=0.6, generator=torch.Generator().manual_seed(s))[0] for s in range(60)}
    assert draws == {0, 1}
    assert sample(logits, 1.0, top_p=0.1, generator=torch.Generator())[0] == 0


# --- stopping -------------------------------------------------------------------------------------


def test_each_row_stops_at_its_own_duration_cap(models):
    caps = [0.1, 0.3, None]
    out = gen.generate_semantic(models.text, [[1, 2], [3], [4, 5]], [None] * 3, generators(3), **GREEDY,
                                max_gen_duration_s=caps, min_eos_p=None, allow_early_stop=False)
    assert [len(o) for o in out[:2]] == [int(np.floor(c * SEMANTIC_RATE_HZ)) + 1 for c in caps[:2]]
    assert len(out[2]) == 768  # no cap and no early stop: the hard limit


def test_min_eos_p_zero_stops_before_the_first_token(models):
    out = gen.generate_semantic(models.text, [[1, 2]], [None], generators(1), min_eos_p=0.0)
    assert out[0].shape == (0,)


def test_coarse_frames_follow_the_semantic_to_coarse_ratio(models):
    out = gen.generate_coarse(models.coarse, [np.arange(100) % 10_000], [None], generators(1), **GREEDY)
    assert out[0].shape == (2, 150) and out[0].min() >= 0 and out[0].max() < 1024


def test_fine_keeps_the_coarse_codebooks_and_fills_the_other_six(models):
    coarse = np.random.default_rng(0).integers(0, 1024, (2, 40))
    fine = gen.generate_fine(models.fine, [coarse], [voice("en_speaker_1")], generators(1), temp=None)[0]
    assert fine.shape == (8, 40) and np.array_equal(fine[:2], coarse)
    assert fine.min() >= 0 and fine.max() < 1024


def test_rows_of_different_lengths_are_refused(models):
    with pytest.raises(ValueError, match="differ in length"):
        gen.generate_semantic(models.text, [[1], [2]], [None], generators(2))


def test_coarse_history_limits_are_checked(models):
    with pytest.raises(ValueError, match="max_coarse_history"):
        gen.generate_coarse(models.coarse, [np.arange(10)], [None], generators(1), max_coarse_history=700)


# --- batches --------------------------------------------------------------------------------------


def alone_and_batched(stage, model, inputs, histories, **kwargs):
    """Each row run alone with seed i, then all rows at once with the same seeds."""
    rows = enumerate(zip(inputs, histories))
    alone = [stage(model, [x], [h], generators(1, seed=i), **kwargs)[0] for i, (x, h) in rows]
    batched = stage(model, inputs, histories, generators(len(inputs)), **kwargs)
    return alone, batched


def assert_rows_equal(alone, batched):
    assert len(alone) == len(batched)
    for a, b in zip(alone, batched):
        np.testing.assert_array_equal(b, a)


def test_semantic_batch_rows_equal_each_row_alone(models):
    texts = [[101, 2000, 2001], [7] * 40, [300, 301]]
    caps = [0.2, 0.5, 0.3]  # rows leave the batch at different steps
    histories = [None, voice("en_speaker_6"), voice("de_speaker_3")]
    alone = [
        gen.generate_semantic(models.text, [t], [h], generators(1), **GREEDY, max_gen_duration_s=c)[0]
        for t, h, c in zip(texts, histories, caps)
    ]
    batched = gen.generate_semantic(models.text, texts, histories, generators(3), **GREEDY, max_gen_duration_s=caps)
    assert len({len(a) for a in alone}) == 3
    assert_rows_equal(alone, batched)


def test_seeded_semantic_batch_rows_equal_each_row_alone(models):
    alone, batched = alone_and_batched(
        gen.generate_semantic, models.text, [[5, 6], [7, 8, 9]], [None, voice("en_speaker_6")], max_gen_duration_s=0.3
    )
    assert_rows_equal(alone, batched)


def test_coarse_batch_rows_equal_each_row_alone(models):
    """Different semantic lengths and with/without voice: prompts of different lengths, left-padded."""
    rng = np.random.default_rng(1)
    semantic = [rng.integers(0, 10_000, n) for n in (30, 50, 12)]
    histories = [voice("en_speaker_6"), None, voice("en_speaker_2")]
    alone, batched = alone_and_batched(gen.generate_coarse, models.coarse, semantic, histories, **GREEDY)
    assert [a.shape[1] for a in alone] == [45, 75, 18]
    assert_rows_equal(alone, batched)


def test_fine_batch_rows_equal_each_row_alone(models):
    rng = np.random.default_rng(2)
    coarse = [rng.integers(0, 1024, (2, n)) for n in (700, 80, 30)]
    histories = [voice("en_speaker_6"), voice("en_speaker_2"), None]  # 464 + 700 frames: two windows
    assert gen.FineRow.build(coarse[0], histories[0], None).n_loops == 2
    alone, batched = alone_and_batched(gen.generate_fine, models.fine, coarse, histories, temp=None)
    assert_rows_equal(alone, batched)


def test_seeded_coarse_and_fine_batch_rows_equal_each_row_alone(models):
    rng = np.random.default_rng(3)
    histories = [voice("en_speaker_6"), None]
    semantic = [rng.integers(0, 10_000, n) for n in (25, 40)]
    assert_rows_equal(*alone_and_batched(gen.generate_coarse, models.coarse, semantic, histories))
    coarse = [rng.integers(0, 1024, (2, n)) for n in (50, 20)]
    assert_rows_equal(*alone_and_batched(gen.generate_fine, models.fine, coarse, histories))


def test_one_multinomial_call_over_rows_draws_as_per_row_calls_do():
    """fine_tokens relies on it: the reference draws position by position."""
    probs = torch.softmax(torch.randn(300, 1024, generator=torch.Generator().manual_seed(0)) / 0.5, dim=-1)
    per_row, batched = torch.Generator().manual_seed(9), torch.Generator().manual_seed(9)
    expected = torch.cat([torch.multinomial(p, 1, generator=per_row) for p in probs])
    assert torch.equal(torch.multinomial(probs, 1, generator=batched)[:, 0], expected)
    assert torch.equal(torch.rand(4, generator=per_row), torch.rand(4, generator=batched))


@pytest.mark.parametrize("vocab", [4, 1024, 10_048])
def test_draw_rows_draws_what_per_row_multinomial_calls_draw(vocab):
    """Row i from generator i, the generators left in the same state; peaked, flat and zero-filled rows."""
    source = torch.Generator().manual_seed(vocab)
    logits = torch.randn(6, vocab, generator=source) * torch.tensor([0.1, 1.0, 3.0, 8.0, 1.0, 1.0])[:, None]
    logits[4, vocab // 2 :] = -float("inf")  # a top-k/top-p filtered row: zero probabilities
    probs = torch.softmax(logits, dim=-1)
    for seed in range(25):
        ours = [torch.Generator().manual_seed(seed * 10 + i) for i in range(6)]
        torchs = [torch.Generator().manual_seed(seed * 10 + i) for i in range(6)]
        for _ in range(3):
            expected = [int(torch.multinomial(row, 1, generator=g)) for row, g in zip(probs, torchs)]
            assert draw_rows(probs, ours) == expected
        assert all(torch.equal(a.get_state(), b.get_state()) for a, b in zip(ours, torchs))


def test_draw_rows_refuses_an_invalid_distribution():
    with pytest.raises(ValueError, match="invalid sampling distribution"):
        draw_rows(torch.tensor([[0.5, float("nan")]]), [torch.Generator()])


@pytest.mark.parametrize(
    "temp, top_k, top_p", [(0.7, None, None), (0.7, 1, None), (1.0, 5, None), (0.7, None, 0.8), (None, None, None)]
)
def test_sampling_a_batch_equals_sampling_each_row(temp, top_k, top_p):
    """Same tokens, same probabilities, same generator states as one call per row."""
    logits = torch.randn(5, 1, 1100, generator=torch.Generator().manual_seed(3))[:, 0, 7:1031] * 3
    row_gens, batch_gens = generators(5, seed=11), generators(5, seed=11)
    alone = [sample(row, temp, top_k, top_p, g) for row, g in zip(logits, row_gens)]
    tokens, probs = sample_rows(logits, temp, top_k, top_p, batch_gens)
    assert tokens == [t for t, _ in alone]
    assert all(torch.equal(p, q) for (_, p), q in zip(alone, probs))
    assert all(torch.equal(a.get_state(), b.get_state()) for a, b in zip(row_gens, batch_gens))
