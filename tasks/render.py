"""Render: one Prefect task per segment, cached by content hash, batched inside one shared engine.

A segment's audio is a pure function of (spoken text, voice bytes, model checkpoint, params, seed,
engine version); that tuple hashed is the task's cache key, so hits survive new processes and
flow runs, and an edited sentence re-renders only its segments. Batch size is not in the key:
batching never changes a row's result.
"""

from __future__ import annotations

import functools
import hashlib
import math
import json
import threading
from dataclasses import dataclass, field

import numpy as np
from prefect import task

from bark_model import BarkEngine, BatchingEngine, Generation, GenerationParams, VoicePrompt, load_voice
from bark_model.constants import MAX_SEMANTIC_STEPS, SEMANTIC_RATE_HZ
from bark_model.errors import BarkModelError
from bark_model.memory import default_batch_size

from .qc import QCSettings, inspect_segment

RENDER_VERSION = "1"  # bump when this module changes what a cached segment holds
MAX_SEMANTIC_SECONDS = MAX_SEMANTIC_STEPS / SEMANTIC_RATE_HZ


@dataclass
class RenderedSegment:
    """A segment's accepted audio and the record of every attempt that led to it."""

    segment_id: str
    audio: np.ndarray  # float32 mono
    sample_rate: int
    seed: int
    attempts: list[dict] = field(default_factory=list)


# How long a batch that is not full waits for one more segment. Chapters start seconds apart (each
# sub-flow run is created through the API); waiting for the next chapter's segments beats running
# the first chapter's alone and then a third, small batch (measured on the sample: 2 batches, not 3).
BATCH_FILL_WAIT_S = 2.5
_engines: dict[tuple, BatchingEngine] = {}
_engines_lock = threading.Lock()


def shared_engine(
    model: str, device: str, dtype: str, batch_size: int | None = None, compile: bool = False,
    autocast: str | None = None,
) -> BatchingEngine:
    """The process's one engine for this model: loaded on first use, shared by all task threads.
    Its largest batch is what fits in free memory once loaded (in the first caller's `autocast`
    mode, which holds a half-precision weight copy); `batch_size`, when given, replaces it."""
    key = (model, device, dtype, compile)
    with _engines_lock:
        if key not in _engines:
            engine = BarkEngine.load(model, device, dtype, compile)
            max_batch = default_batch_size(engine.models, device, autocast=autocast, compile=compile)
            _engines[key] = BatchingEngine(engine, max_batch=max_batch, max_wait_s=BATCH_FILL_WAIT_S)
        if batch_size is not None:
            _engines[key].max_batch = max(1, batch_size)
        return _engines[key]


@functools.lru_cache(maxsize=64)
def cached_voice(voice: str) -> VoicePrompt:
    return load_voice(voice)


def babble_cap_seconds(expected_seconds: float) -> float:
    """Longest semantic duration allowed for a segment: stops runaway generations early."""
    return min(MAX_SEMANTIC_SECONDS, 1.35 * expected_seconds + 1.0)


def render_with_qc(
    engine: BatchingEngine,
    spoken: str,
    voice: VoicePrompt,
    params: GenerationParams,
    seed: int,
    expected_seconds: float,
    qc: QCSettings,
    max_attempts: int,
) -> tuple[Generation, int, list[dict]]:
    """Generate, inspect, and on a QC failure try the next seed. When none passes, keep the least
    bad: fewest problems, then the duration closest to what the text predicts."""
    attempts, best = [], None
    for attempt in range(max_attempts):
        gen = engine.generate(spoken, voice, params, seed + attempt, babble_cap_seconds(expected_seconds))
        report = inspect_segment(gen.audio, gen.sample_rate, expected_seconds, qc)
        attempts.append({"seed": seed + attempt, **report.as_dict()})
        badness = (len(report.problems), abs(math.log(max(gen.seconds, 1e-3) / expected_seconds)))
        if best is None or badness < best[0]:
            best = (badness, gen, seed + attempt)
        if report.passed:
            break
    _, gen, used_seed = best
    return gen, used_seed, attempts


def worth_retrying(task, task_run, state) -> bool:
    """Retry a failure that may pass (memory pressure, a flaky device), not one a person must fix
    first: the engine's own errors (a damaged checkpoint, torch.compile failing) would only repeat."""
    try:
        state.result()
    except BarkModelError:
        return False
    except BaseException:
        pass
    return True


def segment_cache_key(context, parameters: dict) -> str:
    """`render-segment-v1-<segment id>-<hash of everything that determines the audio>`.
    `compile` is left out because `model_fingerprint` names it (keys of uncompiled renders stay valid)."""
    determining = {k: v for k, v in parameters.items() if k not in ("batch_size", "voice", "compile")}
    digest = hashlib.sha256(json.dumps(determining, sort_keys=True, default=str).encode())
    return f"render-segment-v{RENDER_VERSION}-{parameters['segment_id']}-{digest.hexdigest()[:24]}"


@task(
    name="render-segment",
    task_run_name="render {segment_id}",
    cache_key_fn=segment_cache_key,
    persist_result=True,
    retries=2,
    retry_delay_seconds=[2, 10],
    retry_jitter_factor=0.5,
    retry_condition_fn=worth_retrying,
    tags=["bark"],
)
def render_segment(
    segment_id: str,
    spoken: str,
    expected_seconds: float,
    voice: str,
    voice_digest: str,
    model: str,
    model_fingerprint: str,
    device: str,
    dtype: str,
    seed: int,
    params: dict,
    qc: dict,
    max_attempts: int,
    batch_size: int | None,
    compile: bool = False,
) -> RenderedSegment:
    """Audio for one segment; `voice_digest` and `model_fingerprint` pin the bytes behind the names."""
    engine = shared_engine(model, device, dtype, batch_size, compile, params.get("autocast"))
    gen, used_seed, attempts = render_with_qc(
        engine,
        spoken,
        cached_voice(voice),
        GenerationParams(**params),
        seed,
        expected_seconds,
        QCSettings(**qc),
        max_attempts,
    )
    return RenderedSegment(segment_id, gen.audio, gen.sample_rate, used_seed, attempts)
