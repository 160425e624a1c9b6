"""End to end: the sample manuscript becomes chapter files and a whole book through the Prefect flow."""

import csv
import hashlib
import json
import re
import time
from pathlib import Path

import pytest
import soundfile

from prefect import get_client
from prefect.client.schemas.filters import (FlowRunFilter, FlowRunFilterParentFlowRunId, FlowRunFilterParentTaskRunId,
                                            FlowRunFilterTags, LogFilter, LogFilterTaskRunId, TaskRunFilter,
                                            TaskRunFilterFlowRunId)
from prefect.client.schemas.sorting import FlowRunSort

from flows.render_book import render_book
from tasks.core.errors import BarkbookError
from tasks.plan.names import book_tag
from flows.request import RenderRequest

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"
SEGMENT_LINE = re.compile(r"\d+\.\d+ .+: voice .+ · QC ")  # "<n>.<i> <first words>: voice …, seconds, takes, QC"


@pytest.fixture(scope="module")
def segment_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("segments")


@pytest.fixture(scope="module")
def rendered(prefect_harness, tmp_path_factory, segment_cache):
    out = tmp_path_factory.mktemp("out")
    summary = render_book(RenderRequest(manuscript=SAMPLE, model="random-tiny", formats=["wav"], output_dir=out,
                          cache_dir=segment_cache)).model_dump(mode="json")
    return out, summary


def test_writes_one_wav_per_chapter_and_credit_and_the_whole_book(rendered):
    out, summary = rendered
    chapters = sorted(out.glob("[0-9][0-9]-*.wav"))
    assert [p.name[:3] for p in chapters] == ["00-", "01-", "02-", "03-", "04-"]  # credits first and last
    assert (out / "three-fables-of-aesop.wav").is_file()
    assert summary["chapters"] == 3


def test_the_book_and_chapter_runs_carry_the_books_tag_and_no_task_run_does(rendered):
    """The runs list filters by book; an untagged task run asks the server for no concurrency slot."""
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            tags=FlowRunFilterTags(all_=[book_tag("Three Fables of Aesop")])), limit=200)
        chapters = [run for run in runs if run.parent_task_run_id]
        tasks = client.read_task_runs(task_run_filter=TaskRunFilter(
            flow_run_id=TaskRunFilterFlowRunId(any_=[run.id for run in runs])), limit=200)
    assert len(chapters) >= 3 and len(runs) > len(chapters)  # the sample's chapters, and their book run
    assert tasks and all(not task.tags for task in tasks)


def eventually(read, ready, timeout_s=60.0):
    """`read()` once `ready` holds for it, or at the timeout: the server writes task runs from their events
    and logs arrive in batches, so on a busy machine the newest can come a little after the flow returned."""
    deadline = time.monotonic() + timeout_s
    while not ready(found := read()) and time.monotonic() < deadline:
        time.sleep(0.5)
    return found


def test_the_run_graph_links_rendering_to_decoding_and_decoding_to_the_chapters_steps(rendered):
    """One render task run a chapter, named after it ("render · 1/3 …"; its log has a line a segment); the
    chapter's steps take their segments `opaque` (not walked for futures): each links to the one decode-takes
    run, which links to it."""
    with get_client(sync_client=True) as client:
        # The newest book run of the sample is this module's: other modules render it on the same server.
        [book] = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            tags=FlowRunFilterTags(all_=[book_tag("Three Fables of Aesop")]),
            parent_task_run_id=FlowRunFilterParentTaskRunId(is_null_=True)), sort=FlowRunSort.START_TIME_DESC, limit=1)
        chapters = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[book.id])), limit=200)
        chapter = next(run for run in chapters if " · 1/" in run.name)
        steps = ("render · 1/3 ", "decode-takes", "master", "qc-report", "chapter-voice")
        of_chapter = TaskRunFilter(flow_run_id=TaskRunFilterFlowRunId(any_=[chapter.id]))
        runs = eventually(lambda: client.read_task_runs(task_run_filter=of_chapter),
                          lambda runs: all(any(run.name.startswith(step) for run in runs) for step in steps))
        render = [run for run in runs if run.name.startswith("render · 1/3 ")]
        of_render = LogFilter(task_run_id=LogFilterTaskRunId(any_=[render[0].id]))
        lines = eventually(lambda: [log.message for log in client.read_logs(log_filter=of_render)],
                           lambda lines: any(SEGMENT_LINE.match(line) for line in lines))
    decode = next(run for run in runs if run.name.startswith("decode-takes"))
    assert len(render) == 1 and {link.id for link in decode.task_inputs["rendered"]} == {render[0].id}
    for name in ("master", "qc-report", "chapter-voice"):
        step = next(run for run in runs if run.name.startswith(name))
        assert {link.id for link in step.task_inputs["rendered"]} == {decode.id}, name
    segment_lines = [line for line in lines if SEGMENT_LINE.match(line)]
    assert segment_lines and len(segment_lines) == len({line.split(" ", 1)[0] for line in segment_lines})


def test_files_decode_as_mastered_audio(rendered):
    out, _ = rendered
    for path in out.glob("*.wav"):
        info = soundfile.info(path)
        assert info.samplerate == 44_100 and info.channels == 1 and info.duration > 1.0


def test_chapter_durations_grow_with_their_text(rendered):
    out, _ = rendered
    words = {1: 0, 2: 0, 3: 0}
    chapter = 0
    for line in SAMPLE.read_text().splitlines():
        if line.startswith("# "):
            chapter += 1
        elif chapter:
            words[chapter] += len(line.split())
    seconds = {int(p.name[:2]): soundfile.info(p).duration for p in out.glob("0[1-3]-*.wav")}
    by_words = sorted(words, key=words.get)
    assert [seconds[c] for c in by_words] == sorted(seconds.values())


def test_whole_book_is_the_chapters_joined(rendered):
    out, _ = rendered
    chapters = sum(soundfile.info(p).duration for p in out.glob("[0-9][0-9]-*.wav"))
    book = soundfile.info(out / "three-fables-of-aesop.wav").duration
    assert chapters <= book <= chapters + 3 * 5.0  # chapter pauses between them


def test_manifest_lists_every_file_with_its_hash(rendered):
    out, _ = rendered
    manifest = json.loads((out / "manifest.json").read_text())
    listed = {entry["path"]: entry for entry in manifest["files"]}
    reports = {f"qc/{p.name}" for p in (out / "qc").glob("*.*")}  # QC tables and loudness plots
    subtitles = {p.with_suffix(s).name for p in out.glob("[0-9][0-9]-*.wav") for s in (".vtt", ".srt")}
    assert {p.name for p in out.glob("*.wav")} | subtitles | reports | {"review.csv", "cover.jpg"} == set(listed)
    assert len(reports) == 2 * 5  # three chapters and two credits
    for path, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256((out / path).read_bytes()).hexdigest()


def test_random_tiny_is_checked_by_signal_and_the_summary_says_why_speech_qc_is_off(rendered):
    out, summary = rendered
    assert "speech QC off" in summary["qc"] and "random-tiny" in summary["qc"]
    assert summary["takes"] >= summary["segments"] and summary["retakes"] == 0
    listed = list(csv.DictReader((out / "review.csv").open()))
    assert len(listed) == summary["review"]


def test_a_changed_qc_setting_checks_the_cached_takes_again_without_generating(rendered, segment_cache, tmp_path):
    _, first = rendered
    takes = sorted(p.name for p in segment_cache.glob("render-take-*"))
    again = render_book(RenderRequest(manuscript=SAMPLE, model="random-tiny", output_dir=tmp_path / "out", cache_dir=segment_cache,
                        qc="off")).model_dump(mode="json")
    assert (again["rendered"], again["cached"]) == (first["segments"], 0)  # every segment chose again...
    assert sorted(p.name for p in segment_cache.glob("render-take-*")) == takes  # ...from the takes it had
    assert again["review"] == 0 and "no checks" in again["qc"]


def test_a_retake_renders_new_takes_of_its_segment_and_masters_only_its_chapter(rendered, segment_cache, tmp_path):
    book, out = tmp_path / "book.md", tmp_path / "out"
    book.write_text(SAMPLE.read_text())
    first = render_book(RenderRequest(manuscript=book, model="random-tiny", output_dir=out, cache_dir=segment_cache)).model_dump(mode="json")
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("[0-9][0-9]-*.wav")}
    target = list(csv.DictReader((out / "qc" / next(n for n in stamps if n.startswith("02-")).replace(".wav", ".csv")).open()))[0]
    retaken = render_book(RenderRequest(manuscript=book, model="random-tiny", output_dir=out, cache_dir=segment_cache,
                          retake=[target["segment"]])).model_dump(mode="json")
    assert (retaken["rendered"], retaken["retakes"]) == (1, 1)
    assert json.loads((out / "retakes.json").read_text()) == {target["segment"]: 3}  # past its 3 seeds (3 rounds × 1)
    changed = {p.name for p in out.glob("[0-9][0-9]-*.wav") if p.stat().st_mtime_ns != stamps[p.name]}
    assert changed == {next(n for n in stamps if n.startswith("02-"))}
    assert "retakes.json" in {e["path"] for e in retaken["files"]}
    rerun = render_book(RenderRequest(manuscript=book, model="random-tiny", output_dir=out, cache_dir=segment_cache)).model_dump(mode="json")
    assert (rerun["rendered"], rerun["cached"]) == (0, first["segments"])  # the retake's seeds were recorded
    kept = {r["segment"]: int(r["seed"]) for r in csv.DictReader(next((out / "qc").glob("02-*.csv")).open())
            if r["kept"] == "True"}
    assert kept[target["segment"]] >= 3


def test_an_unknown_retake_id_fails_the_run_naming_it(prefect_harness, tmp_path, segment_cache):
    with pytest.raises(BarkbookError, match="no segment nope"):
        render_book(RenderRequest(manuscript=SAMPLE, model="random-tiny", output_dir=tmp_path, cache_dir=segment_cache, retake=["nope"])).model_dump(mode="json")


def test_a_new_run_reuses_every_segment_and_an_edit_renders_only_its_segment(rendered, segment_cache, tmp_path):
    _, first = rendered
    book = tmp_path / "book.md"
    book.write_text(SAMPLE.read_text())
    out = tmp_path / "out"

    again = render_book(RenderRequest(manuscript=book, model="random-tiny", output_dir=out, cache_dir=segment_cache)).model_dump(mode="json")
    assert (again["rendered"], again["cached"]) == (0, first["segments"])

    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("[0-9][0-9]-*.wav")}
    book.write_text(SAMPLE.read_text().replace("The Lion laughed and let him go.", "The Lion smiled and let him go."))
    edited = render_book(RenderRequest(manuscript=book, model="random-tiny", output_dir=out, cache_dir=segment_cache)).model_dump(mode="json")
    assert (edited["rendered"], edited["cached"]) == (1, first["segments"] - 1)
    changed = {p.name for p in out.glob("[0-9][0-9]-*.wav") if p.stat().st_mtime_ns != stamps[p.name]}
    assert changed == {next(n for n in stamps if n.startswith("02-"))}


def test_a_chapter_removed_from_the_manuscript_leaves_no_files_behind(rendered, segment_cache, tmp_path):
    book, out = tmp_path / "book.md", tmp_path / "out"
    book.write_text(SAMPLE.read_text())
    full = render_book(RenderRequest(manuscript=book, model="random-tiny", output_dir=out, cache_dir=segment_cache)).model_dump(mode="json")
    third = sorted(e["path"] for e in full["files"] if e["path"].removeprefix("qc/").startswith("03-"))
    assert [Path(p).suffix for p in third] == [".srt", ".vtt", ".wav", ".csv", ".svg"] and full["removed"] == []
    closing = sorted(e["path"] for e in full["files"] if e["path"].removeprefix("qc/").startswith("04-"))

    book.write_text(SAMPLE.read_text().split("# Chapter 3.")[0])
    shorter = render_book(RenderRequest(manuscript=book, model="random-tiny", output_dir=out, cache_dir=segment_cache)).model_dump(mode="json")
    assert shorter["chapters"] == 2 and sorted(shorter["removed"]) == sorted(third + closing)  # closing is 03- now
    delivered = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")
                 and ".state" not in p.parts and ".masters" not in p.parts}
    assert delivered == {e["path"] for e in shorter["files"]} | {"manifest.json"}
