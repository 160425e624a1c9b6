"""Progress of a render: Prefect progress artifacts for the UI, events for in-process listeners (the CLI).

A chapter's segments are rendered in one task (tasks/render/segments.py `render_segments`), which reports
each as it finishes, from its cache record or newly rendered (`ChapterProgress`). Each chapter moves its
own artifact as segments finish; the book's (`BookProgress`) as segments finish when its chapters run
in the book's process (it listens to their events), and per finished chapter when they run as
deployment runs elsewhere (their events stay in their own processes; the book polls their states).
An artifact is written at most once every `UPDATE_EVERY_S` (and at its end): one API round trip per
segment per artifact was two of the three calls a segment cost (benchmarks/bench_pipeline.md).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from prefect.artifacts import create_progress_artifact, update_progress_artifact

UPDATE_EVERY_S = 1.0  # a person watching sees it move; a 5,000-segment book writes ~1 update a second, not 10,000


@dataclass
class Throttle:
    """Says when a progress artifact is due to be written: the first time, then `every_s` apart."""

    every_s: float = UPDATE_EVERY_S
    clock: Callable[[], float] = time.monotonic
    last: float | None = None

    def due(self, final: bool = False) -> bool:
        """True the first time, `every_s` after the last True, and always for the `final` write."""
        now = self.clock()
        if not final and self.last is not None and now - self.last < self.every_s:
            return False
        self.last = now
        return True


@dataclass(frozen=True)
class SegmentDone:
    chapter: int
    segment_id: str
    seconds: float  # audio seconds rendered
    cached: bool
    attempts: int  # takes it checked; 0 when cached


@dataclass(frozen=True)
class BookPlanned:
    """The whole plan's size, credits included: what a progress bar counts up to."""

    segments: int
    seconds: float  # expected audio seconds, each segment's pause after it included
    credit_segments: int = 0  # of `segments`, those of the spoken credits
    planned: dict[tuple[int, str], float] = field(default_factory=dict)  # (chapter, segment id) -> its share of `seconds`


Listener = Callable[[SegmentDone | BookPlanned], None]
_listeners: list[Listener] = []
_lock = threading.Lock()


def add_listener(listener: Listener) -> None:
    with _lock:
        _listeners.append(listener)


def remove_listener(listener: Listener) -> None:
    with _lock:
        _listeners.remove(listener)


def publish(event: SegmentDone | BookPlanned) -> None:
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        listener(event)


def segments_line(done: int, total: int, cached: int) -> str:
    return f"{done} of {total} segments ({cached} cached, {done - cached} rendered)"


@dataclass
class ChapterProgress:
    """A chapter's segments as they finish: each published as a `SegmentDone` (the CLI and the book's
    progress listen), the chapter's artifact moved at most once every `UPDATE_EVERY_S` (and at the last).
    Fed from the render's threads."""

    chapter: int
    total: int
    name: str
    artifact: object
    throttle: Throttle = field(default_factory=Throttle)
    events: list[SegmentDone] = field(default_factory=list)
    cached: int = 0  # of `events`, counted as they come (no rescan a segment)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def start(cls, chapter: int, total: int, artifact_key: str, title: str = "") -> ChapterProgress:
        """Create the chapter's artifact (at 0 of `total`) inside the running flow or task run."""
        name = f"chapter {chapter}" + (f": {title}" if title else "")
        artifact = create_progress_artifact(0.0, key=artifact_key, description=f"{name} · {segments_line(0, total, 0)}")
        return cls(chapter, total, name, artifact)

    def segment_done(self, segment_id: str, seconds: float, attempts: int, cached: bool) -> None:
        event = SegmentDone(chapter=self.chapter, segment_id=segment_id, seconds=seconds, cached=cached,
                            attempts=0 if cached else attempts)
        with self._lock:
            self.events.append(event)
            self.cached += cached
            done, cached_so_far = len(self.events), self.cached
            due = self.throttle.due(final=done == self.total)
        publish(event)
        if due:
            update_progress_artifact(self.artifact, 100.0 * done / self.total,
                                     description=f"{self.name} · {segments_line(done, self.total, cached_so_far)}")


def minutes(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min" if seconds >= 3600 else f"{seconds // 60} min {seconds % 60:02d} s"


@dataclass
class BookProgress:
    """Counts of a book's render and the text its progress artifact shows: k of n segments, cached
    vs rendered, chapters done, and time left from the measured throughput (rendered segments per
    second since the start; cached ones cost nothing, so they are not in the rate)."""

    chapter_segments: dict[int, set[str]]  # chapter index → its segment ids
    clock: Callable[[], float] = time.monotonic
    credits: frozenset[int] = frozenset()  # indexes of the credits: their segments count, they are no chapters
    seconds: float = 0.0  # the plan's expected audio seconds (speech and the pauses after each segment)
    planned: dict[tuple[int, str], float] = field(default_factory=dict)  # each segment's share of `seconds`
    started: float = field(init=False)
    done: set[tuple[int, str]] = field(default_factory=set)  # (chapter, segment id)
    done_in: Counter = field(default_factory=Counter)  # chapter → its segments in `done` (no rescan per segment)
    cached: int = 0
    chapters_done: set[int] = field(default_factory=set)
    artifact_id: object = None
    throttle: Throttle | None = None  # default: UPDATE_EVERY_S on `clock`
    write: Callable[..., object] = update_progress_artifact  # (artifact id, percent, description=…)
    total: int = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.started = self.clock()
        self.throttle = self.throttle or Throttle(clock=self.clock)
        self.total = sum(len(ids) for ids in self.chapter_segments.values())
        self.chapters_done |= {c for c, ids in self.chapter_segments.items() if not ids}  # nothing to wait for

    @classmethod
    def of(cls, chapters: list, clock: Callable[[], float] = time.monotonic) -> BookProgress:
        """Progress of these `ChapterPlan`s, nothing done yet."""
        planned = {(c.index, s.id): s.seconds + s.pause_after for c in chapters for s in c.segments}
        return cls({c.index: {s.id for s in c.segments} for c in chapters}, clock,
                   frozenset(c.index for c in chapters if c.kind != "chapter"), sum(planned.values()), planned=planned)

    def seconds_left(self) -> float | None:
        """Remaining segments at the rate rendered ones took so far (None before the first is rendered)."""
        rendered = len(self.done) - self.cached
        if not rendered:
            return None
        return (self.clock() - self.started) / rendered * (self.total - len(self.done))

    def describe(self) -> str:
        left = self.seconds_left()
        eta = "time left: done" if len(self.done) == self.total else (
            "time left: measured after the first rendered segment" if left is None else f"about {minutes(left)} left")
        return (f"{segments_line(len(self.done), self.total, self.cached)} · "
                f"{len(self.chapters_done - self.credits)} of {len(self.chapter_segments.keys() - self.credits)} "
                f"chapters done · {eta}")

    @property
    def percent(self) -> float:
        return 100.0 * len(self.done) / self.total if self.total else 100.0

    def segment_done(self, event: SegmentDone) -> None:
        """Listener for in-process chapters: count the event if it is one of this book's segments."""
        if not isinstance(event, SegmentDone):
            return
        ids, key = self.chapter_segments.get(event.chapter, set()), (event.chapter, event.segment_id)
        with self._lock:
            if event.segment_id not in ids or key in self.done:
                return
            self.done.add(key)
            self.cached += event.cached
            self.done_in[event.chapter] += 1
            if self.done_in[event.chapter] == len(ids):
                self.chapters_done.add(event.chapter)
        self.publish()

    def chapters_finished(self, finished: dict[int, list[SegmentDone]]) -> None:
        """For chapters run elsewhere: chapter index → the segment records its run returned, counted
        when the chapter is first seen finished."""
        with self._lock:
            new = {c: records for c, records in finished.items() if c not in self.chapters_done}
            for chapter, records in new.items():
                self.chapters_done.add(chapter)
                fresh = [r for r in records if (chapter, r.segment_id) not in self.done]
                self.done |= {(chapter, r.segment_id) for r in fresh}
                self.done_in[chapter] += len(fresh)
                self.cached += sum(r.cached for r in fresh)
        if new:
            self.publish()

    def watch_runs(self, chapter_indices: list[int]) -> Callable[[list], None]:
        """A poll callback for the chapters' deployment runs (in `chapter_indices` order): each newly
        completed run's returned segment records are counted."""

        def polled(runs: list) -> None:
            self.chapters_finished({index: run.state.result().segments for index, run in zip(chapter_indices, runs)
                                    if run.state and run.state.is_completed() and index not in self.chapters_done})

        return polled

    @contextlib.contextmanager
    def following(self) -> Iterator[BookProgress]:
        """Count the segment events of chapters rendered in this process while inside the block; an error
        that leaves the block says in the artifact that the render stopped (no time left to wait for)."""
        add_listener(self.segment_done)
        try:
            yield self
        except Exception as error:
            self.stopped(str(error).splitlines()[0] if str(error) else type(error).__name__)
            raise
        finally:
            remove_listener(self.segment_done)

    def stopped(self, reason: str) -> None:
        """Write the artifact now, saying the render stopped and why, with what was done by then."""
        if self.artifact_id is not None:
            self.write(self.artifact_id, self.percent, description=f"stopped: {reason} · "
                       f"{segments_line(len(self.done), self.total, self.cached)}")

    def start(self, key: str) -> None:
        """Create the artifact (inside the book's flow run) and tell listeners the plan's size."""
        self.artifact_id = create_progress_artifact(self.percent, key=key, description=self.describe())
        credits = sum(len(self.chapter_segments[c]) for c in self.credits)
        publish(BookPlanned(self.total, self.seconds, credits, dict(self.planned)))

    def publish(self) -> None:
        """Write the artifact if the throttle lets it, or always once everything is done."""
        if self.artifact_id is not None and self.throttle.due(final=len(self.done) == self.total):
            self.write(self.artifact_id, self.percent, description=self.describe())
