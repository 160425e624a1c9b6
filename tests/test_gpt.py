"""GPT and FineGPT: the reference's parameter names and numbers, a preallocated KV cache, and
left-padded batches whose rows equal the rows run alone (decoded through bark_model.decoding.Decoder)."""

import pytest
import torch

from bark_model.decoding import Decoder
from bark_model.fine_gpt import FineGPT, FineGPTConfig
from bark_model.gpt import GPT, GPTConfig, KVCache
from reference_oracle import reference_bark

ARGS = dict(block_size=1024, input_vocab_size=700, output_vocab_size=600, n_layer=2, n_head=2, n_embd=32, dropout=0.0)


def twins(bias=True):
    """The reference GPT with random weights and ours loaded from its state dict (strict)."""
    bark = reference_bark()
    torch.manual_seed(0)
    ref = bark.model.GPT(bark.model.GPTConfig(**ARGS, bias=bias)).eval()
    with torch.no_grad():
        for p in ref.parameters():
            p.add_(0.1 * torch.randn_like(p))  # LayerNorm weights/biases away from 1/0
    ours = GPT(GPTConfig(**ARGS, bias=bias)).eval()
    ours.load_state_dict(ref.state_dict(), strict=True)
    return ours, ref


def fine_twins(bias=False):
    bark = reference_bark()
    torch.manual_seed(1)
    args = dict(ARGS, input_vocab_size=1056, output_vocab_size=1056, bias=bias)
    ref = bark.model_fine.FineGPT(bark.model_fine.FineGPTConfig(**args)).eval()
    ours = FineGPT(FineGPTConfig(**args)).eval()
    ours.load_state_dict(ref.state_dict(), strict=True)
    return ours, ref


def tokens(*shape, high=600, seed=0):
    return torch.randint(0, high, shape, generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize("bias", [True, False])
def test_gpt_has_the_reference_parameter_names_and_logits(bias):
    ours, ref = twins(bias)
    assert list(ours.state_dict()) == list(ref.state_dict())
    idx = tokens(2, 40)
    with torch.inference_mode():
        expected, _ = ref(idx)
        got = ours(idx)
    assert got.shape == (2, 1, ARGS["output_vocab_size"])
    torch.testing.assert_close(got, expected, rtol=0, atol=0)


def test_merge_context_sums_text_and_history_embeddings_like_the_reference():
    ours, ref = twins()
    idx = tokens(1, 513, high=700)
    with torch.inference_mode():
        expected, _ = ref(idx, merge_context=True)
        torch.testing.assert_close(ours(idx, merge_context=True), expected, rtol=0, atol=0)


def test_prefill_then_decode_one_equals_the_reference_kv_cache_path():
    ours, ref = twins()
    idx = tokens(1, 520, high=700)
    with torch.inference_mode():
        expected, cache = ref(idx[:, :513], merge_context=True, use_cache=True)
        decoder = Decoder(ours, 1, 300)
        got = decoder.prefill(idx[:, :513], merge_context=True)
        torch.testing.assert_close(got, expected, rtol=0, atol=0)
        for t in range(513, 520):  # positions continue after the 257 merged ones
            expected, cache = ref(idx[:, [t]], merge_context=True, use_cache=True, past_kv=cache)
            torch.testing.assert_close(decoder.step(idx[:, [t]]), expected, rtol=0, atol=0)


def test_kv_cache_is_preallocated_and_returns_the_filled_prefix():
    cache = KVCache(batch=2, n_head=3, max_len=16, head_dim=4, dtype=torch.float32, device="cpu")
    assert cache.k.shape == cache.v.shape == (2, 3, 16, 4)
    k1, v1 = torch.randn(2, 3, 5, 4), torch.randn(2, 3, 5, 4)
    k, v = cache.update(torch.arange(5), k1, v1, keys=5)
    assert k.shape == (2, 3, 5, 4) and torch.equal(k, k1) and torch.equal(v, v1)
    k2 = torch.randn(2, 3, 1, 4)
    k, _ = cache.update(torch.tensor([5]), k2, k2, keys=6)
    assert torch.equal(k, torch.cat([k1, k2], dim=2))
    assert k.data_ptr() == cache.k.data_ptr()  # a view of the preallocated buffer, no copy
    whole, _ = cache.update(torch.tensor([6]), k2, k2)  # no `keys`: the whole cache (a fixed shape)
    assert whole.shape == (2, 3, 16, 4) and torch.equal(whole[:, :, 6:7], k2)
    cache.keep(torch.tensor([1]))
    assert cache.k.shape == (1, 3, 16, 4) and torch.equal(cache.k[0, :, :5], k1[1])


def test_left_padded_batch_rows_equal_each_row_alone():
    """Prompts of 30 and 22 tokens in one batch, then 4 decode steps, then the first row leaves."""
    ours, _ = twins()
    prompts = [tokens(30, seed=1), tokens(22, seed=2)]
    steps = tokens(2, 4, seed=3)
    alone = []
    with torch.inference_mode():
        for b, prompt in enumerate(prompts):
            decoder = Decoder(ours, 1, 40)
            logits = [decoder.prefill(prompt[None])]
            logits += [decoder.step(steps[b, [t]][None]) for t in range(4)]
            alone.append(torch.cat(logits, dim=1)[0])
        x = torch.stack([prompts[0], torch.cat([torch.zeros(8, dtype=torch.long), prompts[1]])])
        decoder = Decoder(ours, 2, 40)
        batched = [decoder.prefill(x, torch.tensor([0, 8]))]
        batched += [decoder.step(steps[:, [t]]) for t in range(3)]
        decoder.keep(torch.tensor([1]))
        last = decoder.step(steps[[1], [3]][None])
    batched = torch.cat(batched, dim=1)
    torch.testing.assert_close(batched[0], alone[0][:4], rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(batched[1], alone[1][:4], rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(last[0, 0], alone[1][4], rtol=1e-5, atol=1e-5)


def test_fine_gpt_has_the_reference_names_and_logits_for_every_codebook():
    ours, ref = fine_twins()
    assert list(ours.state_dict()) == list(ref.state_dict())
    idx = tokens(2, 64, 8, high=1025)
    with torch.inference_mode():
        for k in range(1, 8):
            torch.testing.assert_close(ours(k, idx), ref(k, idx), rtol=0, atol=0)


def test_fine_gpt_ties_heads_to_embeddings_and_keeps_layernorm_biases():
    ours, _ = fine_twins(bias=False)
    for k in range(1, 8):
        assert ours.lm_heads[k - 1].weight is ours.transformer.wtes[k].weight
    assert ours.transformer.wtes[0].weight is not ours.lm_heads[0].weight
    assert ours.transformer.ln_f.bias is not None and ours.transformer.h[0].ln_1.bias is not None
    assert ours.transformer.h[0].attn.c_attn.bias is None


def test_fine_gpt_cannot_predict_the_given_codebook():
    ours, _ = fine_twins()
    with pytest.raises(ValueError, match="pred_idx 0"):
        ours(0, tokens(1, 8, 8, high=1025))


def test_a_vocab_slice_computes_exactly_those_logits():
    """Coarse reads one codebook's 1,024 logits of 12,096, fine 1,024 of 1,056: the same dot products."""
    ours, _ = twins()
    idx = tokens(3, 40)
    with torch.inference_mode():
        full, part = Decoder(ours, 3, 48), Decoder(ours, 3, 48)
        assert torch.equal(part.prefill(idx, vocab=slice(100, 356)), full.prefill(idx)[..., 100:356])
        step = tokens(3, 1, seed=4)
        assert torch.equal(part.step(step, vocab=slice(100, 356)), full.step(step)[..., 100:356])
    fine, _ = fine_twins()
    idx = tokens(2, 64, 8, high=1025)
    with torch.inference_mode():
        assert torch.equal(fine(3, idx, vocab=slice(0, 1024)), fine(3, idx)[..., :1024])
