"""A stand-in for Bark that costs next to nothing, so the scale benchmarks time the pipeline, not the model.

`InstantBark` answers `generate_batch` and `decode` as `BarkEngine` does (fine tokens of the row's
length, 24 kHz float32 audio), from a seed, in microseconds: each row is as long as the segment's
expected speech (read back from its cap, `tasks.render.segments.babble_cap_seconds`), its audio syllable-like
bursts of noise at about −20 dBFS that pass signal QC, its tokens a function of its audio's seed.
It sits inside the product's own `BatchingEngine`, so batching, its thread and every task around it
run as in production; only the GPT stages and the codec are replaced. Figures measured with it are
the pipeline's alone: on a GPU the real engine adds ~0.5 s a segment.

- `INSTANT_ENGINE_BATCH_S` in the environment: seconds each batch takes (default 0), so that a kill can land
  between a chapter's segments (bench_workers.py --kill).
- `instant_pool()`: an `EnginePool` whose engines are this stand-in (lend it to an in-process book run).
- `render_chapter_instant`: the product's `render-chapter` flow with a task runner that lends such a
  pool: the entry point of the benchmark's chapter deployments (workers run it in their own processes).
"""

from __future__ import annotations

import os
import time

import numpy as np

from bark_model.constants import COARSE_RATE_HZ, HOP_LENGTH, N_FINE_CODEBOOKS, SAMPLE_RATE
from bark_model.engine import Generation
from flows.render_book import render_chapter
from tasks.render.engines import BATCH_FILL_WAIT_S, EnginePool, EngineTaskRunner, lend

SYLLABLE_HZ = 4.0  # bursts a second
LEVEL = 0.1  # burst amplitude: about −20 dBFS RMS over a row
BATCH_SECONDS_ENV = "INSTANT_ENGINE_BATCH_S"


class InstantBark:
    """`BarkEngine`'s batch interface, answered without a model."""

    on_stage = None  # BarkEngine's timing hook: nothing to time here

    def __init__(self, batch_s: float = 0.0):
        self.batch_s = batch_s  # seconds a batch takes (0: at once)

    def generate_batch(self, texts, voices, params=None, seeds=None, max_seconds=None) -> list[Generation]:
        time.sleep(self.batch_s)
        seeds = seeds or list(range(len(texts)))
        caps = [m or 4.0 for m in (max_seconds or [None] * len(texts))]
        return [self.row(seed, max(0.5, (cap - 1.0) / 1.35)) for seed, cap in zip(seeds, caps)]

    def row(self, seed: int, seconds: float) -> Generation:
        frames = max(1, round(seconds * COARSE_RATE_HZ))
        fine = np.random.default_rng(seed).integers(0, 1024, size=(N_FINE_CODEBOOKS, frames), dtype=np.int64)
        return Generation(semantic=fine[0], coarse=fine[:2], fine=fine, audio=self.decode([fine])[0])

    def decode(self, fine_rows: list[np.ndarray]) -> list[np.ndarray]:
        """Syllable-like noise bursts as long as the tokens, seeded by their first column (deterministic)."""
        return [speechlike(fine.shape[1] * HOP_LENGTH, int(fine[:, 0].sum())) for fine in fine_rows]


def speechlike(samples: int, seed: int) -> np.ndarray:
    """Noise under a 4 Hz raised-sine envelope with 0.15 s of quiet at each end: voiced, never clipped."""
    t = np.arange(samples) / SAMPLE_RATE
    envelope = np.clip(np.sin(2 * np.pi * SYLLABLE_HZ * t), 0.15, None) ** 2
    edge = int(0.15 * SAMPLE_RATE)
    envelope[:edge] = envelope[-edge:] = 0.0
    noise = np.random.default_rng(seed).standard_normal(samples)
    return (LEVEL * envelope * noise).astype(np.float32)


def open_instant(key):
    """An `EnginePool` loader: the product's `BatchingEngine` around the stand-in (the key is ignored)."""
    from bark_model import BatchingEngine

    stand_in = InstantBark(float(os.environ.get(BATCH_SECONDS_ENV, "0")))
    return BatchingEngine(stand_in, max_batch=key.max_batch or 8, max_wait_s=BATCH_FILL_WAIT_S)


def instant_pool() -> EnginePool:
    return EnginePool(open_engine=open_instant)


class InstantEngineTaskRunner(EngineTaskRunner):
    """A chapter run's task runner lending a stand-in pool, opened with the run and closed with it."""

    def __enter__(self) -> InstantEngineTaskRunner:
        self._pool = instant_pool()
        self._lending = lend(self._pool)
        self._lending.__enter__()
        return super().__enter__()

    def __exit__(self, *exc) -> None:
        try:
            super().__exit__(*exc)
        finally:
            self._lending.__exit__(None, None, None)
            self._pool.close()


render_chapter_instant = render_chapter.with_options(task_runner=InstantEngineTaskRunner())
