"""A small rendered chapter for the layout's users (review list, subtitles, read-along): tones between
silences, one pause short enough to be a crossfade, one segment whose kept take fails."""

import numpy as np

from tasks.qc.signal import QCResult
from tasks.render.segments import RenderedSegment
from tasks.qc.takes import Take, TakeCheck

RATE = 24_000


def clip(seconds: float, seed: int) -> np.ndarray:
    """Half a second of silence each side of a tone: mastering trims the edges."""
    tone = np.sin(np.arange(int(seconds * RATE)) * 0.07) * 0.3
    pad = np.zeros(RATE // 2)
    return np.concatenate([pad, tone * (1 + 0.1 * seed), pad]).astype(np.float32)


def segment(seconds: float, seed: int, problems=()) -> RenderedSegment:
    take = Take(f"s{seed}", seed, np.zeros((8, 1), np.int16), RATE, clip(seconds, seed))
    check = TakeCheck(seed, seconds, QCResult(seconds, -20.0, -6.0, list(problems), seconds))
    return RenderedSegment(f"s{seed}", take, [TakeCheck(seed + 100, seconds), check], "signal")


SEGMENTS = [segment(1.3, 0), segment(0.7, 1), segment(2.1, 2, ["too long: 9 s"]), segment(0.9, 3)]
PAUSES = [0.5, 0.0, 1.2, 0.3]  # the 0 s pause is a crossfade
