"""How a take's sound ends: falling away like speech ends, or stopping inside a syllable.

A syllable's energy falls over tens of milliseconds as speech ends (and a room's reverb stretches the
fall); a take cut mid-word stops at the level of the syllable it cut, then drops to the noise floor
in one step, or ends there. So the measure is that step: from the last frame where the take still
sounds to what follows it (the next frame, or the noise floor when the file ends), as a share of the
take's range from its noise floor to its speech level. It does not depend on how much silence
follows, which is what the mastering trims anyway.

Energy is taken in 5 ms frames of the 200-5000 Hz band, where speech is and mains hum and rumble
are not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RATE = 16000
HOP = 80  # 5 ms
N_FFT = 256
BAND_HZ = (200.0, 5000.0)
SOUNDING = 0.3  # a frame sounds when it is this far from the floor towards the speech level
RANGE_DB = 50.0  # the floor is at most this far under the speech level


@dataclass(frozen=True)
class Ending:
    """The end of a take's sound. `step` is 0 for a sound that faded out and near 1 for one cut at
    full level; None when the take has no sound at all."""

    step: float | None
    end_s: float  # where the sound stops
    floor_db: float
    speech_db: float


def band_levels(audio: np.ndarray) -> np.ndarray:
    """Level in dB of each 5 ms frame within BAND_HZ (frames centred on their hop)."""
    padded = np.pad(audio.astype(np.float32), (N_FFT // 2, N_FFT // 2))
    count = 1 + (len(padded) - N_FFT) // HOP
    if count <= 0:
        return np.zeros(0)
    index = np.arange(N_FFT)[None, :] + HOP * np.arange(count)[:, None]
    spectrum = np.abs(np.fft.rfft(padded[index] * np.hanning(N_FFT).astype(np.float32), axis=1)) ** 2
    freqs = np.fft.rfftfreq(N_FFT, 1 / RATE)
    band = (freqs >= BAND_HZ[0]) & (freqs <= BAND_HZ[1])
    return 10 * np.log10(spectrum[:, band].sum(axis=1) + 1e-10)


def ending(audio: np.ndarray) -> Ending:
    """16 kHz mono float audio → how its sound ends."""
    levels = band_levels(audio)
    if len(levels) < 4:
        return Ending(None, 0.0, 0.0, 0.0)
    speech = np.percentile(levels, 95)
    floor = max(np.percentile(levels, 10), speech - RANGE_DB)  # digital silence is no floor to fall to
    if speech - floor < 6:  # nothing stands out of the floor
        return Ending(None, 0.0, float(floor), float(speech))
    sounding = np.flatnonzero(levels >= floor + SOUNDING * (speech - floor))
    last = sounding[-1]
    after = levels[last + 1] if last + 1 < len(levels) else floor
    step = float(np.clip((levels[last] - after) / (speech - floor), 0.0, 1.0))
    return Ending(round(step, 3), round(float(last + 1) * HOP / RATE, 3), float(floor), float(speech))
