"""pydub, set up with the ffmpeg of the `imageio-ffmpeg` wheel (never a system one), and array conversions."""

from __future__ import annotations

import warnings

import imageio_ffmpeg
import numpy as np

with warnings.catch_warnings():  # pydub looks for a system ffmpeg at import; it gets ours below
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment

DELIVERY_RATE = 44_100  # Hz: every master and delivered file (ACX asks for 44.1 kHz)
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
AudioSegment.converter = FFMPEG


def to_segment(audio: np.ndarray, sample_rate: int) -> AudioSegment:
    """float mono in [-1, 1] → 16-bit pydub segment."""
    pcm = (np.clip(audio, -1.0, 1.0) * 32767).astype("<i2")
    return AudioSegment(pcm.tobytes(), frame_rate=sample_rate, sample_width=2, channels=1)


def to_array(segment: AudioSegment) -> np.ndarray:
    """16-bit pydub segment → float64 in [-1, 1)."""
    return np.array(segment.get_array_of_samples(), dtype=np.float64) / 32768.0
