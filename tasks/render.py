"""Render: a chapter's segments in one Prefect task, each choosing among its takes; takes and choices cached apart.

A take's tokens are a pure function of (spoken text, voice bytes, model checkpoint, params, seed,
engine version): that hashed is the take's cache key (`render-take-…`, a record in the segment task's
result storage, written as soon as the take is made); the record holds its fine tokens, not audio.
The segment's record (`render-segment-…`) holds the checks of every take tried and the kept take; its
key adds the QC settings, the seeds it may use and the takes per round, so a changed QC setting
re-checks cached takes without generating any. Hits survive new processes and flow runs;
an edited sentence re-renders only its segments. Batch size is in no key: it never changes a row.

One task run a chapter, not one a segment: Prefect's task run cost the book's process ~18 ms of CPU a
segment and the server ~90 (its state events), and a busy SQLite server refused some of those writes
(benchmarks/bench_pipeline.md). The records, retries, log lines and progress stay per segment.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from contextvars import copy_context
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.results import ResultStore, get_result_store

from bark_model import BatchingEngine, VoicePrompt
from bark_model.constants import MAX_SEMANTIC_STEPS, SAMPLE_RATE, SEMANTIC_RATE_HZ
from bark_model.errors import BarkModelError
from bark_model.memory import batch_cap

from .engines import EngineKey, lent_pool
from .errors import BarkbookError
from .progress import ChapterProgress, SegmentDone
from .retries import retrying
from .run_names import chapter_artifact_key, run_logger, segment_label, segment_log_line
from .take_qc import TakeInspector, flag_voice_drift
from .takes import SeedPlan, Take, TakeCheck, choose_take

if TYPE_CHECKING:
    from .plan import ChapterPlan, RenderSettings, SegmentPlan

RENDER_VERSION = "2"  # bump when this module changes what a cached take or segment holds (v2: takes apart)
MAX_SEMANTIC_SECONDS = MAX_SEMANTIC_STEPS / SEMANTIC_RATE_HZ
Made = TypeVar("Made")
RETRY_DELAYS_S = (2.0, 10.0)  # a segment that failed in a way that may pass is tried twice more


@dataclass
class RenderedSegment:
    """A segment's kept take and the checks of every take tried, in seed order (its cached record)."""

    segment_id: str
    take: Take
    attempts: list[TakeCheck]
    qc_mode: str
    per_round: int = 1  # takes generated together (`--takes`)

    @property
    def seed(self) -> int:
        return self.take.seed

    @property
    def kept(self) -> TakeCheck:
        return next(check for check in self.attempts if check.seed == self.take.seed)

    @property
    def audio(self) -> np.ndarray | None:
        """The kept take's samples; None for a cached record until `with_audio` decodes it."""
        return self.take.audio

    @property
    def sample_rate(self) -> int:
        return self.take.sample_rate

    @property
    def seconds(self) -> float:
        return self.take.seconds


def babble_cap_seconds(expected_seconds: float) -> float:
    """Longest semantic duration allowed for a segment: stops runaway generations early."""
    return min(MAX_SEMANTIC_SECONDS, 1.35 * expected_seconds + 1.0)


def engine_for(settings: RenderSettings) -> BatchingEngine:
    """The engine these settings name, from the pool this task's owner lent (checked against the plan once)."""
    return lent_pool().engine(EngineKey.of(settings))


def pinned_voice(segment: SegmentPlan) -> VoicePrompt:
    """The segment's voice, checked against the digest the plan pinned (once per voice and pool)."""
    return lent_pool().voice(segment.voice, segment.voice_digest)


def take_inspector(segment: SegmentPlan, settings: RenderSettings, voice: VoicePrompt) -> TakeInspector:
    inspector = TakeInspector(settings.qc_mode, settings.qc, segment.spoken, segment.seconds)
    if settings.qc_mode == "speech":
        inspector.speech = lent_pool().speech_qc(settings)
        inspector.reference = inspector.speech.reference(voice)
    return inspector


def seed_plan(segment: SegmentPlan, settings: RenderSettings) -> SeedPlan:
    return SeedPlan(settings.seed + segment.seed_offset, settings.takes, settings.max_attempts)


def worth_retrying(error: BaseException) -> bool:
    """Retry a failure that may pass (memory pressure, a flaky device), not one a person must fix
    first: the engine's own errors (a damaged checkpoint, torch.compile failing) and ours (files that
    are not what the plan pinned) would only repeat."""
    return not isinstance(error, BarkModelError | BarkbookError)


def with_retries(make: Callable[[], RenderedSegment], what: str, delays_s=RETRY_DELAYS_S,
                 sleep=time.sleep) -> RenderedSegment:
    """`make()`, tried again after each delay while it fails in a way that may pass; the last failure raised."""
    return retrying(make, what, delays_s, worth_retrying, sleep=sleep)


def digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:24]


def take_inputs(segment: SegmentPlan, settings: RenderSettings) -> dict:
    """Everything that determines a take's tokens besides its seed (the model by its fingerprint, which
    also names compile; the voice by its digest)."""
    return {"spoken": segment.spoken, "cap_s": babble_cap_seconds(segment.seconds),
            "voice_digest": segment.voice_digest,
            **settings.model_dump(include={"model_fingerprint", "device", "dtype", "params"})}


def take_cache_key(segment: SegmentPlan, settings: RenderSettings, seed: int) -> str:
    """`render-take-v2-<segment id>-<seed>-<hash of the take's inputs>`: no QC setting in it."""
    return f"render-take-v{RENDER_VERSION}-{segment.id}-{seed}-{digest(take_inputs(segment, settings))}"


def segment_cache_key(segment: SegmentPlan, settings: RenderSettings) -> str:
    """`render-segment-v2-<segment id>-<hash>`: the takes' inputs, the seeds it may use, the QC settings."""
    choice = {"takes": take_inputs(segment, settings), "seeds": seed_plan(segment, settings).round_seeds(),
              "expected_s": segment.seconds, **settings.model_dump(include={"qc_mode", "qc", "speech_qc"})}
    return f"render-segment-v{RENDER_VERSION}-{segment.id}-{digest(choice)}"


def generate_take(engine: BatchingEngine, voice: VoicePrompt, segment: SegmentPlan, settings: RenderSettings,
                  seed: int) -> Take:
    """One generation of a segment: its fine tokens (and, in memory only, its audio)."""
    gen = engine.generate(segment.spoken, voice, settings.params, seed, babble_cap_seconds(segment.seconds))
    return Take(segment.id, seed, gen.fine.astype(np.int16), gen.sample_rate, gen.audio)


def cached_record(store: ResultStore, key: str, make: Callable[[], Made]) -> tuple[Made, bool]:
    """(the record under `key` in `store` — the render task's result storage: the cache folder or URL —,
    True), else (made and written there at once, False), so a run killed mid-chapter keeps what it
    finished. A record a killed run left half-written does not `exist`, and is made again."""
    if store.exists(key):
        return store.read(key).result, True
    made = make()
    store.write(made, key=key)
    return made, False


def render_segment(segment: SegmentPlan, settings: RenderSettings) -> RenderedSegment:
    """A segment's best take: rounds of `settings.takes` takes (each cached on its own, beside the segment's
    record), each checked in this task's threads as it arrives, until one passes or
    `settings.max_attempts` rounds are spent. The model and the voice are checked against the plan
    before anything is generated or stored."""
    engine, voice, store = engine_for(settings), pinned_voice(segment), get_result_store()
    inspector = take_inspector(segment, settings, voice)

    def take_and_check(seed: int) -> tuple[Take, TakeCheck]:
        take, _ = cached_record(store, take_cache_key(segment, settings, seed),
                                functools.partial(generate_take, engine, voice, segment, settings, seed))
        if inspector.needs_audio and take.audio is None:  # a cached take: decode its tokens
            take.audio = engine.decode([take.fine])[0]
        return take, inspector.check(take)

    take, checks = choose_take(take_and_check, seed_plan(segment, settings))
    return RenderedSegment(segment.id, take, checks, settings.qc_mode, settings.takes)


def cached_segment(store: ResultStore, segment: SegmentPlan, settings: RenderSettings,
                   label: str) -> tuple[RenderedSegment, bool]:
    """(the segment's record, True) from `store`, else (rendered — tried again while it fails in a way that
    may pass — and written there at once, False). Its log line goes on the render task's page."""
    rendered, cached = cached_record(store, segment_cache_key(segment, settings),
                                     lambda: with_retries(lambda: render_segment(segment, settings), label))
    if not cached:
        run_logger().info(f"{label}: {segment_log_line(segment.text, segment.voice, rendered)}")
    return rendered, cached


@task(name="render-segments", cache_policy=NO_CACHE)  # no tags: a tagged task's run asks the server for a slot
def render_segments(chapter: ChapterPlan) -> tuple[list[RenderedSegment], list[SegmentDone]]:
    """The chapter's segments, in order, from their records or rendered side by side (enough threads to fill
    the engine's batch), each reported as it finishes; with the progress events. Every segment is tried
    before the first failure is raised, so all that could finish are stored for the next run."""
    settings, store = chapter.settings, get_result_store()
    progress = ChapterProgress.start(chapter.index, len(chapter.segments), chapter_artifact_key("progress", chapter),
                                     chapter.title)

    def one(position: int, segment: SegmentPlan) -> RenderedSegment:
        rendered, cached = cached_segment(store, segment, settings, segment_label(chapter.index, position, segment))
        progress.segment_done(segment.id, rendered.seconds, len(rendered.attempts), cached)
        return rendered

    workers = max(1, min(len(chapter.segments), settings.batch_size or batch_cap(settings.device)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="segment") as pool:
        futures = [pool.submit(copy_context().run, one, i, segment) for i, segment in enumerate(chapter.segments, start=1)]
        wait(futures)
    return [future.result() for future in futures], progress.events


@task(name="decode-takes", cache_policy=NO_CACHE)
def with_audio(rendered: list[RenderedSegment], settings: RenderSettings) -> list[RenderedSegment]:
    """The segments with their kept takes' audio: cached records hold tokens, decoded here in one batch."""
    missing = [r.take for r in rendered if r.take.audio is None]
    if missing:
        for take, audio in zip(missing, engine_for(settings).decode([t.fine for t in missing])):
            take.audio = audio
    return rendered


@task(name="chapter-voice", cache_policy=NO_CACHE)
def check_chapter_voice(rendered: list[RenderedSegment], segments: list[SegmentPlan], settings: RenderSettings) -> None:
    """With speech QC: every kept take against its speaker's running voice in this chapter (see
    `take_qc.flag_voice_drift`); takes must carry their audio (`with_audio`)."""
    if settings.qc_mode != "speech":
        return
    checker = lent_pool().speech_qc(settings).checker
    kept = [(segment.voice, r.audio, r.kept) for segment, r in zip(segments, rendered)]
    flag_voice_drift(kept, lambda audio: checker.embed(audio, SAMPLE_RATE), settings.speech_qc.min_running_similarity)
