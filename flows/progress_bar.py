"""The render's progress bar (stderr), fed by the flow's events (tasks.render.progress): segments done of the
plan's total, which says how many of them are the spoken credits; the minutes of audio the plan expects of
the segments done, out of the plan's minutes (both the plan's estimate, so done never passes the total); and
the time left at the rate rendered segments took (cached ones cost nothing, so they do not set the rate)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from tasks.render.progress import BookPlanned, SegmentDone, add_listener, minutes, remove_listener


@dataclass
class Tally:
    """What the bar shows, counted from the events (a segment heard twice counts once)."""

    clock: Callable[[], float] = time.monotonic
    started: float = field(init=False)
    segments: int | None = None  # the plan's, credits included; None until the plan is made
    credit_segments: int = 0
    planned: dict[tuple[int, str], float] = field(default_factory=dict)
    total_seconds: float = 0.0
    done: set[tuple[int, str]] = field(default_factory=set)
    rendered: int = 0  # of `done`, not from the cache
    seconds_done: float = 0.0

    def __post_init__(self) -> None:
        self.started = self.clock()

    def heard(self, event: SegmentDone | BookPlanned) -> None:
        if isinstance(event, BookPlanned):
            self.segments, self.credit_segments = event.segments, event.credit_segments
            self.planned, self.total_seconds = event.planned, event.seconds
            return
        key = (event.chapter, event.segment_id)
        if key not in self.done:
            self.done.add(key)
            self.rendered += not event.cached
            self.seconds_done += self.planned.get(key, 0.0)

    @property
    def what(self) -> str:
        credits = self.credit_segments
        return "segments" + (f" ({credits} of them the credits)" if credits else "")

    @property
    def audio(self) -> str:
        return f"{self.seconds_done / 60:.1f} of {self.total_seconds / 60:.1f} min of audio" if self.segments else ""

    def time_left(self) -> str:
        if self.segments is not None and len(self.done) >= self.segments:
            return "done"
        if not self.rendered:
            return "ETA after the first rendered segment"
        rate = (self.clock() - self.started) / self.rendered
        return f"ETA {minutes(rate * ((self.segments or 0) - len(self.done)))}"


@contextlib.contextmanager
def progress_bar(console: Console, shown: bool = True) -> Iterator[Tally]:
    """Inside the block the bar follows the render's events (drawn when `shown` and on a terminal: elsewhere rich
    could only print its last state)."""
    tally = Tally()
    columns = (TextColumn("[bold]rendering"), BarColumn(bar_width=24), MofNCompleteColumn(), TextColumn("{task.fields[what]}"),
               TextColumn("{task.fields[audio]}"), TextColumn("{task.fields[left]}"))
    with Progress(*columns, console=console, transient=False, disable=not (shown and console.is_terminal)) as bar:
        task = bar.add_task("render", total=None, what="segments", audio="", left="planning")

        def follow(event: SegmentDone | BookPlanned) -> None:
            tally.heard(event)
            bar.update(task, total=tally.segments, completed=len(tally.done), what=tally.what, audio=tally.audio,
                       left=tally.time_left())

        add_listener(follow)
        try:
            yield tally
        finally:
            remove_listener(follow)
