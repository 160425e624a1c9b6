"""Causal GPT of Bark's text (semantic) and coarse stages: nanoGPT with the official parameter names,
a preallocated KV cache (gpt-fast style), and left padding so rows of different lengths share a batch.

Inference only: no dropout. Only the last position's logits are computed, as in the reference.
"""

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
    """Keys and values of every past position, preallocated: (B, n_head, max_len, head_dim)."""

    def __init__(self, batch: int, n_head: int, max_len: int, head_dim: int, dtype, device):
        super().__init__()
        shape = (batch, n_head, max_len, head_dim)
        self.register_buffer("k", torch.zeros(shape, dtype=dtype, device=device), persistent=False)
        self.register_buffer("v", torch.zeros(shape, dtype=dtype, device=device), persistent=False)

    def update(self, pos: int, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Write positions [pos, pos + T) and return the keys and values of positions [0, pos + T)."""
        end = pos + k.shape[2]
        self.k[:, :, pos:end] = k
        self.v[:, :, pos:end] = v
        return self.k[:, :, :end], self.v[:, :, :end]

    def keep(self, rows: torch.Tensor) -> None:
        """Keep only the listed rows (drop finished generations)."""
        self.k = self.k.index_select(0, rows)
        self.v = self.v.index_select(0, rows)


class CausalSelfAttention(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.n_head = config.n_head
        self.n_embd = config.n_embd
        self.kv_cache: KVCache | None = None

    def forward(self, x: torch.Tensor, pos: int, mask: torch.Tensor | None) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))  # (B, nh, T, hs)
        if self.kv_cache is not None:
            k, v = self.kv_cache.update(pos, k, v)  # (B, nh, pos + T, hs)
        if mask is not None:  # left-padded rows
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        else:  # as the reference: causal for a prompt, unmasked for one token after the cache
            y = F.scaled_dot_product_attention(q, k, v, is_causal=pos == 0)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.c_proj(F.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.ln_1 = LayerNorm(config.n_embd, bias=config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = LayerNorm(config.n_embd, bias=config.bias)
        self.mlp = MLP(config)

    def forward(self, x: torch.Tensor, pos: int, mask: torch.Tensor | None) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), pos, mask)
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    """Token + position embeddings, pre-LN blocks, untied `lm_head` on the last position only.

    Generation: `setup_cache(batch, max_len)`, then `prefill(prompt)` once and `decode_one(token, pos)`
    per new token; `clear_cache()` after. Without a cache, `prefill` is a plain full forward pass.
    """

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

    def setup_cache(self, batch: int, max_len: int) -> None:
        """A fresh KV cache per layer for `batch` rows of up to `max_len` positions, in the weights'
        dtype, or in the autocast dtype when called under torch.autocast."""
        c, w = self.config, self.lm_head.weight
        dtype = torch.get_autocast_dtype(w.device.type) if torch.is_autocast_enabled(w.device.type) else w.dtype
        for block in self.transformer.h:
            block.attn.kv_cache = KVCache(batch, c.n_head, max_len, c.n_embd // c.n_head, dtype, w.device)

    def clear_cache(self) -> None:
        for block in self.transformer.h:
            block.attn.kv_cache = None

    def keep_rows(self, rows: torch.Tensor) -> None:
        """Keep only the listed rows of every cache, in that order."""
        for block in self.transformer.h:
            block.attn.kv_cache.keep(rows)

    def prefill(
        self,
        idx: torch.Tensor,
        merge_context: bool = False,
        pad: torch.Tensor | None = None,
        vocab: slice | None = None,
    ) -> torch.Tensor:
        """Prompt tokens (B, T) → logits of the last position (B, 1, vocab), filling the cache.

        merge_context (text model): positions 0..255 embed text + history tokens summed, so the
        model sees T − 256 positions. `pad` (B,) counts each row's left-padding tokens. `vocab`
        computes only those logits (the rows of `lm_head` a stage samples from)."""
        x = self.transformer.wte(idx)  # (B, T, C)
        if merge_context:
            w = TEXT_WINDOW
            x = torch.cat([x[:, :w] + x[:, w : 2 * w], x[:, 2 * w :]], dim=1)  # (B, T - 256, C)
        return self.run(x, 0, pad, vocab)

    def decode_one(
        self, idx: torch.Tensor, pos: int, pad: torch.Tensor | None = None, vocab: slice | None = None
    ) -> torch.Tensor:
        """One new token per row (B, 1) at cache position `pos` → logits (B, 1, vocab)."""
        if self.transformer.h[0].attn.kv_cache is None:
            raise RuntimeError("decode_one needs a KV cache: call setup_cache and prefill first")
        return self.run(self.transformer.wte(idx), pos, pad, vocab)

    def run(self, x: torch.Tensor, pos: int, pad: torch.Tensor | None, vocab: slice | None = None) -> torch.Tensor:
        """Embedded tokens (B, T, C) at positions [pos, pos + T) → last-position logits (B, 1, vocab)."""
        T = x.shape[1]
        if pad is not None and bool(pad.any()):
            position_ids, mask = left_padding(pad, pos, T)
        else:
            position_ids, mask = torch.arange(pos, pos + T, device=x.device)[None], None
        x = x + self.transformer.wpe(position_ids)
        for block in self.transformer.h:
            x = block(x, pos, mask)
        x = self.transformer.ln_f(x[:, [-1]])  # layer norm is per position: only the last matters
        if vocab is None:
            return self.lm_head(x)
        return F.linear(x, self.lm_head.weight[vocab])  # a slice of rows: the same dot products


def left_padding(pad: torch.Tensor, pos: int, new: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Position ids (B, new) and attention mask (B, 1, new, pos + new) for left-padded rows.

    Row b starts with `pad[b]` padding tokens: its real tokens count positions from 0 after them,
    no query attends to them, and a padding query attends only to itself (finite, never read).
    """
    query = torch.arange(pos, pos + new, device=pad.device)
    key = torch.arange(pos + new, device=pad.device)
    position_ids = (query[None, :] - pad[:, None]).clamp(min=0)
    allowed = (key[None, None, :] <= query[None, :, None]) & (key[None, None, :] >= pad[:, None, None])
    allowed |= key[None, None, :] == query[None, :, None]
    return position_ids, allowed[:, None]
