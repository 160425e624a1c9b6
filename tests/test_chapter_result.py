"""A chapter's result: saved without this run's segment records, read back typed, or not at all."""

import json

from tasks.master.chapter import ChapterFile, ChapterResult, load_chapter, save_chapter
from tasks.core import record_path
from tasks.master.layout import SegmentSpan
from tasks.render.progress import SegmentDone
from tasks.master.qc_report import QCSummary
from tasks.master.review_items import ReviewItem


def made(tmp_path) -> ChapterResult:
    """A chapter result whose files exist under `tmp_path`."""
    files = []
    for name, kind in (("01-one.flac", "master"), ("01-one.svg", "loudness-plot"), ("01-one.csv", "report")):
        (tmp_path / name).write_bytes(name.encode())
        files.append(ChapterFile(path=str(tmp_path / name), kind=kind))
    return ChapterResult(
        key="k1", files=files, qc=QCSummary(2, 0, 1, 3, str(tmp_path / "01-one.csv")),
        review=[ReviewItem("01-one", 1.5, "b", "Hi.", ["too short"], 3)],
        spans=[SegmentSpan("a", 0.5, 1.0, (("hello", 0.5, 0.9),)), SegmentSpan("b", 1.5, 2.0)],
        cuts=[1.25], paragraph_cuts=[], segments=[SegmentDone(1, "a", 0.5, cached=False, attempts=1)])


def test_a_saved_chapter_reads_back_typed_without_this_runs_segment_records(tmp_path):
    result = made(tmp_path)
    save_chapter(tmp_path, "01-one", result)
    again = load_chapter(tmp_path, "01-one", "k1")
    assert again == result.model_copy(update={"segments": []})
    assert again.master == tmp_path / "01-one.flac" and again.spans[0].words == (("hello", 0.5, 0.9),)
    assert [f.kind for f in again.delivered] == ["loudness-plot", "report"]


def test_other_inputs_or_a_changed_file_read_back_as_nothing(tmp_path):
    save_chapter(tmp_path, "01-one", made(tmp_path))
    assert load_chapter(tmp_path, "01-one", "k2") is None
    (tmp_path / "01-one.svg").write_bytes(b"edited")
    assert load_chapter(tmp_path, "01-one", "k1") is None


def test_a_record_in_an_older_shape_reads_back_as_nothing(tmp_path):
    """Chapter records from before typed results listed their files as bare paths: mastered again."""
    result = made(tmp_path)
    save_chapter(tmp_path, "01-one", result)
    path = record_path(tmp_path, "01-one")
    record = json.loads(path.read_text())
    record["result"]["files"] = [f.path for f in result.files]
    path.write_text(json.dumps(record))
    assert load_chapter(tmp_path, "01-one", "k1") is None
