"""What each stage must at least compute and move, from the tokens a run made (the same for both
implementations), and the floors that follow at this machine's measured rates.

Counted per row from its lengths and per engine call from its batch: FLOPs of every matmul (weights
per token, attention per query-key pair, the logits a stage samples from), and bytes — every weight
read once per call (a batch shares them), plus the cached keys and values each row writes or reads.
The coarse prompt is taken at its longest (semantic window, infer token, the full history), as the
benchmark's voice fills it.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import torch

from bark_model.checkpoints import load_codec, resolve_model
from bark_model.constants import (
    CODEBOOK_SIZE,
    COARSE_WINDOW,
    FINE_STEP,
    FINE_WINDOW,
    MODEL_SHAPES,
    N_COARSE_CODEBOOKS,
    N_FINE_CODEBOOKS,
    SEMANTIC_VOCAB_SIZE,
    TEXT_WINDOW,
)

SEMANTIC_PROMPT = TEXT_WINDOW + 1  # positions once text and history are merged


def gpt_flops(cfg, n_tokens: float, n_keys: float, n_logits: float, vocab: int) -> float:
    """Matmul FLOPs of transformer calls: weights per token, attention per (query, key) pair, lm_head."""
    C = cfg.n_embd
    return cfg.n_layer * (24 * C * C * n_tokens + 4 * C * n_keys) + 2 * C * vocab * n_logits


def gpt_bytes(cfg, calls: int, n_kv: float, vocab: int, elem: int) -> float:
    """Memory moved at least by `calls` transformer calls: every weight each call uses (12·C² per layer,
    the lm_head rows read) and `n_kv` cached key/value positions in all, `elem` bytes a number."""
    C = cfg.n_embd
    return elem * (calls * (cfg.n_layer * 12 * C * C + C * vocab) + cfg.n_layer * 2 * C * n_kv)


def decode_cost(cfg, prompts: list[int], steps: list[int], vocab: int, elem: int) -> tuple[float, float]:
    """One engine call: each row reads its prompt, then decodes its steps one token at a time."""
    prompt_keys = sum(p * (p + 1) / 2 for p in prompts)  # causal: 1 + 2 + ... + p
    step_keys = sum(s * p + s * (s + 1) / 2 for p, s in zip(prompts, steps))  # step j reads p + j keys
    tokens, logits = sum(prompts) + sum(steps), len(prompts) + sum(steps)
    flops = gpt_flops(cfg, tokens, prompt_keys + step_keys, logits, vocab)
    calls = 1 + max(steps, default=0)  # the prompt, then one call per step of the longest row
    return flops, gpt_bytes(cfg, calls, sum(prompts) + step_keys, vocab, elem)  # prompts written, steps read


def semantic_cost(cfg, rows: list[dict], elem: int) -> tuple[float, float]:
    steps = [max(0, r["semantic"] - 1) for r in rows]
    return decode_cost(cfg, [SEMANTIC_PROMPT] * len(rows), steps, SEMANTIC_VOCAB_SIZE + 1, elem)


def coarse_cost(cfg, rows: list[dict], history: int, elem: int) -> tuple[float, float]:
    """Windows of COARSE_WINDOW flat tokens, each a fresh prompt; the rows of a call share its windows."""
    flat = [N_COARSE_CODEBOOKS * r["frames"] for r in rows]
    flops = moved = 0.0
    for start in range(0, max(flat, default=0), COARSE_WINDOW):
        live = [min(COARSE_WINDOW, n - start) for n in flat if n > start]
        f, b = decode_cost(cfg, [TEXT_WINDOW + 1 + history] * len(live), [s - 1 for s in live], CODEBOOK_SIZE, elem)
        flops, moved = flops + f, moved + b
    return flops, moved


def fine_cost(cfg, rows: list[dict], history: int, elem: int) -> tuple[float, float]:
    """Windows of FINE_WINDOW frames stepping FINE_STEP; each predicts six codebooks, attending the whole window."""
    loops = [max(0, int(np.ceil((r["frames"] - (FINE_WINDOW - history)) / FINE_STEP))) + 1 for r in rows]
    passes = sum(loops) * (N_FINE_CODEBOOKS - N_COARSE_CODEBOOKS)
    flops = passes * gpt_flops(cfg, FINE_WINDOW, FINE_WINDOW**2, FINE_WINDOW, CODEBOOK_SIZE)
    calls = max(loops, default=0) * (N_FINE_CODEBOOKS - N_COARSE_CODEBOOKS)
    return flops, gpt_bytes(cfg, calls, 0, CODEBOOK_SIZE, elem)


def codec_flops_per_frame(folder: Path) -> float:
    """Decoder FLOPs per 75 Hz frame (counted on a CPU copy of the folder's codec): convolutions
    counted by torch, the LSTM by formula."""
    from torch.utils.flop_counter import FlopCounterMode

    codec = load_codec(resolve_model(folder).codec, "cpu")
    frames = 150
    with FlopCounterMode(display=False) as counter:
        codec.decode(torch.zeros(1, 8, frames, dtype=torch.long))
    lstm = 0.0
    for m in codec.modules():
        if isinstance(m, torch.nn.LSTM):  # per step: 4 gates × (input + hidden) × hidden per layer
            lstm += m.num_layers * 2 * 4 * (m.input_size + m.hidden_size) * m.hidden_size
    return counter.get_total_flops() / frames + lstm  # the LSTM steps once per frame (latent rate)


def run_costs(cfg, rows: list[dict], batch: int, history: int, fine_history: int,
              codec_per_frame: float, elem: int) -> dict:
    """Per stage {gflop, gbyte} of a run whose rows came out `rows` long ({semantic: tokens, frames}),
    `batch` consecutive rows per engine call; `cfg` names the shape (n_layer, n_embd) of all three GPTs."""
    totals = {stage: [0.0, 0.0] for stage in ("semantic", "coarse", "fine", "codec")}
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        for stage, (f, b) in (("semantic", semantic_cost(cfg, chunk, elem)),
                              ("coarse", coarse_cost(cfg, chunk, history, elem)),
                              ("fine", fine_cost(cfg, chunk, fine_history, elem))):
            totals[stage][0] += f
            totals[stage][1] += b
    totals["codec"][0] = codec_per_frame * sum(r["frames"] for r in rows)
    return {s: {"gflop": round(f / 1e9, 3), "gbyte": round(b / 1e9, 3)} for s, (f, b) in totals.items()}


def ratio(seconds: float | None, floor: float) -> float | None:
    """How many times its floor a time is; None where the time was not measured or the floor is 0."""
    return round(seconds / floor, 2) if floor and seconds is not None else None


def floors(stages: dict, costs: dict, flop_s: float, byte_s: float, wall: float) -> dict:
    """Each stage's floors in seconds and how far its measured time sits above them (where the run timed
    its stages): compute (its FLOPs at the matmul rate) and roofline (the slower of that and its bytes at
    the read bandwidth); "all" puts the run's whole generation time `wall` against their sums."""
    out = {}
    for stage, cost in costs.items():
        floor = cost["gflop"] * 1e9 / flop_s
        roof = max(floor, cost["gbyte"] * 1e9 / byte_s)
        out[stage] = {"floor_s": round(floor, 2), "x_floor": ratio(stages.get(stage), floor),
                      "roofline_s": round(roof, 2), "x_roofline": ratio(stages.get(stage), roof)}
    total, roof = (sum(f[k] for f in out.values()) for k in ("floor_s", "roofline_s"))
    out["all"] = {"floor_s": round(total, 2), "x_floor": ratio(wall, total),
                  "roofline_s": round(roof, 2), "x_roofline": ratio(wall, roof)}
    return out


def shape_config(shape: str) -> SimpleNamespace:
    """The GPT shape (n_layer, n_head, n_embd) the benchmark's checkpoints of `shape` have."""
    n_layer, n_head, n_embd = MODEL_SHAPES[shape]
    return SimpleNamespace(n_layer=n_layer, n_head=n_head, n_embd=n_embd)
