"""The review desk's parts that need no render: checks in words, the lexicon file it writes, the renders it runs
one at a time, and where its command listens."""

import threading
from pathlib import Path

import pytest

from flows.request import RenderRequest
from flows.review_command import is_loopback, page_url
from flows.review_desk.jobs import Busy, RenderJobs
from flows.review_desk.pronunciations import add_entry, lexicon_file, preview
from flows.review_desk.words import measures, problem_kind, verdict, what_is_wrong
from tasks.core import BarkbookError
from tasks.qc import QCResult, SpeechCheck, TakeCheck
from tasks.text import load_lexicon
from tasks.manuscript import read_manuscript

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"


def speech_check(**speech) -> TakeCheck:
    heard = SpeechCheck(**{"word_match": 0.6, "missing": [], "extra": [], "words": [], "voice_similarity": 0.82,
                           "running_similarity": None, "lead_s": 0.1, "trail_s": 0.1, "longest_gap_s": 0.2,
                           "speech_s": 2.0, **speech})
    return TakeCheck(3, 2.0, QCResult(2.4, -21.0, -6.0, [], 2.3), heard)


def test_missing_words_and_a_drifting_voice_read_as_a_person_says_them():
    check = speech_check(missing=["harbour", "grey"], running_similarity=0.71,
                         problems=["words missing: heard 60% of the text (missing: harbour grey)",
                                   "voice drifts: 0.71 to the chapter's voice (needs ≥ 0.75)"])
    assert what_is_wrong(check) == ["2 words missing: 'harbour', 'grey'", "voice drifts (0.71)"]
    assert verdict(check) == "fails: 2 words missing: 'harbour', 'grey'; voice drifts (0.71)"
    assert measures(check) == ("2.4 s (2.3 s voiced) for ~2.0 s of text · level -21 dBFS, peak -6 dBFS · "
                               "heard 60% of the words · voice 0.82 to the speaker's")


def test_a_signal_problem_is_its_own_line_and_its_kind_is_how_it_begins():
    check = TakeCheck(0, 0.4, QCResult(1.5, -22.0, -10.0, ["too long: 1.5 s for ~0.4 s of text"], 1.5))
    assert what_is_wrong(check) == ["too long: 1.5 s for ~0.4 s of text"]
    assert [problem_kind(p) for p in ("silence inside: 2.3 s", "another voice: 0.5 to …", "odd: thing")] == [
        "silence inside", "another voice", "odd"]
    assert verdict(None) == "not checked in this render" and verdict(TakeCheck(1, 1.0)) == "passes its checks"


@pytest.fixture
def manuscript(tmp_path) -> Path:
    book = tmp_path / "fables.md"
    book.write_text(SAMPLE.read_text())
    return book


def test_a_pronunciation_previews_the_segments_it_changes_and_writes_nothing(manuscript):
    changes = preview(RenderRequest(manuscript=manuscript, credits=None), "grapes", "grapés")
    assert [(c.chapter, c.position) for c in changes] == [("Chapter 1. The Fox and the Grapes", 1),
                                                          ("Chapter 1. The Fox and the Grapes", 2),
                                                          ("Chapter 1. The Fox and the Grapes", 5)]
    assert changes[0].before == "Chapter One. The Fox and the Grapes." and "Grapés" in changes[0].after
    assert not lexicon_file(manuscript).exists()


def test_the_credits_are_previewed_too_when_the_render_speaks_them(manuscript):
    assert [c.chapter for c in preview(RenderRequest(manuscript=manuscript), "Aesop", "Eesop")] == [
        "Opening Credits", "Closing Credits"]


def test_an_added_entry_goes_in_the_books_side_file_in_its_own_column_order(manuscript):
    side = manuscript.with_name("fables.lexicon.csv")
    side.write_text("spoken,written\nFocks,Fox")
    path, changes = add_entry(RenderRequest(manuscript=manuscript, credits=None), "Lion", "Lyon")
    assert path == side and len(changes) == 4  # the heading, and three sentences naming the Lion
    assert side.read_text() == "spoken,written\nFocks,Fox\nLyon,Lion\n"
    assert [e.written for e in load_lexicon(read_manuscript(manuscript)).entries] == ["Fox", "Lion"]


def test_an_entry_that_changes_nothing_is_refused(manuscript):
    with pytest.raises(BarkbookError, match="'Zebra' matches nothing the book says: no entry added"):
        add_entry(RenderRequest(manuscript=manuscript), "Zebra", "Zeb")
    assert not lexicon_file(manuscript).exists()


def test_renders_run_one_at_a_time_and_a_failure_is_its_line():
    release, started = threading.Event(), threading.Event()

    def runner(request, report):
        started.set()
        report("3 of 9 segments")
        release.wait(10)
        raise BarkbookError("fables.md: does not exist")

    jobs, reloaded = RenderJobs(runner), []
    jobs.start("retake of segment 2", RenderRequest(manuscript=SAMPLE), lambda: reloaded.append(1))
    started.wait(10)
    with pytest.raises(Busy, match=r"a render is running \(retake of segment 2\)"):
        jobs.check_free()
    assert jobs.status()["progress"] == "3 of 9 segments"
    release.set()
    jobs.wait(10)
    assert (jobs.status()["state"], jobs.status()["message"], reloaded) == ("failed", "fables.md: does not exist", [1])


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                            ("0.0.0.0", False), ("192.168.1.4", False), ("desk.example", False)])
def test_only_this_machines_addresses_count_as_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_the_printed_url_is_one_a_browser_here_opens():
    class Bound:
        def __init__(self, port):
            self.port = port

        def getsockname(self):
            return ("", self.port)

    assert page_url("127.0.0.1", Bound(8123)) == "http://127.0.0.1:8123/"
    assert page_url("0.0.0.0", Bound(8123)) == "http://127.0.0.1:8123/"
    assert page_url("::1", Bound(80)) == "http://[::1]:80/"
