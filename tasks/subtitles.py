"""Subtitles per chapter file: WebVTT and SRT, each segment's book text at its real time in the mastered
file (tasks/layout.py), wrapped as subtitles are: at most two lines of about 42 characters a cue.

A segment longer than one cue holds becomes several cues, one after another within its span, each given
a share of the span in proportion to its characters: the speech QC's word times are of the spoken
(normalized) words, not the book's, so they are not used to time the book's text.
"""

from __future__ import annotations

import html
import itertools
import textwrap
from dataclasses import dataclass
from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from bark_model.atomic import atomic_path

from .errors import BarkbookError
from .layout import SegmentSpan

LINE_CHARS = 42  # the usual subtitle line (Netflix, BBC guidelines: 37–42)
CUE_LINES = 2


@dataclass(frozen=True)
class Cue:
    """One subtitle: its identifier, when it shows (milliseconds in the chapter file), its lines."""

    name: str
    start_ms: int
    end_ms: int
    lines: list[str]


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


def segment_cues(span: SegmentSpan, text: str) -> list[Cue]:
    """A segment's text as cues of at most CUE_LINES lines that share its span by their characters."""
    groups = cue_texts(text)
    if not groups:
        return []
    weights = [sum(len(line) for line in group) for group in groups]
    start_ms, end_ms = round(span.start_s * 1000), round(span.end_s * 1000)
    bounds = [start_ms + round((end_ms - start_ms) * sum(weights[:i]) / sum(weights)) for i in range(len(groups) + 1)]
    names = [span.segment_id] if len(groups) == 1 else [f"{span.segment_id}-{i + 1}" for i in range(len(groups))]
    return [Cue(name, a, b, group) for name, a, b, group in zip(names, bounds, bounds[1:], groups) if b > a]


def chapter_cues(spans: list[SegmentSpan], texts: list[str]) -> list[Cue]:
    """Every segment's cues in order; `texts` are the segments' book texts, one per span."""
    if len(spans) != len(texts):
        raise BarkbookError(f"subtitles: {len(spans)} segment spans but {len(texts)} texts")
    return [cue for span, text in zip(spans, texts) for cue in segment_cues(span, text)]


def clock(ms: int, separator: str) -> str:
    """hh:mm:ss.mmm (WebVTT) or hh:mm:ss,mmm (SRT)."""
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{separator}{ms % 1000:03d}"


def webvtt(cues: list[Cue]) -> str:
    """A WebVTT file: cue identifiers are segment ids; text escaped (&, <, >)."""
    blocks = [f"{cue.name}\n{clock(cue.start_ms, '.')} --> {clock(cue.end_ms, '.')}\n"
              + "\n".join(html.escape(line, quote=False) for line in cue.lines) for cue in cues]
    return "\n\n".join(["WEBVTT", *blocks]) + "\n"


def subrip(cues: list[Cue]) -> str:
    """An SRT file: cues numbered from 1."""
    blocks = [f"{n}\n{clock(cue.start_ms, ',')} --> {clock(cue.end_ms, ',')}\n" + "\n".join(cue.lines)
              for n, cue in enumerate(cues, 1)]
    return "\n\n".join(blocks) + "\n"


def write_subtitles(spans: list[SegmentSpan], texts: list[str], stem: Path) -> list[Path]:
    """`<stem>.vtt` and `<stem>.srt` for one chapter file, written atomically."""
    cues = chapter_cues(spans, texts)
    written = []
    for suffix, render in ((".vtt", webvtt), (".srt", subrip)):
        path = Path(stem).with_name(Path(stem).name + suffix)
        with atomic_path(path) as tmp:
            tmp.write_text(render(cues), encoding="utf-8")
        written.append(path)
    return written


@task(name="subtitles", cache_policy=NO_CACHE)
def chapter_subtitles(chapter, spans: list[SegmentSpan], output_dir: Path) -> list[str]:
    """The chapter's subtitles beside its audio files: `OUT/<slug>.vtt` and `OUT/<slug>.srt`."""
    return [str(p) for p in write_subtitles(spans, [s.text for s in chapter.segments], Path(output_dir) / chapter.slug)]
