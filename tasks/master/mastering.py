"""Mastering: a chapter's 24 kHz segments → one 44.1 kHz mono 16-bit chapter inside the ACX window.

Per clip: trim the silent edges, resample, fade (pydub). Joins: a pause of the segment's `pause_after`
seconds, or a crossfade where there is (almost) no pause. The whole chapter, with head and tail, is
brought to the target RMS under a smooth peak limiter, then room tone (quiet noise, never digital
silence) is laid under all of it. ACX checks RMS −23…−18 dBFS, peaks ≤ −3 dBFS, noise floor ≤ −60 dBFS
(tasks.master.checks measures the encoded files against them).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
from prefect import task
from prefect.cache_policies import NO_CACHE
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

from bark_model import SAMPLE_RATE
from tasks.core import BarkbookError
from tasks.qc import window_levels

from .audio import DELIVERY_RATE, AudioSegment, to_array, to_segment
from .checks import ACX


@dataclass(frozen=True)
class MasteringSettings:
    """How a chapter is mastered; the defaults sit inside the ACX window with a margin."""

    sample_rate: int = DELIVERY_RATE
    target_rms_dbfs: float = -20.0
    peak_ceiling_dbfs: float = -3.5  # the limiter's ceiling (ACX: ≤ −3)
    noise_floor_dbfs: float = -60.0  # the most the quiet parts may measure (ACX: ≤ −60)
    room_tone_dbfs: float = -68.0  # RMS of the noise in pauses, below the floor
    head_s: float = 0.75  # room tone before the first word (ACX: 0.5–1 s)
    tail_s: float = 2.0  # and after the last (ACX: 1–5 s)
    fade_ms: int = 15  # fade at each clip edge that meets a pause
    crossfade_ms: int = 40  # joins with a shorter pause than this are crossfaded
    trim_below_db: float = 35.0  # clip edges quieter than its loudest 10 ms − this are trimmed
    limiter_ms: float = 5.0  # how far ahead and behind the limiter sees a peak coming
    seed: int = 0  # room tone is seeded: same input, same bytes

    def __post_init__(self):
        if not ACX.rms_dbfs[0] <= self.target_rms_dbfs <= ACX.rms_dbfs[1]:
            raise BarkbookError(f"mastering: target RMS {self.target_rms_dbfs} dBFS is outside ACX's {ACX.rms_dbfs}")
        if self.peak_ceiling_dbfs > ACX.peak_dbfs:
            raise BarkbookError(f"mastering: peak ceiling {self.peak_ceiling_dbfs} dBFS is above ACX's {ACX.peak_dbfs}")
        if not self.room_tone_dbfs < self.noise_floor_dbfs <= ACX.noise_floor_dbfs:
            raise BarkbookError(f"mastering: room tone {self.room_tone_dbfs} dBFS must sit below the noise floor "
                                f"{self.noise_floor_dbfs} dBFS, itself at most {ACX.noise_floor_dbfs}")

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


MASTERING = MasteringSettings()  # how every chapter is mastered: its layout, sample and split files agree on it


def loud_bounds(audio: np.ndarray, sample_rate: int, below_db: float, window_s: float = 0.01) -> tuple[int, int]:
    """First and past-the-last sample of the windows louder than the loudest window minus `below_db`.

    Relative, not absolute: a clip's own noise level decides what counts as its silence."""
    n = max(1, int(window_s * sample_rate))
    level = window_levels(audio, sample_rate, window_s)
    if not len(level):
        return 0, 0
    loud = np.flatnonzero(level > level.max() - below_db)
    return int(loud[0]) * n, (int(loud[-1]) + 1) * n


def trim_silence(audio: np.ndarray, sample_rate: int, below_db: float, window_s: float = 0.01) -> np.ndarray:
    """Cut the leading and trailing windows that `loud_bounds` leaves out."""
    start, end = loud_bounds(audio, sample_rate, below_db, window_s)
    return audio[start:end]


def resample_ratio(rate_in: int, rate_out: int) -> tuple[int, int]:
    """(up, down) in lowest terms: 24 kHz → 44.1 kHz is ×147/80."""
    g = math.gcd(rate_in, rate_out)
    return rate_out // g, rate_in // g


def resample(audio: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Polyphase resampling with an anti-aliasing filter."""
    return audio if rate_in == rate_out else resample_poly(audio, *resample_ratio(rate_in, rate_out))


def prepare_clip(audio: np.ndarray, rate_in: int, settings: MasteringSettings) -> AudioSegment:
    """Trimmed, resampled, 16-bit; peaks above full scale scaled down rather than clipped."""
    clip = trim_silence(np.asarray(audio, dtype=np.float32), rate_in, settings.trim_below_db)
    clip = resample(clip, rate_in, settings.sample_rate)
    return to_segment(clip / max(1.0, float(np.abs(clip).max(initial=0.0))), settings.sample_rate)


def join_clips(clips: list[AudioSegment], pauses: list[float],
               settings: MasteringSettings) -> tuple[AudioSegment, list[tuple[int, int]]]:
    """Clips in order: a fade at each edge that meets a pause, a crossfade where the pause is too short for one;
    with each clip's (start, end) in the joined audio, in ms (a crossfaded clip's predecessor ends where it
    starts, so they never overlap)."""
    pieces, bounds, crossfade_next, length = [], [], False, 0
    for clip, pause in zip(clips, pauses):
        if pieces and crossfade_next:
            overlap = min(settings.crossfade_ms, len(clip), len(pieces[-1]))
            pieces[-1] = pieces[-1].append(clip, crossfade=overlap)
            bounds[-1] = (bounds[-1][0], length - overlap)
            length -= overlap
        else:
            pieces.append(clip.fade_in(settings.fade_ms))
        bounds.append((length, length + len(clip)))
        length += len(clip)
        crossfade_next = pause * 1000 < settings.crossfade_ms
        if not crossfade_next:
            pieces[-1] = pieces[-1].fade_out(settings.fade_ms)
            pieces.append(AudioSegment.silent(round(pause * 1000), frame_rate=settings.sample_rate))
            length += round(pause * 1000)
    if pieces and crossfade_next:  # the last clip met no pause
        pieces[-1] = pieces[-1].fade_out(settings.fade_ms)
    # one concatenation of the raw bytes: linear in the chapter's length
    joined = AudioSegment(b"".join(p.raw_data for p in pieces), sample_width=2, frame_rate=settings.sample_rate,
                          channels=1)
    return joined, bounds


def near_peaks(audio: np.ndarray, ceiling: float, reach: int) -> np.ndarray:
    """Indices within `reach` samples of a sample above `ceiling`, in order, each once (spans of nearby
    peaks merged)."""
    hot = np.flatnonzero(np.abs(audio) > ceiling)
    if not len(hot):
        return hot
    breaks = np.flatnonzero(np.diff(hot) > 2 * reach + 1)  # gaps the spans of two peaks do not bridge
    starts = np.maximum(hot[np.concatenate([[0], breaks + 1])] - reach, 0)
    ends = np.minimum(hot[np.concatenate([breaks, [len(hot) - 1]])] + reach + 1, len(audio))
    lengths = ends - starts
    return np.arange(lengths.sum()) + np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)


def limit(audio: np.ndarray, ceiling: float, window: int) -> np.ndarray:
    """Smooth peak limiter: the gain each sample needs, its minimum over ±window, then a moving average
    over window + 1 samples. Every averaged value is a minimum that covered the sample, so no output
    peak exceeds `ceiling`, and the gain moves over milliseconds instead of bending the waveform.

    The gain is 1 farther than 2 × window + 2 samples from any peak above the ceiling, so it is computed
    on those stretches only, joined end to end: each keeps that margin of unit gains at both ends, so
    the filters see what they would see on the whole signal (tests/test_master.py checks it)."""
    out = audio.copy()
    near = near_peaks(audio, ceiling, 2 * window + 2)
    if len(near):
        part = audio[near]
        need = np.minimum(1.0, ceiling / np.maximum(np.abs(part), 1e-12))
        out[near] = part * uniform_filter1d(minimum_filter1d(need, 2 * window + 1, mode="nearest"), window + 1, mode="nearest")
    return out


def level(audio: np.ndarray, settings: MasteringSettings, rounds: int = 4) -> np.ndarray:
    """Gain to the target RMS, then the limiter; repeated, as limiting lowers the RMS a little each time."""
    target, ceiling = 10 ** (settings.target_rms_dbfs / 20), 10 ** (settings.peak_ceiling_dbfs / 20)
    window = max(1, int(settings.limiter_ms / 1000 * settings.sample_rate))
    for _ in range(rounds):
        rms = float(np.sqrt(np.mean(audio**2)))
        if rms == 0.0:
            break
        audio = limit(audio * (target / rms), ceiling, window)
    return audio


@dataclass(frozen=True)
class Master:
    """A mastered chapter (mono 16-bit at the delivery rate) and where each clip's speech lies in it, in ms."""

    audio: AudioSegment
    clips_ms: list[tuple[int, int]]


def master_chapter(clips: list[tuple[np.ndarray, float]], settings: MasteringSettings = MASTERING,
                   sample_rate_in: int = SAMPLE_RATE) -> Master:
    """(audio at `sample_rate_in`, pause_after seconds) per segment → the mastered chapter."""
    rate = settings.sample_rate
    speech, bounds = join_clips([prepare_clip(a, sample_rate_in, settings) for a, _ in clips],
                                [p for _, p in clips], settings)
    head, tail = (np.zeros(round(s * rate), np.float32) for s in (settings.head_s, settings.tail_s))
    # float32 from here: a long chapter's samples and the limiter's gain stay a few hundred MB
    leveled = level(np.concatenate([head, to_array(speech).astype(np.float32), tail]), settings)  # (head+speech+tail,)
    tone = np.random.default_rng(settings.seed).standard_normal(len(leveled), dtype=np.float32)
    head_ms = round(settings.head_s * 1000)
    return Master(to_segment(leveled + tone * np.float32(10 ** (settings.room_tone_dbfs / 20)), rate),
                  [(head_ms + start, head_ms + end) for start, end in bounds])


@task(name="master", cache_policy=NO_CACHE)
def master_segments(rendered: list, pauses_after: list[float], settings: MasteringSettings = MASTERING) -> Master:
    """A chapter's rendered segments as one mastered chapter."""
    clips = [(r.audio, pause) for r, pause in zip(rendered, pauses_after)]
    return master_chapter(clips, settings, rendered[0].sample_rate if rendered else SAMPLE_RATE)
