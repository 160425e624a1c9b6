"""Causal GPT of Bark's text (semantic) and coarse stages: nanoGPT with the official parameter names.

The model is stateless: one `forward` over tokens at given cache positions. Decoding state (the KV
caches, each row's left padding, the next position) belongs to a decoder (bark_model/decoding.py),
so left-padded rows of different lengths share a batch and a compiled step shares the same model.
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
    """Keys and values of every past position, preallocated (gpt-fast): (B, n_head, max_len, head_dim)."""

    def __init__(self, batch: int, n_head: int, max_len: int, head_dim: int, dtype, device):
        super().__init__()
        shape = (batch, n_head, max_len, head_dim)
        self.register_buffer("k", torch.zeros(shape, dtype=dtype, device=device), persistent=False)
        self.register_buffer("v", torch.zeros(shape, dtype=dtype, device=device), persistent=False)

    def update(self, pos: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
               keys: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Write the new keys and values (B, nh, T, hs) at positions `pos` (T,) of the first B rows and return
        those rows' first `keys` positions, what attention reads (None: the whole cache, so shapes never
        depend on the position, as a CUDA graph needs). A view of the buffers: nothing is copied."""
        B = k.shape[0]
        self.k[:B].index_copy_(2, pos, k)
        self.v[:B].index_copy_(2, pos, v)
        return self.k[:B, :, :keys], self.v[:B, :, :keys]

    def keep(self, rows: torch.Tensor) -> None:
        """Keep only the listed rows (drop finished generations)."""
        self.k = self.k.index_select(0, rows)
        self.v = self.v.index_select(0, rows)


class SelfAttention(nn.Module):
    """Multi-head self-attention: causal over a KV cache (text and coarse stages), or, with
    `causal=False`, every position over the whole window (the fine stage)."""

    def __init__(self, config: GPTConfig, causal: bool = True):
        super().__init__()
        self.causal = causal
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.n_head = config.n_head
        self.n_embd = config.n_embd

    def forward(self, x: torch.Tensor, pos: torch.Tensor | None = None, mask: torch.Tensor | None = None,
                cache: KVCache | None = None, keys: int | None = None) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))  # (B, nh, T, hs)
        if cache is not None:
            k, v = cache.update(pos, k, v, keys)  # (B, nh, keys, hs)
        if mask is not None:  # left-padded rows, or a fixed-shape step over the whole cache
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        else:  # as the reference: causal for a prompt, unmasked for one token after the cache or the fine window
            y = F.scaled_dot_product_attention(q, k, v, is_causal=self.causal and T > 1)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.c_proj(F.gelu(self.c_fc(x)))


class Block(nn.Module):
    """Pre-LN transformer block. `norm_bias` overrides `config.bias` for the LayerNorms: the fine
    stage's always carry one (the reference builds them as plain nn.LayerNorm)."""

    def __init__(self, config: GPTConfig, causal: bool = True, norm_bias: bool | None = None):
        super().__init__()
        norm_bias = config.bias if norm_bias is None else norm_bias
        self.ln_1 = LayerNorm(config.n_embd, bias=norm_bias)
        self.attn = SelfAttention(config, causal)
        self.ln_2 = LayerNorm(config.n_embd, bias=norm_bias)
        self.mlp = MLP(config)

    def forward(self, x: torch.Tensor, pos: torch.Tensor | None = None, mask: torch.Tensor | None = None,
                cache: KVCache | None = None, keys: int | None = None) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), pos, mask, cache, keys)
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

    def forward(
        self,
        idx: torch.Tensor,
        pos: torch.Tensor | None = None,
        pad: torch.Tensor | None = None,
        caches: list[KVCache] | None = None,
        vocab: slice | None = None,
        merge_context: bool = False,
        keys: int | None = None,
    ) -> torch.Tensor:
        """Tokens (B, T) at cache positions `pos` (T,) (default 0..T-1) → logits of the last position (B, 1, vocab).

        `pad` (B,) counts each row's left-padding tokens (None: no row is padded): its real tokens count
        positions from 0 after them, and attention is masked; `caches` (one per layer) are written at `pos`
        and their first `keys` positions read (None: all of them, masked past `pos`); `vocab` computes only
        those logits (the rows of `lm_head` a stage samples from). merge_context (text model): positions
        0..255 embed text + history tokens summed, so the model sees T − 256 positions."""
        x = self.transformer.wte(idx)  # (B, T, C)
        if merge_context:
            w = TEXT_WINDOW
            x = torch.cat([x[:, :w] + x[:, w : 2 * w], x[:, 2 * w :]], dim=1)  # (B, T - 256, C)
        if pos is None:
            pos = torch.arange(x.shape[1], device=x.device)
        if pad is None:  # as the reference: causal over a prompt, unmasked for one token after the cache
            position_ids, mask = pos[None], None
        else:
            position_ids = (pos[None, :] - pad[:, None]).clamp(min=0)  # (B, T)
            mask = padded_mask(pos, pad, keys or (caches[0].k.shape[2] if caches else x.shape[1]))
        x = x + self.transformer.wpe(position_ids)
        for block, cache in zip(self.transformer.h, caches or [None] * len(self.transformer.h)):
            x = block(x, pos, mask, cache, keys)
        x = self.transformer.ln_f(x[:, [-1]])  # layer norm is per position: only the last matters
        if vocab is None:
            return self.lm_head(x)
        return F.linear(x, self.lm_head.weight[vocab])  # a slice of rows: the same dot products

    def cache_dtype(self) -> torch.dtype:
        """The weights' dtype, or the autocast dtype when called under torch.autocast."""
        device = self.lm_head.weight.device.type
        return torch.get_autocast_dtype(device) if torch.is_autocast_enabled(device) else self.lm_head.weight.dtype

    def new_caches(self, batch: int, max_len: int) -> list[KVCache]:
        """One empty KV cache per layer, for `batch` rows of `max_len` positions, in `cache_dtype`."""
        c, device = self.config, self.lm_head.weight.device
        head_dim, dtype = c.n_embd // c.n_head, self.cache_dtype()
        return [KVCache(batch, c.n_head, max_len, head_dim, dtype, device) for _ in range(c.n_layer)]


def padded_mask(pos: torch.Tensor, pad: torch.Tensor, keys: int) -> torch.Tensor:
    """Attention mask (B, 1, T, keys) of queries at positions `pos` (T,) over the first `keys` cache positions,
    for rows that start with `pad[b]` padding tokens: no query attends to padding or to a later position,
    and a padding query attends only to itself (finite, never read)."""
    key = torch.arange(keys, device=pad.device)
    allowed = (key[None, None, :] <= pos[None, :, None]) & (key[None, None, :] >= pad[:, None, None])
    allowed |= key[None, None, :] == pos[None, :, None]
    return allowed[:, None]
