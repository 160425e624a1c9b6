"""A producer's decisions (OUT/review.json) and what a render does with them: the kept take, the spoken text,
the approvals left off the review list; and OUT/.state/request.json, the request a rerun starts from."""

import csv
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from flows.request import REQUEST_FILE, RenderRequest, load_request, save_request
from planning import plan_of
from tasks.core import BarkbookError
from tasks.deliver.manifest import kind_of
from tasks.deliver.review import write_review
from tasks.manuscript import read_manuscript
from tasks.master import ChapterResult, QCSummary, ReviewItem
from tasks.plan import (DECISIONS_FILE, RenderSettings, ReviewDecisions, load_decisions, retake_budgets,
                        save_decisions)
from tasks.plan.retakes import add_retakes
from tasks.qc import MAX_TAKES
from tasks.render.segments import render_segment, segment_cache_key, take_cache_key
from tasks.text import NO_LEXICON, segment_book
from test_render import SEGMENT, SETTINGS, MemoryStore, ScriptedEngine, pool_of

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"


@pytest.fixture(scope="module")
def book():
    book = read_manuscript(SAMPLE)
    return book, segment_book(book, lexicon=NO_LEXICON)


def planned(book, decisions=None):
    return plan_of(*book, RenderSettings(model="random-tiny"), credits=None, decisions=decisions)


def test_decisions_read_back_as_written_and_a_missing_file_is_none(tmp_path):
    assert load_decisions(tmp_path) == ReviewDecisions()
    decisions = ReviewDecisions().changed("a", keep_seed=4).changed("b", spoken="Mows.", approved_take="k")
    save_decisions(tmp_path, decisions)
    assert load_decisions(tmp_path) == decisions
    assert json.loads((tmp_path / DECISIONS_FILE).read_text())["segments"]["a"]["keep_seed"] == 4


def test_a_segment_left_with_no_decision_is_dropped_from_the_file():
    decisions = ReviewDecisions().changed("a", keep_seed=4).changed("a", keep_seed=None)
    assert decisions.segments == {}


def test_an_empty_spoken_text_or_takes_out_of_range_are_refused_with_a_reason():
    with pytest.raises(ValidationError, match="the spoken text is empty"):
        ReviewDecisions().changed("a", spoken="  — ")
    with pytest.raises(ValidationError, match="less than or equal to 32"):
        ReviewDecisions().changed("a", takes=MAX_TAKES + 1)


def test_a_damaged_decisions_file_is_one_line_naming_it(tmp_path):
    (tmp_path / DECISIONS_FILE).write_text('{"segments": {"a": {"keep_seed": "four"}}}')
    with pytest.raises(BarkbookError, match=r"review.json: not a review decisions file"):
        load_decisions(tmp_path)


def test_the_plan_speaks_the_override_keeps_the_id_and_estimates_its_length_again(book):
    first = planned(book).chapters[1].segments[1]
    decisions = ReviewDecisions().changed(first.id, spoken="A lion woke.")
    changed = planned(book, decisions).chapters[1].segments[1]
    assert (changed.id, changed.text, changed.spoken) == (first.id, first.text, "A lion woke.")
    assert changed.seconds == pytest.approx(3 / 2.7, abs=0.001) and changed.seconds < first.seconds


def test_the_plan_carries_a_chosen_take_and_only_its_chapter_key_changes(book):
    first = planned(book)
    segment = first.chapters[2].segments[0]
    chosen = planned(book, ReviewDecisions().changed(segment.id, keep_seed=5))
    assert chosen.chapters[2].segments[0].keep_seed == 5
    keys = lambda plan: [c.content_key() for c in plan.chapters]  # noqa: E731
    assert [a == b for a, b in zip(keys(first), keys(chosen))] == [True, True, False]
    assert "keep_seed" not in first.chapters[2].segments[0].model_dump()  # nothing chosen: the keys of old renders


def test_a_chosen_take_is_kept_though_another_is_better_and_keys_its_own_choice():
    store = MemoryStore()
    with pool_of(ScriptedEngine([0.2, 9.0, 1.3])) as pool:
        best = render_segment(SEGMENT, SETTINGS, pool, store)  # seeds 0, 1, 2: only 2 passes
    chosen = SEGMENT.model_copy(update={"keep_seed": 0})
    with pool_of(ScriptedEngine([])) as pool:  # generates nothing: seed 0's take is in the store
        kept = render_segment(chosen, SETTINGS, pool, store)
    assert (best.seed, kept.seed) == (2, 0) and [c.seed for c in kept.attempts] == [0] and not kept.kept.passed
    assert segment_cache_key(chosen, SETTINGS) != segment_cache_key(SEGMENT, SETTINGS)
    assert take_cache_key(chosen, SETTINGS, 0) == take_cache_key(SEGMENT, SETTINGS, 0)


def test_a_segment_with_takes_of_its_own_renders_rounds_of_them(book):
    segment = planned(book).chapters[0].segments[1]
    own = planned(book, ReviewDecisions().changed(segment.id, takes=3)).chapters[0].segments[1]
    engine = ScriptedEngine([0.2] * 9)  # every take too short: every round is tried
    with pool_of(engine) as pool:
        rendered = render_segment(own.model_copy(update={"seconds": 1.0}), SETTINGS, pool, MemoryStore())
    assert own.takes == 3 and segment.takes is None and "takes" not in segment.model_dump()
    assert sorted(seed for seed, _ in engine.calls) == list(range(9)) and rendered.per_round == 3  # 3 rounds of 3


def test_a_retake_moves_a_segment_with_takes_of_its_own_past_the_most_it_may_have_had(tmp_path):
    decisions = ReviewDecisions().changed("b", takes=4)
    budgets = retake_budgets(["a", "b"], decisions, takes=2, rounds=3)
    assert budgets == {"a": 6, "b": 3 * MAX_TAKES}
    assert add_retakes(tmp_path, ["a", "b"], {"a", "b"}, budgets) == {"a": 6, "b": 3 * MAX_TAKES}


def item(segment: str, take: str) -> ReviewItem:
    return ReviewItem("01-one", 1.0, segment, "Hi.", ["too long: 9 s"], 1, take)


def test_approved_takes_are_left_off_the_review_list_and_other_takes_stay(tmp_path):
    chapter = ChapterResult(key="k", files=[], qc=QCSummary(segments=2, retried=0, failed_qc=2, takes=2, report="r"),
                            review=[item("a", "take-a-1"), item("b", "take-b-1")])
    listed = write_review.fn("Fables", [chapter], tmp_path, frozenset({"take-a-1", "take-b-0"}))
    assert listed.segments == 1
    assert [row["segment"] for row in csv.DictReader((tmp_path / "review.csv").open())] == ["b"]


def test_the_decisions_a_review_list_was_made_with_are_delivered_beside_it(tmp_path):
    save_decisions(tmp_path, ReviewDecisions().changed("a", approved_take="take-a-1"))
    listed = write_review.fn("Fables", [], tmp_path, frozenset({"take-a-1"}))
    assert [p.name for p in listed.files] == ["review.csv", DECISIONS_FILE] and kind_of(tmp_path / DECISIONS_FILE) == (
        "decisions")


def test_the_recorded_request_has_absolute_paths_its_cache_and_no_retakes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    request = RenderRequest(manuscript=Path("book.md"), output_dir=Path("out"), cache_dir="cache", retake=["a"])
    save_request(request)
    again = load_request(tmp_path / "out")
    assert again.manuscript == tmp_path / "book.md" and again.output_dir == tmp_path / "out"
    assert again.cache_dir == tmp_path / "cache" and again.retake is None
    assert again.model_copy(update={"retake": ["a"]}).render_settings() == request.render_settings()


def test_a_folder_without_a_request_or_with_a_damaged_one_is_one_line(tmp_path):
    with pytest.raises(BarkbookError, match=r"no .state/request.json here; render the book"):
        load_request(tmp_path)
    (tmp_path / REQUEST_FILE).parent.mkdir()
    (tmp_path / REQUEST_FILE).write_text('{"model": "small"}')
    with pytest.raises(BarkbookError, match="request.json: not a render request"):
        load_request(tmp_path)
