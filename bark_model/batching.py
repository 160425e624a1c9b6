"""Dynamic batching: many threads call `generate`, the engine sees batches (as inference servers do)."""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field

import numpy as np

from .engine import BarkEngine, Generation, GenerationParams
from .voices import VoicePrompt


@dataclass
class _Request:
    text: str
    voice: VoicePrompt | None
    params: GenerationParams
    seed: int
    max_seconds: float | None
    result: Future = field(default_factory=Future)


class BatchingEngine:
    """Coalesces concurrent `generate` calls into `BarkEngine.generate_batch` calls.

    One worker thread owns the engine, so callers never share model state. It takes the first
    waiting request, gathers up to `max_batch - 1` more that arrive within `max_wait_s`, and runs
    those with equal params as one batch. Batching never changes a row's result. (`max_wait_s` is
    a gap between arrivals, not a deadline: a batch takes seconds, and callers submitting through
    Prefect's task engine arrive tens of ms apart, more when the GIL is busy.)
    """

    def __init__(self, engine: BarkEngine, max_batch: int = 8, max_wait_s: float = 0.25):
        self.engine = engine
        self.max_batch = max(1, max_batch)
        self.max_wait_s = max_wait_s
        self.batches_run = 0  # engine calls made: how a caller sees that nothing was generated
        self._queue: queue.Queue[_Request | None] = queue.Queue()  # None: close
        self._worker = threading.Thread(target=self._serve, name="bark-batcher", daemon=True)
        self._worker.start()

    def generate(
        self,
        text: str,
        voice: VoicePrompt | None = None,
        params: GenerationParams = GenerationParams(),
        seed: int = 0,
        max_seconds: float | None = None,
    ) -> Generation:
        """Blocks until this request's row of some batch is done; raises what the engine raised.
        `max_seconds` caps this row's speech (rows with different caps still share a batch)."""
        request = _Request(text, voice, params, seed, max_seconds)
        self._queue.put(request)
        return request.result.result()

    def close(self) -> None:
        """Serve the requests already queued, then stop the worker thread (its engine can then be freed)."""
        self._queue.put(None)
        self._worker.join()

    def decode(self, fine_rows: list[np.ndarray]) -> list[np.ndarray]:
        """Fine tokens → audio with the engine's codec, in the caller's thread (the codec is read-only
        and apart from the GPTs the worker runs)."""
        return self.engine.decode(fine_rows)

    def _serve(self) -> None:
        while (batch := self._gather()) is not None:
            for group in _by_params(batch):
                self._run(group)

    def _gather(self) -> list[_Request] | None:
        """The next batch; None once `close` was called and nothing is left before it."""
        batch = [self._queue.get()]
        while batch[-1] is not None and len(batch) < self.max_batch:
            try:
                batch.append(self._queue.get(timeout=self.max_wait_s))
            except queue.Empty:
                break
        if batch[-1] is None:  # closing: this batch is the last
            self._queue.put(None)
            batch.pop()
        return batch or None

    def _run(self, group: list[_Request]) -> None:
        self.batches_run += 1
        try:
            rows = self.engine.generate_batch(
                [r.text for r in group],
                [r.voice for r in group],
                group[0].params,
                [r.seed for r in group],
                [r.max_seconds for r in group],
            )
        except Exception as err:
            if len(group) == 1:
                group[0].result.set_exception(err)
            else:  # find the culprit: one bad request must not fail its neighbours
                for r in group:
                    self._run([r])
            return
        for r, row in zip(group, rows):
            r.result.set_result(row)


def _by_params(batch: list[_Request]) -> list[list[_Request]]:
    groups: dict[GenerationParams, list[_Request]] = {}
    for r in batch:
        groups.setdefault(r.params, []).append(r)
    return list(groups.values())
