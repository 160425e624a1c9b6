"""Causal GPT of Bark's text and coarse stages (nanoGPT shape, official parameter names) with a KV cache."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from .constants import TEXT_WINDOW


@dataclass
class GPTConfig:
    """The `model_args` of an official checkpoint."""

    block_size: int = 1024
    input_vocab_size: int = 10_048
    output_vocab_size: int = 10_048
    n_layer: int = 12
    n_head: int = 12
    n_embd: int = 768
    dropout: float = 0.0  # training only; inference never drops
    bias: bool = True  # bias in Linears and LayerNorms


class LayerNorm(nn.Module):
    """LayerNorm with an optional bias (eps 1e-5)."""

    def __init__(self, ndim: int, bias: bool):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class KVCache(nn.Module):
    """Preallocated keys and values of every past position: (B, n_head, max_len, head_dim)."""

    def __init__(self, batch: int, n_head: int, max_len: int, head_dim: int, dtype, device):
        super().__init__()
        shape = (batch, n_head, max_len, head_dim)
        self.register_buffer("k", torch.zeros(shape, dtype=dtype, device=device), persistent=False)
        self.register_buffer("v", torch.zeros(shape, dtype=dtype, device=device), persistent=False)

    def update(self, pos: int, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Write positions [pos, pos + T) and return all keys and values up to there."""
        end = pos + k.shape[2]
        self.k[:, :, pos:end] = k
        self.v[:, :, pos:end] = v
        return self.k[:, :, :end], self.v[:, :, :end]

    def keep(self, rows: torch.Tensor) -> None:
        """Drop the rows not listed (finished generations), in place."""
        self.k = self.k.index_select(0, rows)
        self.v = self.v.index_select(0, rows)


class CausalSelfAttention(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.n_head = config.n_head
        self.n_embd = config.n_embd

    def forward(self, x, cache: KVCache | None = None, pos: int = 0, mask: torch.Tensor | None = None):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        if cache is not None:
            k, v = cache.update(pos, k, v)  # (B, nh, pos + T, hs)
        if mask is not None:  # left-padded rows: an explicit (B, 1, T, pos + T) boolean mask
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        else:  # as the reference: causal on a prefill, unmasked for a step that follows the cache
            y = F.scaled_dot_product_attention(q, k, v, is_causal=pos == 0 and T > 1)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.ln_1 = LayerNorm(config.n_embd, bias=config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = LayerNorm(config.n_embd, bias=config.bias)
        self.mlp = MLP(config)

    def forward(self, x, cache=None, pos=0, mask=None):
        x = x + self.attn(self.ln_1(x), cache, pos, mask)
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    """Token + position embeddings, pre-LN blocks, untied `lm_head` on the last position only."""

    def __init__(self, config: GPTConfig):
        super().__init__()
        self.config = config
        self.transformer = nn.ModuleDict(
            dict(
                wte=nn.Embedding(config.input_vocab_size, config.n_embd),
                wpe=nn.Embedding(config.block_size, config.n_embd),
                h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
                ln_f=LayerNorm(config.n_embd, bias=config.bias),
            )
        )
        self.lm_head = nn.Linear(config.n_embd, config.output_vocab_size, bias=False)
        self.caches: list[KVCache] = []

    def setup_cache(self, batch: int, max_len: int | None = None) -> None:
        """Allocate one KV cache per layer for `batch` rows of up to `max_len` positions."""
        c = self.config
        w = self.lm_head.weight
        self.caches = [
            KVCache(batch, c.n_head, max_len or c.block_size, c.n_embd // c.n_head, w.dtype, w.device)
            for _ in range(c.n_layer)
        ]

    def keep_rows(self, rows: torch.Tensor) -> None:
        for cache in self.caches:
            cache.keep(rows)

    def embed(self, idx: torch.Tensor, merge_context: bool) -> torch.Tensor:
        """(B, T) tokens → (B, T', C); merge_context sums text and history embeddings (T' = T − 256)."""
        wte = self.transformer.wte
        if not merge_context:
            return wte(idx)
        w = TEXT_WINDOW
        return torch.cat([wte(idx[:, :w]) + wte(idx[:, w : 2 * w]), wte(idx[:, 2 * w :])], dim=1)

    def forward(
        self,
        idx: torch.Tensor,
        pos: int = 0,
        merge_context: bool = False,
        position_ids: torch.Tensor | None = None,
        mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """Logits of the last position, (B, 1, vocab). With caches set up, positions before `pos`
        come from the cache and these tokens are written after them."""
        x = self.embed(idx, merge_context and pos == 0)
        if position_ids is None:
            position_ids = torch.arange(pos, pos + x.shape[1], device=idx.device)[None]
        x = x + self.transformer.wpe(position_ids)
        caches = self.caches or [None] * len(self.transformer.h)
        for block, cache in zip(self.transformer.h, caches):
            x = block(x, cache, pos, mask)
        x = self.transformer.ln_f(x)
        return self.lm_head(x[:, [-1], :])


def left_padding(pad: torch.Tensor, pos: int, new: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Position ids (B, new) and attention mask (B, 1, new, pos + new) for left-padded rows.

    Row b starts with `pad[b]` padding positions: its tokens count positions from 0 after them,
    no query looks at them, and a padding query looks only at itself (finite garbage, never read).
    """
    query = torch.arange(pos, pos + new, device=pad.device)
    key = torch.arange(pos + new, device=pad.device)
    position_ids = (query[None, :] - pad[:, None]).clamp(min=0)
    allowed = (key[None, None, :] <= query[None, :, None]) & (key[None, None, :] >= pad[:, None, None])
    allowed |= key[None, None, :] == query[None, :, None]
    return position_ids, allowed[:, None]
