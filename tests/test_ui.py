"""What the Prefect UI shows a person: run names, the book's progress and summary, failure reasons, scan paths."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import typer

from flows.deployment_command import parse_params, reason
from flows.scan import CHECKOUT, scan_paths
from tasks.core.errors import BarkbookError
from tasks.render.progress import (BookPlanned, BookProgress, ChapterProgress, SegmentDone, Throttle, add_listener,
                            remove_listener, segments_line)
from tasks.core import clip_words
from tasks.deliver import RunSummary
from tasks.plan import book_run_name, chapter_artifact_key, chapter_run_name, render_task_name
from tasks.deliver.summary import checks_text, length_text, summary_markdown


def chapter(index=2, title="The Fox and the Grapes", album="Three Fables of Aesop", ids=("a", "b"), kind="chapter"):
    segments = [SimpleNamespace(id=i, seconds=1.5, pause_after=0.5) for i in ids]
    place = f"{index}/3 {title}" if kind == "chapter" else title  # ChapterPlan.place, in a book of 3 chapters
    return SimpleNamespace(index=index, title=title, slug=f"{index:02d}-fox", tags={"album": album}, segments=segments,
                           kind=kind, place=place)


def test_clip_words_cuts_at_a_word_boundary_and_marks_the_cut():
    text = "The Fox, seeing some fine bunches of Grapes hanging from a vine"
    clipped = clip_words(text, 24)
    assert len(clipped) <= 24 and clipped.endswith("…")
    assert text.startswith(clipped[:-1]) and text[len(clipped) - 1] in " ,"  # the cut falls between words
    assert clip_words("Short.", 24) == "Short."


def test_chapter_runs_name_their_book_and_place_and_credits_go_by_their_title():
    assert chapter_run_name(chapter()) == "Three Fables of Aesop · 2/3 The Fox and the Grapes"
    assert chapter_run_name(chapter(0, title="Opening Credits", kind="opening-credits")) == (
        "Three Fables of Aesop · Opening Credits")


def test_a_chapters_render_task_is_named_after_its_chapter():
    assert render_task_name({"chapter": chapter()}) == "render · 2/3 The Fox and the Grapes"


def test_a_planned_chapter_knows_its_place_among_the_books_chapters_credits_aside(tmp_path):
    from planning import plan_of
    from tasks.manuscript import read_manuscript
    from tasks.plan import RenderSettings
    from tasks.text import NO_LEXICON, segment_book

    book = read_manuscript(Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md")
    plan = plan_of(book, segment_book(book, lexicon=NO_LEXICON), RenderSettings(model="random-tiny"))
    assert [c.place for c in plan.chapters] == ["Opening Credits", "1/3 Chapter 1. The Fox and the Grapes",
                                                "2/3 Chapter 2. The Lion and the Mouse", "3/3 Chapter 3. The Ants and the Grasshopper",
                                                "Closing Credits"]


def test_two_renders_of_a_book_get_different_names_and_two_books_different_artifact_keys():
    assert book_run_name("Aesop", "out/a") != book_run_name("Aesop", "out/b")
    assert chapter_artifact_key("qc", chapter(album="Book One")) != chapter_artifact_key("qc", chapter(album="Book Two"))


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_book_progress_counts_segments_chapters_and_time_left_from_rendered_ones():
    clock = Clock()
    progress = BookProgress.of([chapter(1, ids=("a", "b")), chapter(2, ids=("c", "d"))], clock)
    progress.segment_done(SegmentDone(1, "a", 2.0, cached=True, attempts=0))
    assert "1 of 4 segments (1 cached, 0 rendered)" in progress.describe()
    clock.now = 10.0
    progress.segment_done(SegmentDone(1, "b", 2.0, cached=False, attempts=1))
    text = progress.describe()
    assert "2 of 4 segments (1 cached, 1 rendered)" in text and "1 of 2 chapters done" in text
    assert progress.seconds_left() == pytest.approx(20.0)  # 10 s per rendered segment, 2 to go
    assert progress.percent == 50.0


def test_book_progress_ignores_other_books_events_and_repeats():
    progress = BookProgress.of([chapter(1, ids=("a",))], Clock())
    progress.segment_done(SegmentDone(1, "zzz", 1.0, cached=False, attempts=1))  # another book's segment
    progress.segment_done(SegmentDone(1, "a", 1.0, cached=False, attempts=1))
    progress.segment_done(SegmentDone(1, "a", 1.0, cached=False, attempts=1))
    assert (len(progress.done), progress.total) == (1, 1)


def test_the_credits_segments_count_but_the_credits_are_no_chapters():
    book = [chapter(0, ids=("o",), kind="opening-credits"), chapter(1, ids=("a", "b")),
            chapter(2, ids=("c",), kind="closing-credits")]
    progress = BookProgress.of(book, Clock())
    progress.chapters_finished({0: [SegmentDone(0, "o", 1.0, cached=False, attempts=1)]})  # the opening credits' run completed
    assert "1 of 4 segments" in progress.describe() and "0 of 1 chapters done" in progress.describe()


def test_the_plan_a_progress_bar_counts_to_holds_the_credits_and_is_no_segment():
    book = [chapter(0, ids=("o",), kind="opening-credits"), chapter(1, ids=("a", "b"))]
    progress = BookProgress.of(book, Clock())
    assert (progress.total, progress.seconds) == (3, 6.0)  # the credits' segment counts: 143 of 143, not of 141
    progress.segment_done(BookPlanned(progress.total, progress.seconds))  # heard by the same listeners
    assert not progress.done


def test_chapters_run_elsewhere_count_when_their_run_completes():
    progress = BookProgress.of([chapter(1, ids=("a", "b")), chapter(2, ids=("c",))], Clock())
    progress.chapters_finished({2: [SegmentDone(2, "c", 1.0, cached=True, attempts=0)]})
    progress.chapters_finished({2: [SegmentDone(2, "c", 1.0, cached=True, attempts=0)]})  # seen again at the next poll
    assert (len(progress.done), progress.cached, progress.chapters_done) == (1, 1, {2})


def test_the_book_artifact_is_written_at_most_once_a_second_and_always_at_the_end():
    writes, clock = [], Clock()
    progress = BookProgress.of([chapter(1, ids=tuple("abcdef"))], clock)
    progress.artifact_id, progress.write = "artifact", lambda _id, percent, description: writes.append(percent)
    for t, segment in zip([0.1, 0.2, 0.3, 1.5, 1.6, 1.7], "abcdef"):  # six segments in 1.7 s
        clock.now = t
        progress.segment_done(SegmentDone(1, segment, 1.0, cached=False, attempts=1))
    assert writes == [pytest.approx(100 / 6), pytest.approx(400 / 6), 100.0]  # first, 1.2 s later, the last


def test_a_chapters_artifact_counts_cached_and_rendered_segments_and_moves_at_most_once_a_second(monkeypatch):
    writes, clock, heard = [], Clock(), []
    monkeypatch.setattr("tasks.render.progress.update_progress_artifact",
                        lambda _id, percent, description: writes.append((percent, description)))
    progress = ChapterProgress(3, total=4, name="chapter 3: Dawn", artifact="artifact", throttle=Throttle(clock=clock))
    add_listener(heard.append)
    try:
        for t, (segment, cached) in zip([0.0, 0.5, 1.2, 1.3], [("a", True), ("b", True), ("c", False), ("d", False)]):
            clock.now = t
            progress.segment_done(segment, seconds=2.0, attempts=2, cached=cached)
    finally:
        remove_listener(heard.append)
    assert [e.segment_id for e in heard] == ["a", "b", "c", "d"] and [e.attempts for e in heard] == [0, 0, 2, 2]
    assert writes == [(25.0, "chapter 3: Dawn · 1 of 4 segments (1 cached, 0 rendered)"),
                      (75.0, "chapter 3: Dawn · 3 of 4 segments (2 cached, 1 rendered)"),
                      (100.0, "chapter 3: Dawn · 4 of 4 segments (2 cached, 2 rendered)")]


def test_a_render_that_fails_says_so_in_the_book_artifact_with_what_was_done():
    writes = []
    progress = BookProgress.of([chapter(1, ids=("a", "b"))], Clock())
    progress.artifact_id, progress.write = "artifact", lambda _id, percent, description: writes.append(description)
    with pytest.raises(RuntimeError), progress.following():
        progress.segment_done(SegmentDone(1, "a", 1.0, cached=True, attempts=0))
        raise RuntimeError("chapter run 'Chapter 1' failed: QC\nmore")
    assert writes[-1] == "stopped: chapter run 'Chapter 1' failed: QC · " + segments_line(1, 2, 1)


SUMMARY = RunSummary(
    title="Three Fables of Aesop", author="Aesop", chapters=3, segments=12, rendered=9, cached=3, retried=2, takes=15,
    retakes=1, review=2, qc="speech QC off (random-tiny); signal checks only", audio_seconds=150.0, target="acx",
    retaken_for={"words missing": 2},
    ai_narration="AI Voice (Bark small, v2/en_speaker_6)", cover="drawn", checks="ACX: 1 of 2 audio files out of spec",
    out_of_spec=["aesop.m4b (book): peak -2.7 dB"], manifest="/books/aesop/manifest.json", removed=[],
    files=[{"path": "01-fox.wav", "kind": "chapter", "format": "wav", "bytes": 2_400_000, "seconds": 50.2,
            "sha256": "0" * 64},
           {"path": "aesop.m4b", "format": "m4b", "bytes": 1_200_000, "seconds": 151.0, "kind": "book",
            "sha256": "1" * 64, "checks": ["peak -2.7 dB, ACX wants at most -3 dB"]}],
)


def test_the_summary_lists_files_folder_length_counts_and_review_link():
    text = summary_markdown(SUMMARY, "http://127.0.0.1:4321/artifacts/artifact/r1")
    assert "`/books/aesop`" in text and "2:31" in text  # output folder; total length is the longest file
    assert "9 rendered, 3 cached, 2 needed another round" in text and "1 retaken" in text
    assert "2 segments to listen to" in text
    assert "[review list](http://127.0.0.1:4321/artifacts/artifact/r1)" in text
    assert "review-three-fables-of-aesop" in summary_markdown(SUMMARY)  # no UI: the key to look for
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert rows[0] == "| `01-fox.wav` | chapter | 0:50 | 2.3 MB | — |"  # not checked: a dash
    assert "| book |" in rows[1] and "| peak -2.7 dB, ACX wants at most -3 dB |" in rows[1]
    assert "**Delivery checks:** ACX: 1 of 2 audio files out of spec" in text


def test_lengths_and_checks_read_as_a_person_writes_them():
    assert (length_text(59.6), length_text(3725.0), length_text(None)) == ("1:00", "1:02:05", "—")
    assert (checks_text([]), checks_text(["RMS -14 dB", "tail 0.4 s"]), checks_text(None)) == (
        "ok", "RMS -14 dB; tail 0.4 s", "—")


def test_params_are_json_when_they_parse_and_text_otherwise():
    assert parse_params(["formats=[\"wav\"]", "manuscript=a b.md", "cache_dir=null", "seed=3"]) == {
        "formats": ["wav"], "manuscript": "a b.md", "cache_dir": None, "seed": 3}
    with pytest.raises(typer.BadParameter):
        parse_params(["no-equals"])


def test_the_failure_reason_is_the_exceptions_line_without_prefects_prefix():
    state = SimpleNamespace(message="Flow run encountered an exception: ManuscriptError: x.md: no such file\nmore")
    assert reason(state) == "ManuscriptError: x.md: no such file"
    assert "logs" in reason(SimpleNamespace(message=None))


def test_the_scan_refuses_to_write_into_the_checkout_unless_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(CHECKOUT)
    with pytest.raises(BarkbookError, match="inside the code checkout"):
        scan_paths(tmp_path, Path("out"))  # relative: the worker's working directory is the checkout
    assert scan_paths(tmp_path, CHECKOUT / "out", allow_checkout=True)[1] == CHECKOUT / "out"
    folder, root = scan_paths(Path("~/inbox"), tmp_path / "books")
    assert folder == Path.home() / "inbox" and root == tmp_path / "books"


def test_our_errors_log_without_a_traceback_and_others_keep_theirs(caplog):
    import logging

    from tasks.core.failures import quiet_our_tracebacks

    quiet_our_tracebacks()
    logger = logging.getLogger("prefect.task_runs")
    for error in (BarkbookError("x.md: does not exist"), ValueError("a bug")):
        try:
            raise error
        except Exception as err:
            logger.error("Task run failed with exception: %r", err, exc_info=True)
    ours, theirs = caplog.records[-2:]
    assert ours.exc_info is None and "x.md: does not exist" in ours.getMessage()
    assert theirs.exc_info is not None
