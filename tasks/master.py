"""Mastering: segments → one chapter at 44.1 kHz inside the ACX window (RMS −23…−18, peak ≤ −3, floor ≤ −60 dBFS)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pyloudnorm
from prefect import task
from prefect.cache_policies import NO_CACHE
from .audio import AudioSegment, to_array, to_segment


@dataclass(frozen=True)
class MasteringSettings:
    sample_rate: int = 44_100
    target_rms_dbfs: float = -20.0
    peak_ceiling_dbfs: float = -3.5
    room_tone_dbfs: float = -68.0  # pauses are quiet noise, never digital silence
    head_s: float = 0.75  # room tone before the first word (ACX: 0.5–1 s)
    tail_s: float = 2.0  # and after the last (ACX: 1–5 s)
    fade_ms: int = 15
    trim_below_db: float = 35.0  # edges quieter than peak − this are trimmed
    seed: int = 0  # room tone is seeded: same input, same bytes

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def trim_silence(audio: np.ndarray, sample_rate: int, below_db: float, window_s: float = 0.01) -> np.ndarray:
    """Cut the leading and trailing windows quieter than the loudest window minus `below_db`."""
    n = max(1, int(window_s * sample_rate))
    frames = audio[: len(audio) // n * n].reshape(-1, n)
    if not len(frames):
        return audio
    level = 20 * np.log10(np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1)) + 1e-10)
    loud = np.flatnonzero(level > level.max() - below_db)
    return audio[loud[0] * n : (loud[-1] + 1) * n]


def room_tone(seconds: float, settings: MasteringSettings, rng: np.random.Generator) -> AudioSegment:
    noise = rng.standard_normal(int(seconds * settings.sample_rate)) * 10 ** (settings.room_tone_dbfs / 20)
    return to_segment(noise, settings.sample_rate)


def limit_and_level(audio: np.ndarray, settings: MasteringSettings) -> np.ndarray:
    """Gain to the target RMS, then a soft limiter under the peak ceiling (twice, as limiting lowers RMS)."""
    ceiling = 10 ** (settings.peak_ceiling_dbfs / 20)
    for _ in range(3):
        rms = np.sqrt(np.mean(audio**2)) + 1e-12
        audio = audio * (10 ** (settings.target_rms_dbfs / 20) / rms)
        over = np.abs(audio) > 0.8 * ceiling
        knee = 0.8 * ceiling
        audio = np.where(over, np.sign(audio) * (knee + (ceiling - knee) * np.tanh((np.abs(audio) - knee) / (ceiling - knee))), audio)
    return audio


def master_chapter(clips: list[tuple[np.ndarray, float]], settings: MasteringSettings, sample_rate_in: int = 24_000) -> AudioSegment:
    """Trim, fade and join the clips with room-tone pauses; level the speech; add head and tail tone."""
    rng = np.random.default_rng(settings.seed)
    speech = AudioSegment.empty().set_frame_rate(settings.sample_rate)
    for audio, pause in clips:
        clip = trim_silence(np.asarray(audio, dtype=np.float64), sample_rate_in, settings.trim_below_db)
        if len(clip) == 0:
            continue
        segment = to_segment(clip / max(1.0, np.abs(clip).max()), sample_rate_in).set_frame_rate(settings.sample_rate)
        speech += segment.fade_in(settings.fade_ms).fade_out(settings.fade_ms)
        speech += AudioSegment.silent(int(pause * 1000), frame_rate=settings.sample_rate)
    leveled = limit_and_level(to_array(speech), settings)
    tone = room_tone(len(leveled) / settings.sample_rate, settings, rng)
    body = to_segment(leveled, settings.sample_rate).overlay(tone)
    return room_tone(settings.head_s, settings, rng) + body + room_tone(settings.tail_s, settings, rng)


def measure_acx(segment: AudioSegment) -> dict:
    """What ACX checks: RMS and peak of the file, and the noise floor (quietest 0.5 s window)."""
    audio = to_array(segment)
    rate = segment.frame_rate
    n = rate // 2
    windows = audio[: len(audio) // n * n].reshape(-1, n)
    floor = np.sqrt((windows**2).mean(axis=1)).min() if len(windows) else 0.0
    lufs = pyloudnorm.Meter(rate).integrated_loudness(audio) if len(audio) > rate // 2 else float("-inf")
    return {
        "rms_dbfs": round(20 * np.log10(np.sqrt(np.mean(audio**2)) + 1e-12), 2),
        "peak_dbfs": round(20 * np.log10(np.abs(audio).max() + 1e-12), 2),
        "noise_floor_dbfs": round(20 * np.log10(floor + 1e-12), 2),
        "lufs": round(float(lufs), 2),
        "seconds": round(len(audio) / rate, 3),
    }


@task(name="master", cache_policy=NO_CACHE)
def master_segments(rendered: list, pauses_after: list[float], settings: MasteringSettings = MasteringSettings()) -> AudioSegment:
    """A chapter's rendered segments as one mastered AudioSegment."""
    clips = [(r.audio, pause) for r, pause in zip(rendered, pauses_after)]
    return master_chapter(clips, settings, rendered[0].sample_rate if rendered else 24_000)
