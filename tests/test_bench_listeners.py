"""The benchmarks' listeners on the product's progress events: every kind the render publishes, not just
segments (bench_resume failed on the book's `BookPlanned` until this test)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from bench_resume import WorkClock  # noqa: E402

from tasks.render.progress import BookPlanned, SegmentDone  # noqa: E402


def test_the_resume_clock_counts_finished_segments_and_ignores_the_books_plan():
    clock = WorkClock(t0=0.0)
    for event in (BookPlanned(segments=3, seconds=6.0), SegmentDone(1, "a", 2.0, cached=True, attempts=0),
                  SegmentDone(1, "b", 2.0, cached=False, attempts=1), SegmentDone(1, "c", 2.0, cached=False, attempts=2)):
        clock.on_segment(event)
    assert clock.segments == {"cached": 1, "rendered": 2}
    assert {"first_segment_s", "first_rendered_s"} <= clock.times.keys()
