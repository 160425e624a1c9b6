"""Where a mastered chapter may be cut (in the pause after a sentence), and the retail sample cut there.

ACX wants a retail sample of 1-5 minutes, best the book's beginning, without the opening credits
(help.acx.com, "audio submission requirements"): the sample is the book from its first chapter, cut in the
last pause that comes before the limit and faded out, or the whole book when it is shorter.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile

from .audio import AudioSegment
from .errors import BarkbookError
from .master import MasteringSettings
from .review import chapter_layout

SAMPLE_MINUTES = (1.0, 5.0)  # the range a sample may be asked for
FADE_S = 0.15  # the fade-out at the end of a sample: inside the half pause before the cut


def cut_points(rendered: list, pauses: list[float], settings: MasteringSettings = MasteringSettings()) -> list[float]:
    """Seconds in the mastered chapter where it may be cut: the middle of each pause between segments long
    enough not to be crossfaded (a sentence or paragraph end), in order."""
    starts, _ = chapter_layout(rendered, pauses, settings)
    return [round(start - pause / 2, 3) for start, pause in zip(starts[1:], pauses)
            if pause * 1000 >= settings.crossfade_ms]


def check_sample_minutes(minutes: float) -> None:
    low, high = SAMPLE_MINUTES
    if not low <= minutes <= high:
        raise BarkbookError(f"--sample-minutes {minutes:g} is not in {low:g}..{high:g} (ACX: 1 to 5 minutes)")


def sample_audio(chapters: list[tuple[Path, list[float]]], minutes: float, fade_s: float = FADE_S) -> AudioSegment:
    """The book from its first chapter (lossless master file, its cut points) up to `minutes`: cut at the
    last cut point (or chapter end) before the limit and faded out; all chapters when they are shorter."""
    limit = minutes * 60
    pieces, offset, end = [], 0.0, 0.0
    for path, cuts in chapters:
        info = soundfile.info(path)
        ends = [offset + c for c in cuts] + [offset + info.duration]
        fitting = [e for e in ends if e <= limit]
        if fitting:
            end = fitting[-1]
        stop = min(end - offset, info.duration)
        if stop > 0:
            pieces.append(soundfile.read(path, frames=round(stop * info.samplerate), dtype="int16")[0])
        if end < offset + info.duration:  # the cut fell inside this chapter
            break
        offset += info.duration
    if not pieces:  # no cut point before the limit: the first chapter cut at the limit itself
        path = chapters[0][0]
        info = soundfile.info(path)
        pieces = [soundfile.read(path, frames=round(limit * info.samplerate), dtype="int16")[0]]
    rate = soundfile.info(chapters[0][0]).samplerate
    samples = np.concatenate(pieces)
    audio = AudioSegment(samples.astype("<i2").tobytes(), frame_rate=rate, sample_width=2, channels=1)
    return audio.fade_out(round(fade_s * 1000))
