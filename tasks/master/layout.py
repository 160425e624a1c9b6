"""Where each segment's speech lies in its mastered chapter file: the review list, the subtitles and the
read-along EPUB all place their segments by these spans, so they agree with each other and with the audio.
When the speech QC aligned the kept take's words, a span carries their times too, moved into the chapter.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .mastering import MASTERING, Master, MasteringSettings, loud_bounds


@dataclass(frozen=True)
class SegmentSpan:
    """Seconds from the start of the chapter file where a segment's speech starts and ends."""

    segment_id: str
    start_s: float
    end_s: float
    words: tuple[tuple[str, float, float], ...] = ()  # (spoken word, start s, end s) in the chapter file: the
    # speech QC's alignment, if any

    @property
    def seconds(self) -> float:
        return self.end_s - self.start_s


def chapter_spans(rendered: list, master: Master, settings: MasteringSettings = MASTERING) -> list[SegmentSpan]:
    """Each segment's span where `master_chapter` placed its clip (trimmed, resampled, crossfaded), with the
    speech QC's aligned words, if any, moved into chapter time."""
    spans = [SegmentSpan(r.segment_id, start / 1000, end / 1000) for r, (start, end) in zip(rendered, master.clips_ms)]
    return [dataclasses.replace(span, words=chapter_words(r, span, settings)) for r, span in zip(rendered, spans)]


def chapter_words(segment, span: SegmentSpan, settings: MasteringSettings) -> tuple:
    """The kept take's aligned words (times in the take, from its speech check) in chapter time: moved
    by where the take's trimmed clip starts, kept inside the span."""
    heard = segment.kept.speech.words if segment.kept.speech else []
    if not heard:
        return ()
    trimmed_s = loud_bounds(segment.audio, segment.sample_rate, settings.trim_below_db)[0] / segment.sample_rate
    place = lambda t: round(min(max(span.start_s + t - trimmed_s, span.start_s), span.end_s), 3)  # noqa: E731
    return tuple((str(word), place(start), place(end)) for word, start, end in heard)


def spans_between(spans: list[SegmentSpan], start_s: float, end_s: float) -> list[int]:
    """Indexes of the spans that start in [start_s, end_s): the segments of one part of a split chapter."""
    return [i for i, span in enumerate(spans) if start_s <= span.start_s < end_s]


def shifted(span: SegmentSpan, shift_s: float) -> SegmentSpan:
    """The span (and its words) `shift_s` seconds later: its place in a part cut out of the chapter."""
    move = lambda t: round(t + shift_s, 3)  # noqa: E731
    return SegmentSpan(span.segment_id, move(span.start_s), move(span.end_s),
                       tuple((w, move(a), move(b)) for w, a, b in span.words))


def cut_points(spans: list[SegmentSpan], pauses: list[float], settings: MasteringSettings = MASTERING,
               *, joins: list[bool] | None = None) -> list[float]:
    """Seconds in the mastered chapter where it may be cut: the middle of each pause between segments long
    enough not to be crossfaded (a sentence or paragraph end), in order; `joins` (one per pair of neighbours)
    keeps only the pauses it marks, e.g. the paragraph ends."""
    joins = joins if joins is not None else [True] * max(0, len(spans) - 1)
    return [round((before.end_s + after.start_s) / 2, 3)
            for before, after, pause, keep in zip(spans, spans[1:], pauses, joins)
            if keep and pause * 1000 >= settings.crossfade_ms]
