"""The render's progress bar: totals that say the credits are in them, audio done never above the total, and the
time left measured on rendered segments only."""

import io
from types import SimpleNamespace

import pytest
from rich.console import Console

from flows.progress_bar import Tally, progress_bar
from tasks.render import progress
from tasks.render.progress import BookPlanned, BookProgress, SegmentDone, publish


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def chapter(index, ids, kind="chapter", seconds=2.0, pause=0.5):
    return SimpleNamespace(index=index, kind=kind,
                           segments=[SimpleNamespace(id=i, seconds=seconds, pause_after=pause) for i in ids])


BOOK = [chapter(0, ["o"], "opening-credits"), chapter(1, ["a", "b"]), chapter(2, ["c"], "closing-credits")]


@pytest.fixture
def planned(monkeypatch) -> BookPlanned:
    """The event the book's progress publishes once the book is planned (its artifact made nowhere)."""
    monkeypatch.setattr(progress, "create_progress_artifact", lambda *args, **kwargs: "artifact-id")
    heard = []
    progress.add_listener(heard.append)
    try:
        BookProgress.of(BOOK).start("progress-book")
    finally:
        progress.remove_listener(heard.append)
    return heard[0]


def test_the_plan_counts_the_credits_and_says_so(planned):
    tally = Tally()
    tally.heard(planned)
    assert (tally.segments, tally.credit_segments) == (4, 2)
    assert tally.what == "segments (2 of them the credits)"
    assert tally.audio == "0.0 of 0.2 min of audio"  # 4 segments of 2 s speech and 0.5 s pause


def test_audio_done_is_the_plans_so_never_above_the_total_and_a_segment_counts_once(planned):
    tally = Tally()
    tally.heard(planned)
    for segment in ("o", "a", "a", "b", "c"):  # "a" reported twice (a retried chapter run)
        chapter_index = {"o": 0, "a": 1, "b": 1, "c": 2}[segment]
        tally.heard(SegmentDone(chapter_index, segment, seconds=99.0, cached=False, attempts=1))  # 99 s heard
    assert len(tally.done) == 4 and tally.seconds_done == tally.total_seconds == 10.0


def test_time_left_comes_from_rendered_segments_not_cached_ones(planned):
    clock = Clock()
    tally = Tally(clock=clock)
    tally.heard(planned)
    tally.heard(SegmentDone(1, "a", 2.0, cached=True, attempts=0))
    assert tally.time_left() == "ETA after the first rendered segment"
    clock.now = 30.0
    tally.heard(SegmentDone(1, "b", 2.0, cached=False, attempts=1))
    assert tally.time_left() == "ETA 1 min 00 s"  # 30 s a rendered segment, 2 to go
    tally.heard(SegmentDone(0, "o", 2.0, cached=False, attempts=1))
    tally.heard(SegmentDone(2, "c", 2.0, cached=False, attempts=1))
    assert tally.time_left() == "done"


def test_the_bar_follows_the_events_published_while_it_is_open(planned):
    with progress_bar(Console(file=io.StringIO()), shown=False) as tally:
        publish(planned)
        publish(SegmentDone(1, "a", 2.0, cached=False, attempts=1))
    publish(SegmentDone(1, "b", 2.0, cached=False, attempts=1))  # after the block: not heard
    assert (tally.segments, len(tally.done)) == (4, 1)
