"""The retail sample, cut in a pause after a sentence (the chapter's cut points, tasks/master/layout.py).

ACX wants a retail sample of 1-5 minutes, best the book's beginning, without the opening credits
(help.acx.com, "audio submission requirements"): the sample is the book from its first chapter, cut in the
last pause that comes before the limit and faded out, or the whole book when it is shorter.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile

from tasks.core import BarkbookError
from tasks.master import MASTERING, AudioSegment, MasteringSettings, SegmentSpan

SAMPLE_MINUTES = (1.0, 5.0)  # the range a sample may be asked for
FADE_S = 0.15  # the fade-out at the end of a sample: inside the half pause before the cut


def check_sample_minutes(minutes: float) -> None:
    low, high = SAMPLE_MINUTES
    if not low <= minutes <= high:
        raise BarkbookError(f"--sample-minutes {minutes:g} is not in {low:g}..{high:g} (ACX: 1 to 5 minutes)")


def sample_audio(chapters: list[tuple[Path, list[float]]], minutes: float, fade_s: float = FADE_S,
                 settings: MasteringSettings = MASTERING) -> AudioSegment:
    """The book from its first chapter (lossless master file, its cut points) up to `minutes`: cut at the
    last cut point (or chapter end) that leaves room for the tail, faded out there, and closed with the
    chapter's own room tone as long as a chapter's tail (ACX checks a sample's tail like any file's); all
    chapters when they are shorter."""
    info = soundfile.info(chapters[0][0])
    room = soundfile.read(chapters[0][0], start=max(0, info.frames - round(settings.tail_s * info.samplerate)),
                          dtype="int16")[0]
    limit, pieces, offset, end = minutes * 60 - settings.tail_s, [], 0.0, 0.0
    for path, cuts in chapters:
        duration = soundfile.info(path).duration
        whole = offset + duration + settings.tail_s <= minutes * 60  # a whole chapter brings its own tail
        end = offset + duration if whole else max([offset + c for c in cuts if offset + c <= limit], default=end)
        if end > offset:
            pieces.append(soundfile.read(path, frames=round((end - offset) * info.samplerate), dtype="int16")[0])
        if not whole:
            break
        offset += duration
    if not pieces:  # no cut point before the limit: the first chapter cut at the limit itself
        pieces = [soundfile.read(chapters[0][0], frames=round(limit * info.samplerate), dtype="int16")[0]]
    speech = segment_of(np.concatenate(pieces), info.samplerate).fade_out(round(fade_s * 1000))
    return speech if whole else speech + segment_of(room, info.samplerate)


def segment_of(samples: np.ndarray, rate: int) -> AudioSegment:
    return AudioSegment(samples.astype("<i2").tobytes(), frame_rate=rate, sample_width=2, channels=1)
