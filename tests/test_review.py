"""The review list: failing segments with where they start in their mastered chapter; retakes recorded."""

import csv
import json
from types import SimpleNamespace

import numpy as np
import pytest

from tasks.errors import BarkbookError
from tasks.master import MasteringSettings, master_chapter
from tasks.qc import QCResult, window_levels
from tasks.render import RenderedSegment
from tasks.review import (RETAKE_FILE, ReviewItem, add_retakes, chapter_layout, load_seed_offsets, review_items,
                          review_markdown, write_review_csv)
from tasks.takes import Take, TakeCheck

RATE = 24_000


def clip(seconds: float, seed: int) -> np.ndarray:
    """Half a second of silence each side of a tone: mastering trims the edges."""
    tone = np.sin(np.arange(int(seconds * RATE)) * 0.07) * 0.3
    pad = np.zeros(RATE // 2)
    return np.concatenate([pad, tone * (1 + 0.1 * seed), pad]).astype(np.float32)


def segment(seconds: float, seed: int, problems=()) -> RenderedSegment:
    take = Take(f"s{seed}", seed, np.zeros((8, 1), np.int16), RATE, clip(seconds, seed))
    check = TakeCheck(seed, seconds, QCResult(seconds, -20.0, -6.0, list(problems), seconds))
    return RenderedSegment(f"s{seed}", take, [TakeCheck(seed + 100, seconds), check], "signal")


SEGMENTS = [segment(1.3, 0), segment(0.7, 1), segment(2.1, 2, ["too long: 9 s"]), segment(0.9, 3)]
PAUSES = [0.5, 0.0, 1.2, 0.3]  # the 0 s pause is a crossfade


def test_the_layout_ends_where_the_mastered_chapter_does():
    settings = MasteringSettings()
    starts, speech_end = chapter_layout(SEGMENTS, PAUSES, settings)
    mastered = master_chapter([(s.audio, p) for s, p in zip(SEGMENTS, PAUSES)], settings)
    assert speech_end + settings.tail_s == pytest.approx(len(mastered) / 1000, abs=0.002)
    assert starts[0] == settings.head_s and starts == sorted(starts)


def test_each_segment_after_a_pause_starts_where_the_layout_says():
    settings = MasteringSettings()
    starts, _ = chapter_layout(SEGMENTS, PAUSES, settings)
    mastered = master_chapter([(s.audio, p) for s, p in zip(SEGMENTS, PAUSES)], settings)
    samples = np.array(mastered.get_array_of_samples(), np.float64) / 32768
    levels = window_levels(samples, settings.sample_rate, 0.01)  # one per 10 ms
    for start in (starts[0], starts[1], starts[3]):  # starts[2] follows a crossfade: no silence before it
        before, after = levels[int(start * 100) - 8 : int(start * 100) - 2], levels[int(start * 100) + 2 : int(start * 100) + 6]
        assert before.max() < -50 and after.min() > -40, start


def test_only_segments_whose_kept_take_fails_are_listed_with_their_start_and_takes():
    chapter = SimpleNamespace(slug="02-the-lion", pauses_after=PAUSES,
                              segments=[SimpleNamespace(spoken=f"Sentence {i}.") for i in range(4)])
    items = review_items(chapter, SEGMENTS)
    starts, _ = chapter_layout(SEGMENTS, PAUSES, MasteringSettings())
    assert [(i.chapter, i.segment, i.text, i.problems, i.takes) for i in items] == [
        ("02-the-lion", "s2", "Sentence 2.", ["too long: 9 s"], 2)]
    assert items[0].start_s == pytest.approx(starts[2], abs=0.01)


def test_start_times_read_as_hours_minutes_seconds():
    item = ReviewItem("01", 3725.9, "s", "t", [], 1)
    assert item.start == "1:02:05" and ReviewItem("01", 59.99, "s", "t", [], 1).start == "0:00:59"


def test_the_review_file_reads_back_and_is_a_header_when_nothing_fails(tmp_path):
    item = ReviewItem("03-ants", 61.0, "ab12", "The ants worked.", ["words missing: worked", "voice drift"], 3)
    rows = list(csv.DictReader(write_review_csv([item], tmp_path).open()))
    assert rows == [{"chapter": "03-ants", "start": "0:01:01", "segment": "ab12", "text": "The ants worked.",
                     "problems": "words missing: worked; voice drift", "takes": "3"}]
    assert write_review_csv([], tmp_path).read_text().strip() == "chapter,start,segment,text,problems,takes"
    assert "| 03-ants | 0:01:01 | ab12 |" in review_markdown("Fables", [item])
    assert "nothing to review" in review_markdown("Fables", [])


def test_a_retake_moves_past_every_seed_used_and_is_recorded(tmp_path):
    assert load_seed_offsets(tmp_path) == {}
    assert add_retakes(tmp_path, ["a", "a"], {"a", "b"}, 3) == {"a": 3}
    assert add_retakes(tmp_path, ["a", "b"], {"a", "b"}, 6) == {"a": 9, "b": 6}
    assert load_seed_offsets(tmp_path) == json.loads((tmp_path / RETAKE_FILE).read_text()) == {"a": 9, "b": 6}


def test_an_unknown_segment_or_a_damaged_retake_file_is_one_line(tmp_path):
    with pytest.raises(BarkbookError, match="no segment zz"):
        add_retakes(tmp_path, ["zz"], {"a"}, 3)
    (tmp_path / RETAKE_FILE).write_text("[1, 2")
    with pytest.raises(BarkbookError, match="retakes.json: not a retake file"):
        load_seed_offsets(tmp_path)
