"""Subtitles: WebVTT and SRT per chapter, read back with independent parsers (webvtt-py, srt) and held
against the layout's spans."""

import re
from datetime import timedelta
from html import unescape

import pytest
import srt
import webvtt

from tasks.core.errors import BarkbookError
from tasks.master.layout import SegmentSpan
from tasks.package.subtitles import CUE_LINES, LINE_CHARS, write_subtitles

SPANS = [SegmentSpan("a1", 0.75, 2.04), SegmentSpan("b2", 2.5, 14.321), SegmentSpan("c3", 15.0, 16.2)]
LONG = ("It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of "
        "foolishness, it was the epoch of belief, it was the epoch of incredulity.")
TEXTS = ["CHAPTER XVI.", LONG, "“Fish & chips <now>,” said Mr. Holmes."]


@pytest.fixture
def written(tmp_path):
    return write_subtitles(SPANS, TEXTS, tmp_path / "01-chapter")


def seconds(clock: str) -> float:
    h, m, s = clock.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_both_files_are_written_beside_the_chapter(written, tmp_path):
    assert written == [tmp_path / "01-chapter.vtt", tmp_path / "01-chapter.srt"]


def test_each_segment_shows_its_book_text_exactly_during_its_span(written):
    cues = webvtt.read(written[0])
    for span, text in zip(SPANS, TEXTS):
        mine = [c for c in cues if c.identifier.split("-")[0] == span.segment_id]
        assert seconds(mine[0].start) == pytest.approx(span.start_s, abs=0.001)
        assert seconds(mine[-1].end) == pytest.approx(span.end_s, abs=0.001)
        shown = " ".join(" ".join(c.text.splitlines()) for c in mine)
        assert unescape(shown) == " ".join(text.split())  # cue text escapes & < > as character references
        assert all(seconds(a.end) == seconds(b.start) for a, b in zip(mine, mine[1:]))  # no gap inside a segment


def test_long_text_is_wrapped_into_cues_of_two_short_lines(written):
    cues = webvtt.read(written[0])
    assert all(len(c.text.splitlines()) <= CUE_LINES for c in cues)
    assert all(len(line) <= LINE_CHARS for c in cues for line in unescape(c.text).splitlines())
    assert len([c for c in cues if c.identifier.startswith("b2")]) > 1


def test_the_srt_file_carries_the_same_cues(written):
    vtt = webvtt.read(written[0])
    subs = list(srt.parse(written[1].read_text(encoding="utf-8")))
    assert [s.index for s in subs] == list(range(1, len(vtt) + 1))
    assert [s.content for s in subs] == [unescape(c.text) for c in vtt]
    assert [(s.start, s.end) for s in subs] == [
        (timedelta(seconds=seconds(c.start)), timedelta(seconds=seconds(c.end))) for c in vtt]


def test_a_text_per_span_is_required(tmp_path):
    with pytest.raises(BarkbookError, match="3 segment spans but 2 texts"):
        write_subtitles(SPANS, TEXTS[:2], tmp_path / "x")


NAMES = ("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa "
         "quebec romeo sierra tango uniform victor whiskey xray yankee zulu").split()


def aligned_span(start: float, step: float) -> SegmentSpan:
    """A span whose every word but `seven` (written 7) was aligned, word i heard at start + 0.1 + i·step."""
    heard = [(w, start + 0.1 + i * step, start + 0.1 + (i + 0.8) * step) for i, w in enumerate(NAMES)]
    return SegmentSpan("w1", start, start + 0.2 + len(NAMES) * step, tuple(heard))


def test_aligned_words_set_where_cues_start_and_are_timestamped_inside_them(tmp_path):
    span = aligned_span(3.0, 0.37)
    vtt = write_subtitles([span], [" ".join(NAMES[:13] + ["7"] + NAMES[13:])], tmp_path / "w")[0]
    heard = {w: start for w, start, _ in span.words}
    cues = webvtt.read(vtt)
    assert len(cues) > 1
    for cue in cues[1:]:
        assert seconds(cue.start) == pytest.approx(heard[cue.text.split()[0]], abs=0.001)
    marked = [(word, seconds(at)) for cue in cues for at, word in re.findall(r"<([\d:.]+)>(\S+)", cue.raw_text)]
    assert marked and all(at == pytest.approx(heard[word], abs=0.001) for word, at in marked)
    assert "7" not in {word for word, _ in marked}  # spoken 'seven': no word of the text to time
    assert all(seconds(c.start) < at < seconds(c.end) for c in cues for at in
               (seconds(t) for t in re.findall(r"<([\d:.]+)>", c.raw_text)))
