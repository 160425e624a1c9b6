"""Progress of a render: a Prefect progress artifact for the UI, events for in-process listeners (the CLI).

Cached segments never run their task body, so progress is read from the segment futures as they
finish (a `Cached` state is a cache hit), not reported from inside the task.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.futures import PrefectFuture, as_completed


@dataclass(frozen=True)
class SegmentDone:
    chapter: int
    segment_id: str
    seconds: float  # audio seconds rendered
    cached: bool
    attempts: int  # takes it checked; 0 when cached


Listener = Callable[[SegmentDone], None]
_listeners: list[Listener] = []
_lock = threading.Lock()


def add_listener(listener: Listener) -> None:
    with _lock:
        _listeners.append(listener)


def remove_listener(listener: Listener) -> None:
    with _lock:
        _listeners.remove(listener)


def publish(event: SegmentDone) -> None:
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        listener(event)


def collect(futures: list[PrefectFuture], chapter: int, artifact_key: str) -> tuple[list, list[SegmentDone]]:
    """Wait for the segment futures, reporting each as it finishes; results in submission order."""
    artifact = create_progress_artifact(0.0, key=artifact_key, description=f"chapter {chapter}: segments done")
    order = {id(f): i for i, f in enumerate(futures)}
    results: list = [None] * len(futures)
    events: list[SegmentDone] = []
    for done, future in enumerate(as_completed(futures), start=1):
        result = future.result()
        cached = future.state.name == "Cached"
        event = SegmentDone(
            chapter=chapter,
            segment_id=result.segment_id,
            seconds=result.seconds,
            cached=cached,
            attempts=0 if cached else len(result.attempts),
        )
        results[order[id(future)]] = result
        events.append(event)
        publish(event)
        update_progress_artifact(artifact, 100.0 * done / len(futures))
    return results, events
