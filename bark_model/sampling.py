"""Sampling as the reference does it, for a batch of rows each drawing from its own generator."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


def sample_rows(
    logits: torch.Tensor,
    temp: float | None,
    top_k: int | None,
    top_p: float | None,
    generators: list[torch.Generator | None],
) -> tuple[list[int], torch.Tensor]:
    """One token per row of (B, V) logits as the reference draws it: top-p, then top-k, then
    softmax(logits / temp), then one multinomial draw, row i from `generators[i]`; temp None means
    argmax (no draw). Returns the tokens and the probabilities (at temperature 1 for argmax).

    Filtering and softmax run over the whole batch (row by row they give the same floats, checked
    in tests/test_generation.py); only the draws go row by row, each from its own generator."""
    logits = logits.float()
    if top_p is not None:  # in numpy, like the reference, so ties sort the same way
        logits = torch.stack([top_p_filter(row, top_p) for row in logits])
    if top_k is not None:
        v, _ = torch.topk(logits, min(top_k, logits.size(-1)), dim=-1)
        logits = logits.masked_fill(logits < v[:, -1:], -float("inf"))
    if temp is None:
        return torch.argmax(logits, dim=-1).tolist(), F.softmax(logits, dim=-1)
    probs = F.softmax(logits / temp, dim=-1)
    return draw_rows(probs, generators), probs


def generator_device(generators: list[torch.Generator | None]) -> torch.device:
    """Where the rows' random numbers are made: the generators' device (the CPU for None)."""
    return next((g.device for g in generators if g is not None), torch.device("cpu"))


def draw_rows(probs: torch.Tensor, generators: list[torch.Generator | None]) -> list[int]:
    """One draw per row of (B, V) probabilities, each from its own generator, on the generators'
    device. On CPU exactly as `torch.multinomial(row, 1, generator=g)` draws it: torch takes a single
    sample as argmax(p / q) with q ~ Exp(1) from the generator (checked in tests/test_generation.py).
    Only the random numbers go row by row; the checks and the argmax run once per batch."""
    probs = probs.to(generator_device(generators))
    if not (torch.isfinite(probs) & (probs >= 0)).all():  # one check: one wait for a GPU
        raise ValueError("invalid sampling distribution (NaN, infinite or negative probabilities)")
    q = torch.empty_like(probs)
    for row, generator in zip(q, generators):
        row.exponential_(generator=generator)
    return torch.argmax(probs / q, dim=-1).tolist()


def top_p_filter(logits: torch.Tensor, top_p: float) -> torch.Tensor:
    """1-D logits with everything past the top-p nucleus set to -inf (the first token over stays)."""
    x = logits.cpu().numpy().copy()
    order = np.argsort(x)[::-1]
    e = np.exp(x[order] - x[order].max())
    remove = np.cumsum(e / e.sum()) > top_p
    remove[1:] = remove[:-1].copy()
    remove[0] = False
    x[order[remove]] = -np.inf
    return torch.from_numpy(x).to(logits.device)
