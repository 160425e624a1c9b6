"""The layout: where each segment's speech starts and ends in the mastered chapter file."""

from dataclasses import replace

import numpy as np
import pytest

from rendered_chapter import PAUSES, SEGMENTS
from tasks.master.layout import chapter_spans
from tasks.master.mastering import MasteringSettings, master_chapter
from tasks.qc.signal import window_levels
from tasks.qc.speech_check import SpeechCheck

SETTINGS = MasteringSettings()


MASTER = master_chapter([(s.audio, p) for s, p in zip(SEGMENTS, PAUSES)], SETTINGS)


@pytest.fixture(scope="module")
def mastered_levels():
    """The mastered chapter's level per 10 ms window, in dBFS, and its length in seconds."""
    samples = np.array(MASTER.audio.get_array_of_samples(), np.float64) / 32768
    return window_levels(samples, SETTINGS.sample_rate, 0.01), len(MASTER.audio) / 1000


def test_the_spans_end_where_the_mastered_chapter_does(mastered_levels):
    _, seconds = mastered_levels
    spans = chapter_spans(SEGMENTS, MASTER, SETTINGS)
    assert spans[-1].end_s + PAUSES[-1] + SETTINGS.tail_s == pytest.approx(seconds, abs=0.002)
    assert spans[0].start_s == SETTINGS.head_s and [s.segment_id for s in spans] == [s.segment_id for s in SEGMENTS]


def test_spans_follow_each_other_without_overlap_even_across_a_crossfade():
    spans = chapter_spans(SEGMENTS, MASTER, SETTINGS)
    assert all(a.start_s < a.end_s <= b.start_s for a, b in zip(spans, spans[1:]))
    assert spans[1].end_s == spans[2].start_s  # segment 1's pause is a crossfade


def test_speech_starts_and_ends_where_a_span_says_next_to_a_pause(mastered_levels):
    levels, _ = mastered_levels
    spans = chapter_spans(SEGMENTS, MASTER, SETTINGS)
    quiet = lambda a, b: levels[int(a * 100):int(b * 100)].max() < -50  # noqa: E731
    loud = lambda a, b: levels[int(a * 100):int(b * 100)].min() > -40  # noqa: E731
    for span in (spans[0], spans[1], spans[3]):  # spans[2] follows a crossfade: no silence before it
        assert quiet(span.start_s - 0.08, span.start_s - 0.02) and loud(span.start_s + 0.02, span.start_s + 0.06)
    for span in (spans[0], spans[2], spans[3]):  # spans[1] runs into a crossfade
        assert loud(span.end_s - 0.06, span.end_s - 0.02) and quiet(span.end_s + 0.02, span.end_s + 0.08)


def test_aligned_words_move_from_take_time_into_chapter_time():
    heard = [["lion", 0.62, 0.9], ["mouse", 1.1, 1.7]]  # the take's own times: its clip starts 0.5 s in
    check = SpeechCheck(word_match=1.0, missing=[], extra=[], words=[tuple(w) for w in heard], voice_similarity=None,
                        running_similarity=None, lead_s=0.0, trail_s=0.0, longest_gap_s=0.0, speech_s=1.0)
    aligned = replace(SEGMENTS[2], attempts=[replace(SEGMENTS[2].kept, speech=check)])
    spans = chapter_spans([SEGMENTS[0], SEGMENTS[1], aligned, SEGMENTS[3]], MASTER, SETTINGS)
    start = spans[2].start_s
    assert [w for w, _, _ in spans[2].words] == ["lion", "mouse"]
    assert [t for _, a, b in spans[2].words for t in (a, b)] == pytest.approx(
        [start + 0.12, start + 0.4, start + 0.6, start + 1.2], abs=0.011)  # trimming works in 10 ms windows
    assert spans[0].words == ()  # no speech check: no words


def test_the_master_places_each_clip_once_and_the_spans_are_its_places():
    """One layout: the spans are where mastering put each clip, not a second computation of it."""
    spans = chapter_spans(SEGMENTS, MASTER, SETTINGS)
    assert [(round(s.start_s * 1000), round(s.end_s * 1000)) for s in spans] == MASTER.clips_ms
