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
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from contextvars import copy_context
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.results import ResultStore, get_result_store

from bark_model import BarkModelError, BatchingEngine, VoicePrompt
from bark_model.constants import MAX_SEMANTIC_STEPS, SAMPLE_RATE, SEMANTIC_RATE_HZ
from bark_model.memory import batch_cap
from tasks.core import BarkbookError, content_key, retrying, run_logger
from tasks.plan import ChapterPlan, RenderSettings, SegmentPlan, chapter_artifact_key, render_task_name, segment_label
from tasks.qc import SeedPlan, Take, TakeCheck, TakeInspector, choose_take, flag_voice_drift

from .engines import EngineKey, EnginePool, lent_pool
from .progress import ChapterProgress, SegmentDone

RENDER_VERSION = "3"  # bump when what a cached take or segment holds changes (v2: takes apart; v3: tasks/ regrouped, speech checks typed)
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
        """The kept take's samples; None for a cached record until `decode_kept_takes` decodes it."""
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


def take_inspector(segment: SegmentPlan, settings: RenderSettings, voice: VoicePrompt,
                   pool: EnginePool) -> TakeInspector:
    inspector = TakeInspector(settings.qc_mode, settings.qc, segment.spoken, segment.seconds)
    if settings.qc_mode == "speech":
        inspector.speech = pool.speech_qc(settings)
        inspector.reference = inspector.speech.reference(voice)
    return inspector


def seed_plan(segment: SegmentPlan, settings: RenderSettings) -> SeedPlan:
    return SeedPlan(settings.seed + segment.seed_offset, segment.takes or settings.takes, settings.max_attempts)


def worth_retrying(error: BaseException) -> bool:
    """Retry a failure that may pass (memory pressure, a flaky device), not one a person must fix
    first: the engine's own errors (a damaged checkpoint, torch.compile failing) and ours (files that
    are not what the plan pinned) would only repeat."""
    return not isinstance(error, BarkModelError | BarkbookError)


def with_retries(make: Callable[[], RenderedSegment], what: str, delays_s=RETRY_DELAYS_S,
                 sleep=time.sleep) -> RenderedSegment:
    """`make()`, tried again after each delay while it fails in a way that may pass; the last failure raised."""
    return retrying(make, what, delays_s, worth_retrying, sleep=sleep)


def take_inputs(segment: SegmentPlan, settings: RenderSettings) -> dict:
    """Everything that determines a take's tokens besides its seed (the model by its fingerprint, which
    also names compile; the voice by its digest)."""
    return {"spoken": segment.spoken, "cap_s": babble_cap_seconds(segment.seconds),
            "voice_digest": segment.voice_digest,
            **settings.model_dump(include={"model_fingerprint", "device", "dtype", "params"})}


def take_cache_key(segment: SegmentPlan, settings: RenderSettings, seed: int) -> str:
    """`render-take-v3-<segment id>-<seed>-<hash of the take's inputs>`: no QC setting in it."""
    return f"render-take-v{RENDER_VERSION}-{segment.id}-{seed}-{content_key(take_inputs(segment, settings))[:24]}"


def segment_cache_key(segment: SegmentPlan, settings: RenderSettings) -> str:
    """`render-segment-v3-<segment id>-<hash>`: the takes' inputs, the seeds it may use, the QC settings."""
    choice = {"takes": take_inputs(segment, settings), "seeds": seed_plan(segment, settings).round_seeds(),
              "expected_s": segment.seconds, **settings.model_dump(include={"qc_mode", "qc", "speech_qc"})}
    if segment.keep_seed is not None:  # named only when chosen: every other segment keeps its key
        choice["keep_seed"] = segment.keep_seed
    return f"render-segment-v{RENDER_VERSION}-{segment.id}-{content_key(choice)[:24]}"


def generate_take(engine: BatchingEngine, voice: VoicePrompt, segment: SegmentPlan, settings: RenderSettings,
                  seed: int) -> Take:
    """One generation of a segment: its fine tokens (and, in memory only, its audio)."""
    gen = engine.generate(segment.spoken, voice, settings.params, seed, babble_cap_seconds(segment.seconds))
    return Take(segment.id, seed, gen.fine.astype(np.int16), gen.sample_rate, gen.audio)


def cached_record(store: ResultStore, key: str, make: Callable[[], Made]) -> tuple[Made, bool]:
    """(the record under `key` in `store` — the render's result storage: the cache folder or URL —,
    True), else (made and written there at once, False), so a run killed mid-chapter keeps what it
    finished. A record a killed run left half-written does not `exist`, and is made again."""
    if store.exists(key):
        return store.read(key).result, True
    made = make()
    store.write(made, key=key)
    return made, False


def render_segment(segment: SegmentPlan, settings: RenderSettings, pool: EnginePool,
                   store: ResultStore) -> RenderedSegment:
    """A segment's best take: rounds of its takes (`settings.takes`, or its own; each cached on its own, beside the segment's
    record), each checked in this task's threads as it arrives, until one passes or
    `settings.max_attempts` rounds are spent; or the take a person chose (`keep_seed`), checked, whatever
    its checks say. The model and the voice are checked against the plan before anything is generated or
    stored."""
    engine, voice = pool.engine(EngineKey.of(settings)), pool.voice(segment.voice, segment.voice_digest)
    inspector = take_inspector(segment, settings, voice, pool)

    def take_and_check(seed: int) -> tuple[Take, TakeCheck]:
        take, _ = cached_record(store, take_cache_key(segment, settings, seed),
                                functools.partial(generate_take, engine, voice, segment, settings, seed))
        if inspector.needs_audio and take.audio is None:  # a cached take: decode its tokens
            take.audio = engine.decode([take.fine])[0]
        return take, inspector.check(take)

    seeds = seed_plan(segment, settings)
    if segment.keep_seed is not None:
        take, check = take_and_check(segment.keep_seed)
        return RenderedSegment(segment.id, take, [check], settings.qc_mode, seeds.per_round)
    take, checks = choose_take(take_and_check, seeds)
    return RenderedSegment(segment.id, take, checks, settings.qc_mode, seeds.per_round)


def segment_log_line(voice: str, rendered: RenderedSegment) -> str:
    """What the render logs of a segment after its label (which quotes its first words): voice, seconds, takes
    and QC verdict."""
    kept = rendered.kept
    verdict = "ok" if kept.passed else "FAILED: " + "; ".join(kept.problems)
    takes = len(rendered.attempts)
    return (f"voice {voice} · {rendered.seconds:.1f} s · "
            f"{takes} take{'s' if takes != 1 else ''}, kept seed {rendered.seed} · QC {verdict}")


def cached_segment(segment: SegmentPlan, settings: RenderSettings, pool: EnginePool, store: ResultStore,
                   label: str) -> tuple[RenderedSegment, bool]:
    """(the segment's record, True) from `store`, else (rendered — tried again while it fails in a way that
    may pass — and written there at once, False). Its log line goes on the render task's page."""
    rendered, cached = cached_record(store, segment_cache_key(segment, settings),
                                     lambda: with_retries(lambda: render_segment(segment, settings, pool, store), label))
    if not cached:
        run_logger().info(f"{label}: {segment_log_line(segment.voice, rendered)}")
    return rendered, cached


def render_chapter_segments(chapter: ChapterPlan, pool: EnginePool,
                            store: ResultStore) -> tuple[list[RenderedSegment], list[SegmentDone]]:
    """The chapter's segments, in order, from their records in `store` or rendered with `pool`'s engines
    side by side (enough threads to fill the engine's batch), each reported as it finishes; with the
    progress events. Every segment is tried before the first failure is raised, so all that could
    finish are stored for the next run."""
    settings = chapter.settings
    progress = ChapterProgress.start(chapter.index, len(chapter.segments), chapter_artifact_key("progress", chapter),
                                     chapter.title)

    def one(position: int, segment: SegmentPlan) -> RenderedSegment:
        label = segment_label(chapter.index, position, segment)
        rendered, cached = cached_segment(segment, settings, pool, store, label)
        progress.segment_done(segment.id, rendered.seconds, len(rendered.attempts), cached)
        return rendered

    workers = max(1, min(len(chapter.segments), settings.batch_size or batch_cap(settings.device)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="segment") as threads:
        futures = [threads.submit(copy_context().run, one, i, segment)
                   for i, segment in enumerate(chapter.segments, start=1)]
        wait(futures)
    return [future.result() for future in futures], progress.events


def decode_kept_takes(rendered: list[RenderedSegment], engine: BatchingEngine) -> list[RenderedSegment]:
    """The segments with their kept takes' audio: cached records hold tokens, decoded here in one batch."""
    missing = [r.take for r in rendered if r.take.audio is None]
    if missing:
        for take, audio in zip(missing, engine.decode([t.fine for t in missing])):
            take.audio = audio
    return rendered


def check_voice_drift(rendered: list[RenderedSegment], segments: list[SegmentPlan], settings: RenderSettings,
                      pool: EnginePool) -> None:
    """With speech QC: every kept take against its speaker's running voice in this chapter (see
    `tasks.qc.flag_voice_drift`); takes must carry their audio (`decode_kept_takes`)."""
    if settings.qc_mode != "speech":
        return
    checker = pool.speech_qc(settings).checker
    kept = [(segment.voice, r.audio, r.kept) for segment, r in zip(segments, rendered)]
    flag_voice_drift(kept, lambda audio: checker.embed(audio, SAMPLE_RATE), settings.speech_qc.min_running_similarity)


# --- thin tasks: each fetches the engine pool its flow run lent and the result store it runs with ---------

@task(name="render-segments", cache_policy=NO_CACHE, task_run_name=render_task_name)  # no tags: see below
def render_segments(chapter: ChapterPlan) -> tuple[list[RenderedSegment], list[SegmentDone]]:
    """`render_chapter_segments` with the lent pool and this task's result storage (where records lie).
    No tags: a tagged task's run asks the server for a concurrency slot first."""
    return render_chapter_segments(chapter, lent_pool(), get_result_store())


@task(name="decode-takes", cache_policy=NO_CACHE)
def with_audio(rendered: list[RenderedSegment], settings: RenderSettings) -> list[RenderedSegment]:
    return decode_kept_takes(rendered, lent_pool().engine(EngineKey.of(settings)))


@task(name="chapter-voice", cache_policy=NO_CACHE)
def check_chapter_voice(rendered: list[RenderedSegment], segments: list[SegmentPlan], settings: RenderSettings) -> None:
    check_voice_drift(rendered, segments, settings, lent_pool())
