"""The review list: failing segments with where they start in their mastered chapter; retakes recorded."""

import csv
import json
from types import SimpleNamespace

import pytest

from rendered_chapter import PAUSES, SEGMENTS
from tasks.core.errors import BarkbookError
from tasks.master.layout import chapter_spans
from tasks.master.mastering import master_chapter
from tasks.deliver.review import review_markdown, write_review_csv
from tasks.master.review_items import ReviewItem, review_items
from tasks.plan import RenderSettings, SegmentPlan
from tasks.plan.retakes import RETAKE_FILE, add_retakes, load_seed_offsets
from tasks.render import take_cache_key


def test_only_segments_whose_kept_take_fails_are_listed_with_their_start_takes_and_kept_take():
    settings = RenderSettings(model="random-tiny")
    segments = [SegmentPlan(id=f"s{i}", text=f"Sentence {i}.", spoken=f"Sentence {i}.", seconds=1.0, pause_after=p,
                            voice="v", voice_digest="d") for i, p in enumerate(PAUSES)]
    chapter = SimpleNamespace(slug="02-the-lion", pauses_after=PAUSES, segments=segments, settings=settings)
    spans = chapter_spans(SEGMENTS, master_chapter([(s.audio, p) for s, p in zip(SEGMENTS, PAUSES)]))
    items = review_items(chapter, SEGMENTS, spans)
    assert [(i.chapter, i.segment, i.text, i.problems, i.takes) for i in items] == [
        ("02-the-lion", "s2", "Sentence 2.", ["too long: 9 s"], 2)]
    assert items[0].start_s == pytest.approx(spans[2].start_s, abs=0.01)
    assert items[0].take == take_cache_key(segments[2], settings, SEGMENTS[2].seed)  # what an approval names


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
