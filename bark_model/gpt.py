"""Causal GPT of Bark's text (semantic) and coarse stages: nanoGPT with the official parameter names,
a preallocated KV cache (gpt-fast style), and left padding so rows of different lengths share a batch.

Inference only: no dropout. Only the last position's logits are computed, as in the reference.
With `use_static_decode` the one-token step keeps fixed shapes for CUDA graphs (see there).
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
        """Write positions [pos, pos + T) of the first B rows (B = k's rows) and return their keys and
        values of positions [0, pos + T)."""
        B, end = k.shape[0], pos + k.shape[2]
        self.k[:B, :, pos:end] = k
        self.v[:B, :, pos:end] = v
        return self.k[:B, :, :end], self.v[:B, :, :end]

    def write_at(self, pos: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Write one position given as a (1,) tensor, for every row; return the whole cache (fixed shapes)."""
        self.k.index_copy_(2, pos, k)
        self.v.index_copy_(2, pos, v)
        return self.k, self.v

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

    def forward(self, x: torch.Tensor, pos: int | torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))  # (B, nh, T, hs)
        if isinstance(pos, torch.Tensor):  # a fixed-shape step: the whole cache, masked
            k, v = self.kv_cache.write_at(pos, k, v)  # (B, nh, max_len, hs)
        elif self.kv_cache is not None:
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

    def forward(self, x: torch.Tensor, pos: int | torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), pos, mask)
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    """Token + position embeddings, pre-LN blocks, untied `lm_head` on the last position only.

    Generation: `setup_cache(batch, max_len)`, then `prefill(prompt)` once and `decode_one(token, pos)`
    per new token, `keep_rows` as rows finish; `clear_cache()` after. Without a cache, `prefill` is a
    plain full forward pass.
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
        self.static_step = None  # the fixed-shape decode step, once use_static_decode is called
        self.slots: torch.Tensor | None = None  # static decode: the cache row of each live row
        self.pad: torch.Tensor | None = None  # static decode: every cache row's left padding

    def use_static_decode(self, wrap=None) -> None:
        """Decode with fixed shapes, as CUDA graphs need (torch.compile mode="reduce-overhead"):
        one cache of block_size positions, allocated for the largest batch seen and kept between
        calls; the position passed as a tensor and attention masked over the whole cache; finished or
        absent rows ride along instead of leaving the batch (`slots` maps live rows to cache rows).
        `wrap` (e.g. torch.compile) is applied to the step. Costs memory, and attention over the whole
        cache (on 2 CPU cores a small-shape step at batch 8 took about as long either way)."""
        self.static_step = wrap(self.fixed_shape_step) if wrap else self.fixed_shape_step

    @property
    def cache(self) -> KVCache | None:
        """The first layer's KV cache: every layer's has the same rows, length and dtype."""
        return self.transformer.h[0].attn.kv_cache

    def cache_dtype(self) -> torch.dtype:
        """The weights' dtype, or the autocast dtype when called under torch.autocast."""
        device = self.lm_head.weight.device.type
        return torch.get_autocast_dtype(device) if torch.is_autocast_enabled(device) else self.lm_head.weight.dtype

    def setup_cache(self, batch: int, max_len: int) -> None:
        """A fresh KV cache per layer for `batch` rows of up to `max_len` positions, in `cache_dtype`.
        Static decode instead reuses its cache when it holds ≥ `batch` rows of that dtype."""
        c, w, dtype = self.config, self.lm_head.weight, self.cache_dtype()
        if self.static_step is not None:
            self.slots = torch.arange(batch, device=w.device)
            cache = self.cache
            if cache is not None and cache.k.shape[0] >= batch and cache.k.dtype == dtype:
                return
            batch, max_len = max(batch, cache.k.shape[0] if cache is not None else 0), c.block_size
        for block in self.transformer.h:
            block.attn.kv_cache = KVCache(batch, c.n_head, max_len, c.n_embd // c.n_head, dtype, w.device)

    def clear_cache(self) -> None:
        """Free the caches (static decode keeps its cache for the next call: its graphs point into it)."""
        if self.static_step is None:
            for block in self.transformer.h:
                block.attn.kv_cache = None

    def keep_rows(self, rows: torch.Tensor) -> None:
        """Keep only the listed rows of every cache, in that order."""
        if self.static_step is not None:
            self.slots = self.slots[rows]
            return
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
        if self.static_step is not None and self.cache is not None:
            self.pad = torch.zeros(self.cache.k.shape[0], dtype=torch.long, device=idx.device)
            if pad is not None:
                self.pad[: len(pad)] = pad
        return self.run(x, 0, pad, vocab)

    def decode_one(
        self, idx: torch.Tensor, pos: int, pad: torch.Tensor | None = None, vocab: slice | None = None
    ) -> torch.Tensor:
        """One new token per row (B, 1) at cache position `pos` → logits (B, 1, vocab)."""
        if self.cache is None:
            raise RuntimeError("decode_one needs a KV cache: call setup_cache and prefill first")
        if self.static_step is not None:  # every cache row steps; the live rows' tokens go to their slots
            tokens = torch.zeros(len(self.pad), 1, dtype=idx.dtype, device=idx.device)
            tokens[self.slots] = idx
            at = torch.tensor([pos], device=idx.device)
            return self.static_step(tokens, at, self.pad, vocab)[self.slots]
        return self.run(self.transformer.wte(idx), pos, pad, vocab)

    def fixed_shape_step(self, idx: torch.Tensor, pos: torch.Tensor, pad: torch.Tensor, vocab: slice | None):
        """decode_one for every cache row, shapes independent of `pos` (a (1,) tensor): the keys of
        [pad, pos] of each row are attended, the rest of the cache masked out."""
        key = torch.arange(self.cache.k.shape[2], device=idx.device)
        mask = ((key <= pos) & (key >= pad[:, None]))[:, None, None, :]  # (B, 1, 1, max_len)
        x = self.transformer.wte(idx) + self.transformer.wpe((pos - pad).clamp(min=0)[:, None])
        for block in self.transformer.h:
            x = block(x, pos, mask)
        return self.head(x, vocab)

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
        return self.head(x, vocab)

    def head(self, x: torch.Tensor, vocab: slice | None) -> torch.Tensor:
        """Hidden states (B, T, C) → logits of the last position (B, 1, vocab)."""
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
