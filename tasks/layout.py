"""Where each segment's speech lies in its mastered chapter file: the review list, the subtitles and the
read-along EPUB all place their segments by these spans, so they agree with each other and with the audio.
"""

from __future__ import annotations

from dataclasses import dataclass

from .master import MasteringSettings, prepare_clip


@dataclass(frozen=True)
class SegmentSpan:
    """Seconds from the start of the chapter file where a segment's speech starts and ends."""

    segment_id: str
    start_s: float
    end_s: float

    @property
    def seconds(self) -> float:
        return self.end_s - self.start_s


def chapter_spans(rendered: list, pauses: list[float], settings: MasteringSettings = MasteringSettings()) -> list[SegmentSpan]:
    """Each segment's span in the layout `master.join_clips` makes (clips after trimming and resampling,
    pauses, crossfades), after the chapter's head. Where two clips are crossfaded, the first ends where
    the second starts, so spans never overlap."""
    starts_ms, ends_ms, end_ms, piece_ms, crossfade = [], [], 0, 0, False
    for segment, pause in zip(rendered, pauses):
        length = len(prepare_clip(segment.audio, segment.sample_rate, settings))  # milliseconds
        overlap = min(settings.crossfade_ms, length, piece_ms) if starts_ms and crossfade else 0
        starts_ms.append(end_ms - overlap)
        end_ms += length - overlap
        ends_ms.append(end_ms)
        piece_ms = piece_ms + length - overlap if overlap else length
        crossfade = pause * 1000 < settings.crossfade_ms
        if not crossfade:
            end_ms += round(pause * 1000)
    ends_ms = [min(end, after) for end, after in zip(ends_ms, starts_ms[1:] + [end_ms])]  # crossfades
    head_ms = round(settings.head_s * 1000)
    return [SegmentSpan(r.segment_id, (head_ms + start) / 1000, (head_ms + end) / 1000)
            for r, start, end in zip(rendered, starts_ms, ends_ms)]
