"""How many rows fit: the default batch size from the memory a device has free.

A row's memory is the largest of the three token stages' working sets (its KV caches, the fine
window's activations), estimated from the model shapes and checked against measured peak RSS by
benchmarks/bench_engine.py (the estimate sits above the measured growth per row). The codec
decodes in chunks of bounded size, so it adds a constant, not a per-row cost.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch

from .codec_batches import MAX_DECODE_FRAMES
from .constants import (
    COARSE_WINDOW,
    CONTEXT_WINDOW_SIZE,
    FINE_WINDOW,
    HOP_LENGTH,
    MAX_COARSE_HISTORY,
    MAX_SEMANTIC_STEPS,
    MODEL_SHAPES,
    STAGE_VOCABS,
    TEXT_WINDOW,
)

CONTEXT = CONTEXT_WINDOW_SIZE  # block_size of every published Bark GPT
COARSE_PROMPT = TEXT_WINDOW + 1 + MAX_COARSE_HISTORY  # semantic window, infer token, coarse history
CODEC_BYTES = MAX_DECODE_FRAMES * HOP_LENGTH * 4 * 96  # a full codec call's activations: ~370 MB, batch-independent
SAFETY = 1.5  # allocator slack and temporaries the estimate does not name
USABLE_SHARE = 0.7  # of the free memory: leave the rest to the OS, the page cache and other work
# Largest default batch per device type: on 2 CPU cores batch 16 rendered the sample no faster than
# 8 (and a bigger batch only delays the first finished segments); 32 is the GPU throughput target.
MAX_BATCH = {"cpu": 8, "cuda": 32}
SHAPES = {"random-tiny": MODEL_SHAPES["tiny"], **MODEL_SHAPES}  # a model name's shape, before any file is read


def row_bytes(n_layer: int, n_head: int, n_embd: int, dtype_bytes: int = 4, static: bool = False) -> int:
    """Peak bytes one more row adds, the largest over the three token stages (with SAFETY margin).
    `static`: fixed-shape decoding, whose text and coarse caches (block_size each) outlive their stage."""
    L, H, C, d = n_layer, n_head, n_embd, dtype_bytes
    kv = lambda positions: 2 * L * positions * C * d  # noqa: E731  keys and values of every layer
    prefill = lambda T: T * (3 + 4 + 2) * C * d + H * T * T * 4  # noqa: E731  qkv, MLP, residuals, scores
    semantic = kv(TEXT_WINDOW + 1 + MAX_SEMANTIC_STEPS) + prefill(TEXT_WINDOW + 1) + STAGE_VOCABS["text"][1] * 4
    coarse = kv(COARSE_PROMPT + COARSE_WINDOW) + prefill(COARSE_PROMPT) + STAGE_VOCABS["coarse"][1] * 4
    fine = prefill(FINE_WINDOW) + FINE_WINDOW * C * d * 8 + FINE_WINDOW * STAGE_VOCABS["fine"][1] * 4 * 2
    return int(SAFETY * (max(semantic, coarse, fine) + (kv(CONTEXT) if static else 0)))


def gpt_params(n_layer: int, n_embd: int) -> int:
    """Parameters of one GPT's blocks (12·C² per layer) and position embeddings, without token tables."""
    return 12 * n_layer * n_embd**2 + CONTEXT * n_embd


def weight_bytes(n_layer: int, n_embd: int, dtype_bytes: int = 4) -> int:
    """The three GPTs' parameters (each: 12·C² per layer, embeddings and heads) plus the codec's."""
    per_model = gpt_params(n_layer, n_embd)
    embeddings = sum(i + o for i, o in STAGE_VOCABS.values()) * n_embd + 6 * STAGE_VOCABS["fine"][0] * n_embd
    return (3 * per_model + embeddings) * dtype_bytes + 80_000_000  # EnCodec decoder: ~15M params + codebooks


def load_bytes(n_layer: int, n_embd: int, dtype_bytes: int = 4) -> int:
    """Weights plus what loading holds on top for a moment: one checkpoint's tensors beside the model
    built from them (the largest, text: its 129,600-row input embedding). Without it the estimate sat
    797 MiB under the measured peak for large shapes."""
    text = gpt_params(n_layer, n_embd) + sum(STAGE_VOCABS["text"]) * n_embd
    return weight_bytes(n_layer, n_embd, dtype_bytes) + text * dtype_bytes


def cast_bytes(n_layer: int, n_embd: int) -> int:
    """The half-precision copy of every matmul weight autocast keeps for a whole call (blocks and
    heads of the three GPTs; embeddings are looked up, not cast): +0.5× the fp32 weights."""
    heads = (STAGE_VOCABS["text"][1] + STAGE_VOCABS["coarse"][1] + 7 * STAGE_VOCABS["fine"][1]) * n_embd
    return 2 * (3 * 12 * n_layer * n_embd**2 + heads)


def batch_cap(device: str | torch.device) -> int:
    """The largest default batch on this device (MAX_BATCH by device type; CPU's for others)."""
    return MAX_BATCH.get(torch.device(device).type, MAX_BATCH["cpu"])


def available_bytes(device: str | torch.device = "cpu") -> int:
    """Memory free for new allocations: CUDA's free memory, or the host's (cgroup limit respected)."""
    device = torch.device(device)
    if device.type == "cuda":
        free, _ = torch.cuda.mem_get_info(device)
        return int(free)
    return host_available_bytes()


def host_available_bytes() -> int:
    """MemAvailable from /proc/meminfo (else free pages), capped by a cgroup v2 memory limit."""
    free = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                free = int(line.split()[1]) * 1024
    except OSError:
        pass
    if free is None:
        free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        used = int(Path("/sys/fs/cgroup/memory.current").read_text())
        if limit != "max":
            free = min(free, int(limit) - used)
    except (OSError, ValueError):
        pass
    return max(0, free)


def model_shape(model) -> tuple[int, int, int, int, bool]:
    """(n_layer, n_head, n_embd, dtype bytes, loaded?) of BarkModels, or of a model name's shape."""
    if isinstance(model, str):
        if model not in SHAPES:
            raise ValueError(f"no known shape for {model!r}: pass the loaded models, or one of {', '.join(SHAPES)}")
        return (*SHAPES[model], 4, False)
    shapes = [(m.config.n_layer, m.config.n_head, m.config.n_embd) for m in (model.text, model.coarse, model.fine)]
    n_layer, n_head, n_embd = max(shapes)
    return n_layer, n_head, n_embd, model.coarse.lm_head.weight.element_size(), True


def default_batch_size(
    model,
    device: str | torch.device = "cpu",
    *,
    free_bytes: int | None = None,
    max_batch: int | None = None,
    autocast: str | None = None,
    compile: bool = False,
) -> int:
    """The largest batch (1..max_batch, default MAX_BATCH for the device) whose rows fit in
    USABLE_SHARE of the free memory.

    `model`: loaded `BarkModels` (their weights already count as used) or a name in SHAPES (its
    weights are still to be loaded, so they are subtracted). `free_bytes` overrides the probe.
    `autocast` (a fast mode's dtype) reserves the weights' half-precision copy it holds; `compile`, the
    caches that fixed-shape decoding keeps (engine.compiled_decoders)."""
    n_layer, n_head, n_embd, dtype_bytes, loaded = model_shape(model)
    free = available_bytes(device) if free_bytes is None else free_bytes
    max_batch = max_batch or batch_cap(device)
    usable = free * USABLE_SHARE - CODEC_BYTES
    if not loaded:
        usable -= load_bytes(n_layer, n_embd, dtype_bytes)
    if autocast is not None:
        usable -= cast_bytes(n_layer, n_embd)
    return int(max(1, min(max_batch, usable // row_bytes(n_layer, n_head, n_embd, dtype_bytes, compile))))
