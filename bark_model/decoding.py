"""Decoders: the state of one generation over a GPT (KV caches, rows' left padding, next position).

Both decoders read a prompt with `prefill(idx, pad)`, then take one token per row with `step(idx)`,
and drop finished rows with `keep(rows)`; the position and padding are theirs to track, so callers
cannot pass them wrong or out of order. `Decoder` is the eager one: caches sized to the call, rows
that finish leave them (less work per step). `StaticDecoder` keeps fixed shapes, as CUDA graphs
need (gpt-fast's design): one cache of block_size positions for the largest batch seen, kept
between calls (a compiled step's graphs point into it); the position is a tensor, attention masked
over the whole cache, finished rows ride along. Both run the same `GPT.forward` and `KVCache.update`
(positions always a tensor, as in gpt-fast); the eager one reads only the positions written so far, the
static one the whole cache, masked. They give the same tokens (tests/test_decoding.py).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from .constants import TEXT_WINDOW
from .gpt import GPT, KVCache


class Decoder:
    """Eager decoding of one call: caches of exactly `batch` rows and `max_len` positions."""

    def __init__(self, gpt: GPT, batch: int, max_len: int):
        self.gpt = gpt
        self.caches = gpt.new_caches(batch, max_len)
        self.pad: torch.Tensor | None = None
        self.pos = 0  # the next cache position

    def prefill(self, idx: torch.Tensor, pad: torch.Tensor | None = None, *, merge_context: bool = False,
                vocab: slice | None = None) -> torch.Tensor:
        """Prompt tokens (B, T), `pad[b]` of them left padding → last-position logits (B, 1, vocab)."""
        self.pad = pad if pad is not None and bool(pad.any()) else None  # unpadded rows: the reference's attention
        self.pos = written_length(idx, merge_context)
        return prefill(self.gpt, idx, self.pad, self.caches, vocab, merge_context)

    def step(self, idx: torch.Tensor, vocab: slice | None = None) -> torch.Tensor:
        """One new token per live row (B, 1) → logits (B, 1, vocab)."""
        at = torch.arange(self.pos, self.pos + 1, device=idx.device)
        self.pos += 1
        return self.gpt(idx, at, self.pad, self.caches, vocab, keys=self.pos)

    def keep(self, rows: torch.Tensor) -> None:
        """Keep only the listed live rows, in that order."""
        for cache in self.caches:
            cache.keep(rows)
        if self.pad is not None:
            self.pad = self.pad[rows]


class StaticDecoder:
    """Fixed-shape decoding over one GPT, made once and reused by every call (`start` begins one).

    `wrap` (e.g. torch.compile) is applied to the fixed-shape step. Costs memory, and attention over
    the whole cache (on 2 CPU cores a small-shape step at batch 8 took about as long either way)."""

    def __init__(self, gpt: GPT, wrap: Callable | None = None):
        self.gpt = gpt
        self.fixed_step = wrap(self.step_every_row) if wrap else self.step_every_row
        self.caches: list[KVCache] = []
        self.slots = self.pad = None  # the cache row of each live row; every cache row's left padding
        self.pos = 0

    def start(self, batch: int) -> StaticDecoder:
        """Begin a call of `batch` rows: the cache is kept if it holds as many rows in this dtype."""
        device = self.gpt.lm_head.weight.device
        rows = self.caches[0].k.shape[0] if self.caches else 0
        if rows < batch or self.caches[0].k.dtype != self.gpt.cache_dtype():
            self.caches = self.gpt.new_caches(max(batch, rows), self.gpt.config.block_size)
        self.slots = torch.arange(batch, device=device)
        self.pad = torch.zeros(self.caches[0].k.shape[0], dtype=torch.long, device=device)
        return self

    def prefill(self, idx: torch.Tensor, pad: torch.Tensor | None = None, *, merge_context: bool = False,
                vocab: slice | None = None) -> torch.Tensor:
        """As `Decoder.prefill`; the prompt fills the first B cache rows."""
        self.pad.zero_()
        if pad is not None:
            self.pad[: len(pad)] = pad
        self.pos = written_length(idx, merge_context)
        return prefill(self.gpt, idx, pad if pad is not None and bool(pad.any()) else None, self.caches, vocab,
                       merge_context)

    def step(self, idx: torch.Tensor, vocab: slice | None = None) -> torch.Tensor:
        """As `Decoder.step`: every cache row steps; the live rows' tokens go to their slots."""
        tokens = torch.zeros(len(self.pad), 1, dtype=idx.dtype, device=idx.device)
        tokens[self.slots] = idx
        at = torch.tensor([self.pos], device=idx.device)
        self.pos += 1
        return self.fixed_step(tokens, at, self.pad, vocab)[self.slots]

    def keep(self, rows: torch.Tensor) -> None:
        """Keep only the listed live rows, in that order (their cache rows stay where they are)."""
        self.slots = self.slots[rows]

    def step_every_row(self, idx: torch.Tensor, pos: torch.Tensor, pad: torch.Tensor, vocab: slice | None):
        """One token (B, 1) for every cache row at position `pos` (a (1,) tensor), shapes independent
        of it: the keys of [pad, pos] of each row are attended, the rest of the cache masked out."""
        return self.gpt(idx, pos, pad, self.caches, vocab)


def prefill(gpt: GPT, idx: torch.Tensor, pad: torch.Tensor | None, caches: list[KVCache], vocab: slice | None,
            merge_context: bool) -> torch.Tensor:
    """A prompt written into the caches' first rows at positions 0..; attention reads only those positions."""
    written = written_length(idx, merge_context)
    return gpt(idx, torch.arange(written, device=idx.device), pad, caches, vocab, merge_context, keys=written)


def written_length(idx: torch.Tensor, merge_context: bool) -> int:
    """Cache positions a prompt fills: its tokens, less the 256 merged into the text model's first ones."""
    return idx.shape[1] - (TEXT_WINDOW if merge_context else 0)


def open_decoder(gpt: GPT, batch: int, max_len: int, static: StaticDecoder | None = None) -> Decoder | StaticDecoder:
    """The decoder of one call: the static one when given (its cache reused), else a fresh eager one."""
    return static.start(batch) if static is not None else Decoder(gpt, batch, max_len)
