"""Subtitles per chapter file: WebVTT and SRT, each segment's book text at its real time in the mastered
file (tasks/master/layout.py), wrapped as subtitles are: at most two lines of about 42 characters a cue.

A segment longer than one cue holds becomes several cues, one after another within its span. Where the
speech QC aligned the kept take's words (tasks/master/layout.py keeps them in the span), each written word heard
as itself is an anchor: cues start, and WebVTT's inline timestamps mark words, at the anchors' times, and
time runs linearly in characters between anchors (a number or an abbreviation is spoken differently from
how it is written, so it is no anchor). Without an alignment the span's ends are the only anchors.
"""

from __future__ import annotations

import difflib
import html
import itertools
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np


from tasks.core import BarkbookError, atomic_path, clock
from tasks.master import SegmentSpan
from tasks.qc.speech.words import normalize_words

SUBTITLE_SUFFIXES = (".vtt", ".srt")  # beside each chapter file: `<its name>.vtt`, `.srt`
LINE_CHARS = 42  # the usual subtitle line (Netflix, BBC guidelines: 37–42)
CUE_LINES = 2


@dataclass(frozen=True)
class Cue:
    """One subtitle: its identifier, when it shows (milliseconds in the chapter file), its lines, and per
    line per word the millisecond an aligned word is heard at (None: not aligned)."""

    name: str
    start_ms: int
    end_ms: int
    lines: list[str]
    marks: list[list[int | None]]


def cue_lines(text: str) -> list[str] | None:
    """`text` on one line, or two about equal lines, of at most LINE_CHARS; None when it does not fit."""
    if len(text) <= LINE_CHARS:
        return [text]
    longest = max(len(word) for word in text.split())
    for width in range(max(longest, -(-len(text) // CUE_LINES)), LINE_CHARS + 1):
        lines = textwrap.wrap(text, width, break_on_hyphens=False)
        if len(lines) <= CUE_LINES:
            return lines
    return None


def split_words(words: list[str], parts: int) -> list[str]:
    """The words in `parts` runs of about equal characters (a cut at the word boundary nearest each share)."""
    ends = list(itertools.accumulate(len(w) + 1 for w in words))
    cuts = [0] + [min(range(1, len(words)), key=lambda i: abs(ends[i - 1] - ends[-1] * k / parts))
                  for k in range(1, parts)] + [len(words)]
    return [" ".join(words[a:b]) for a, b in zip(cuts, cuts[1:]) if b > a]


def cue_texts(text: str) -> list[list[str]]:
    """The text as the fewest cues whose lines fit, about equal in length (no one-word orphan cue); a word
    longer than a line is cut."""
    words = [piece for word in text.split() for piece in textwrap.wrap(word, LINE_CHARS)]
    parts = max(1, -(-len(textwrap.wrap(" ".join(words), LINE_CHARS)) // CUE_LINES))
    while parts < len(words):
        cues = [cue_lines(run) for run in split_words(words, parts)]
        if all(cues):
            return cues
        parts += 1
    return [[word] for word in words]


def heard_starts(words: list[str], heard) -> list[float | None]:
    """Per written word, the start (s) of the aligned spoken word it was heard as, in order; None for a
    word spoken otherwise or not heard."""
    tokens = [(i, token) for i, word in enumerate(words) for token in normalize_words(word)]
    starts: list[float | None] = [None] * len(words)
    matcher = difflib.SequenceMatcher(a=[t for _, t in tokens], b=[str(w) for w, _, _ in heard], autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            word = tokens[a + k][0]
            if starts[word] is None and (a + k == 0 or tokens[a + k - 1][0] != word):  # the word's first token
                starts[word] = float(heard[b + k][1])
    return starts


def anchors(span: SegmentSpan, words: list[str], offsets: list[int]) -> list[tuple[int, float]]:
    """(character offset, seconds) pairs rising in both: the span's ends and the words heard as written."""
    found = [(0, span.start_s)]
    for offset, start in zip(offsets, heard_starts(words, span.words)):
        if start is not None and found[-1][0] < offset and found[-1][1] < start < span.end_s:
            found.append((offset, start))
    return found + [(offsets[-1], span.end_s)]


def segment_cues(span: SegmentSpan, text: str) -> list[Cue]:
    """A segment's text as cues of at most CUE_LINES lines, timed by the anchors (see the module's doc)."""
    groups = cue_texts(text)
    words = [word for group in groups for line in group for word in line.split()]
    offsets = list(itertools.accumulate([0] + [len(word) + 1 for word in words]))  # each word's start, then the end
    known = anchors(span, words, offsets)
    aligned = {offset for offset, _ in known[1:-1]}
    at_ms = lambda i: round(1000 * float(np.interp(offsets[i], *zip(*known))))  # noqa: E731  word i's time
    firsts = list(itertools.accumulate([0] + [sum(len(line.split()) for line in group) for group in groups]))
    cues = []
    for number, (group, first, end) in enumerate(zip(groups, firsts, firsts[1:]), 1):
        lines = list(itertools.pairwise(itertools.accumulate([first] + [len(line.split()) for line in group])))
        marks = [[at_ms(i) if offsets[i] in aligned and i > first else None for i in range(a, b)] for a, b in lines]
        name = span.segment_id if len(groups) == 1 else f"{span.segment_id}-{number}"
        cues.append(Cue(name, at_ms(first), at_ms(end), group, marks))
    return [cue for cue in cues if cue.end_ms > cue.start_ms]


def chapter_cues(spans: list[SegmentSpan], texts: list[str]) -> list[Cue]:
    """Every segment's cues in order; `texts` are the segments' book texts, one per span."""
    if len(spans) != len(texts):
        raise BarkbookError(f"subtitles: {len(spans)} segment spans but {len(texts)} texts")
    return [cue for span, text in zip(spans, texts) for cue in segment_cues(span, text)]


def cue_clock(ms: int, separator: str) -> str:
    """hh:mm:ss.mmm (WebVTT) or hh:mm:ss,mmm (SRT)."""
    return clock(ms, hour_digits=2, fraction=separator)


def webvtt(cues: list[Cue]) -> str:
    """A WebVTT file: cue identifiers are segment ids; text escaped (&, <, >); aligned words timestamped."""
    blocks = [f"{cue.name}\n{cue_clock(cue.start_ms, '.')} --> {cue_clock(cue.end_ms, '.')}\n" + "\n".join(
        " ".join(word if ms is None else f"<{cue_clock(ms, '.')}>{word}" for word, ms in zip(line.split(), marks))
        for line, marks in zip((html.escape(line, quote=False) for line in cue.lines), cue.marks)) for cue in cues]
    return "\n\n".join(["WEBVTT", *blocks]) + "\n"


def subrip(cues: list[Cue]) -> str:
    """An SRT file: cues numbered from 1."""
    blocks = [f"{n}\n{cue_clock(cue.start_ms, ',')} --> {cue_clock(cue.end_ms, ',')}\n" + "\n".join(cue.lines)
              for n, cue in enumerate(cues, 1)]
    return "\n\n".join(blocks) + "\n"


def write_subtitles(spans: list[SegmentSpan], texts: list[str], stem: Path) -> list[Path]:
    """`<stem>.vtt` and `<stem>.srt` for one chapter file, written atomically."""
    cues = chapter_cues(spans, texts)
    written = []
    for suffix, render in zip(SUBTITLE_SUFFIXES, (webvtt, subrip)):
        path = Path(stem).with_name(Path(stem).name + suffix)
        with atomic_path(path) as tmp:
            tmp.write_text(render(cues), encoding="utf-8")
        written.append(path)
    return written
