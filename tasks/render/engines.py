"""The engines a render uses, with an owner: an `EnginePool` loads each engine and voice once, checks
it against what the plan pinned, and frees the engines (and their batching threads) on `close`.

Whoever runs the chapters owns the pool: a render-chapter deployment run its own, the book run one for
the chapters it renders in-process (their segments then share the engine's batches). Prefect tasks take
plain data (their inputs feed cache keys and the UI, and a deployment run's parameters are JSON), so
the pool is no task input: its owner *lends* it for a `with` block through a context variable, which
every thread Prefect starts for the owner's tasks copies (as `render_chapters_here` does for its
sub-flows); `EngineTaskRunner` ties that block to a flow run. A render task with no pool lent fails
with one line instead of loading a hidden one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

from prefect.task_runners import ThreadPoolTaskRunner

from bark_model import BarkEngine, BatchingEngine, VoicePrompt, load_voice
from bark_model.memory import default_batch_size

from tasks.core import BarkbookError
from tasks.plan import RenderSettings
from tasks.qc import SpeechQC, SpeechQCSettings, load_speech_checker

# How long a batch that is not full waits for one more segment. Chapters start seconds apart (each
# sub-flow run is created through the API); waiting for the next chapter's segments beats running
# the first chapter's alone and then a third, small batch (measured on the sample: 2 batches, not 3).
BATCH_FILL_WAIT_S = 2.5


class PlanMismatchError(BarkbookError):
    """The model files or a voice file here are not the bytes the plan pinned: a retry cannot help."""


@dataclass(frozen=True)
class EngineKey:
    """Everything that changes an engine or how it batches: one loaded engine per key."""

    model: str  # the name or folder the plan resolved
    fingerprint: str  # the plan's `model_fingerprint`: files, engine version, device, dtype, compile
    device: str
    dtype: str
    compile: bool = False
    autocast: str | None = None  # sizes the batch: autocast holds a half-precision copy of the weights
    max_batch: int | None = None  # None: as many rows as fit in free memory once loaded; fixed from then on

    @classmethod
    def of(cls, settings: RenderSettings) -> EngineKey:
        return cls(settings.model, settings.model_fingerprint, settings.device, settings.dtype, settings.compile,
                   settings.params.autocast, settings.batch_size)


def check_pinned(what: str, pinned: str, found: str, differs: str) -> None:
    """Raise PlanMismatchError unless `found` is the digest the plan pinned for `what`."""
    if found != pinned:
        raise PlanMismatchError(f"{what} is not what the plan pinned: planned {pinned[:16]}, found {found[:16]} "
                                f"({differs}); plan the book again, or restore what it was planned with")


def load_engine(key: EngineKey) -> BatchingEngine:
    """The engine `key` names, its files checked against the pinned fingerprint before any generation."""
    engine = BarkEngine.load(key.model, key.device, key.dtype, key.compile)
    check_pinned(f"model {key.model!r}", key.fingerprint, engine.fingerprint,
                 "other checkpoint files, engine version or device/dtype/compile on this machine")
    max_batch = key.max_batch or default_batch_size(engine.models, key.device, autocast=key.autocast,
                                                    compile=key.compile)
    return BatchingEngine(engine, max_batch=max(1, max_batch), max_wait_s=BATCH_FILL_WAIT_S)


def load_pinned_voice(name: str, digest: str) -> VoicePrompt:
    """The voice `name`, checked against the digest the plan pinned."""
    voice = load_voice(name)
    check_pinned(f"voice {name!r}", digest, voice.digest(), "the file was made again or replaced since planning")
    return voice


Made = TypeVar("Made")


class EnginePool:
    """Engines, voices and speech checkers, each made once per key and shared by the owner's task threads.

    A pinned model or voice that does not match is remembered too, so every later segment gets the
    same error without loading or hashing again. The loaders are parameters so tests can stand in."""

    def __init__(self, open_engine: Callable[[EngineKey], BatchingEngine] = load_engine,
                 open_voice: Callable[[str, str], VoicePrompt] = load_pinned_voice,
                 open_checker: Callable[[SpeechQCSettings | None], object] = load_speech_checker):
        self._open_engine, self._open_voice, self._open_checker = open_engine, open_voice, open_checker
        self._engines: dict[EngineKey, BatchingEngine | PlanMismatchError] = {}
        self._voices: dict[tuple[str, str], VoicePrompt | PlanMismatchError] = {}
        self._checkers: dict[tuple[SpeechQCSettings | None, EngineKey], SpeechQC] = {}
        self._lock = threading.Lock()  # guards the dicts; `_making` holds one lock per key being made
        self._making: dict[tuple[int, object], threading.Lock] = {}
        self._closed = False

    def engine(self, key: EngineKey) -> BatchingEngine:
        return self._once(self._engines, key, lambda: self._open_engine(key))

    def voice(self, name: str, digest: str) -> VoicePrompt:
        return self._once(self._voices, (name, digest), lambda: self._open_voice(name, digest))

    def speech_qc(self, settings: RenderSettings) -> SpeechQC:
        """The speech checker for these settings, its references decoded by the settings' engine."""
        key = EngineKey.of(settings)
        engine = self.engine(key)

        def open_speech_qc() -> SpeechQC:
            return SpeechQC(self._open_checker(settings.speech_qc), lambda fine: engine.decode([fine])[0])

        return self._once(self._checkers, (settings.speech_qc, key), open_speech_qc)

    def _once(self, made: dict, key, make: Callable[[], Made]) -> Made:
        """`made[key]`, made by the first caller; callers of the same key wait for it, others do not (an
        engine loading for seconds holds up no voice or other engine)."""
        with self._lock:
            if self._closed:
                raise BarkbookError("the engine pool was closed: its owner's chapters are over")
            making = self._making.setdefault((id(made), key), threading.Lock())
        with making:
            with self._lock:
                found = made.get(key)
            if found is None:
                try:
                    found = make()
                except PlanMismatchError as err:
                    found = err
                with self._lock:
                    made[key] = found
        if isinstance(found, PlanMismatchError):
            raise found
        return found

    def close(self) -> None:
        """Stop every engine's batching thread and drop the models, voices and checkers (frees their memory)."""
        with self._lock:
            self._closed = True
            engines = [e for e in self._engines.values() if isinstance(e, BatchingEngine)]
            for made in (self._engines, self._voices, self._checkers, self._making):
                made.clear()
        for engine in engines:
            engine.close()

    def __enter__(self) -> EnginePool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_lent: ContextVar[EnginePool | None] = ContextVar("barkbook_engine_pool", default=None)


@contextmanager
def lend(pool: EnginePool) -> Iterator[EnginePool]:
    """Make `pool` the one the tasks started inside this block (in this context and its copies) use."""
    token = _lent.set(pool)
    try:
        yield pool
    finally:
        _lent.reset(token)


def lent_pool() -> EnginePool:
    pool = _lent.get()
    if pool is None:
        raise BarkbookError("no engine pool is lent here: render tasks run in a flow whose task runner is "
                            "an EngineTaskRunner (render-book, render-chapter), or inside `lend(pool)`")
    return pool


class EngineTaskRunner(ThreadPoolTaskRunner):
    """Prefect's thread pool task runner with an engine pool for the flow run it serves: the pool the
    caller lent (a book run's, for its in-process chapters), else one it opens when the run starts and
    closes when the run ends (a chapter deployment run frees its engines with its chapter). Prefect
    enters a flow's task runner around the flow's body, so the body's own task calls see the pool, and
    so do the tasks it submits (each runs in a copy of the submitting context)."""

    def __enter__(self) -> EngineTaskRunner:
        super().__enter__()
        self._owned = None if _lent.get() else EnginePool()
        self._token = _lent.set(_lent.get() or self._owned)
        return self

    def __exit__(self, *exc) -> None:
        try:
            super().__exit__(*exc)  # waits for the tasks still running
        finally:
            _lent.reset(self._token)
            if self._owned is not None:
                self._owned.close()
