"""Signal checks of one take: truncation, babbling, long silences, clipping, near-silence."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

WINDOW_S = 0.05  # silence is judged on 50 ms windows


def problem_kind(problem: str) -> str:
    """"words missing: heard 40 % …" → "words missing": the kind retakes are counted by."""
    return problem.split(":", 1)[0]


@dataclass(frozen=True)
class QCSettings:
    """Thresholds of a passing segment; durations are judged on the voiced span (edges are trimmed later)."""

    min_duration_ratio: float = 0.4  # voiced span shorter than 40 % of the text's estimate: truncated
    max_duration_ratio: float = 2.5  # longer than 250 %: babbling
    max_inner_silence_s: float = 2.0  # a gap between words longer than this: a hang or a lost sentence
    silence_dbfs: float = -50.0  # a 50 ms window quieter than this is silence
    clip_level: float = 0.999  # |sample| at or above this is clipped
    max_clipped_share: float = 0.001
    min_rms_dbfs: float = -45.0  # quieter than this overall: near-silence

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class QCResult:
    """What was measured on a segment and what is wrong with it (nothing wrong: passed)."""

    seconds: float  # whole clip
    rms_dbfs: float
    peak_dbfs: float
    problems: list[str] = field(default_factory=list)
    voiced_seconds: float = 0.0  # first to last non-silent window

    @property
    def passed(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"seconds": round(self.seconds, 3), "voiced_seconds": round(self.voiced_seconds, 3),
                "rms_dbfs": round(self.rms_dbfs, 2), "peak_dbfs": round(self.peak_dbfs, 2),
                "problems": list(self.problems)}


def dbfs(value: float) -> float:
    """Amplitude (1.0 = full scale) in dBFS, floored at −200 for silence."""
    return float(20 * np.log10(max(value, 1e-10)))


def window_levels(audio: np.ndarray, sample_rate: int, window_s: float = WINDOW_S) -> np.ndarray:
    """RMS level in dBFS of each whole window: (N,) → (N // n,)."""
    n = max(1, int(window_s * sample_rate))
    frames = audio[: len(audio) // n * n].astype(np.float64).reshape(-1, n)  # (windows, n)
    return 20 * np.log10(np.sqrt((frames**2).mean(axis=1)) + 1e-10)


def longest_run(flags: np.ndarray) -> int:
    """Length of the longest run of True values."""
    edges = np.diff(np.concatenate([[0], flags.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int((ends - starts).max()) if len(starts) else 0


def inspect_segment(audio: np.ndarray, sample_rate: int, expected_seconds: float, settings: QCSettings) -> QCResult:
    """Measure a segment and list what is wrong with it (an empty list passes)."""
    audio = np.asarray(audio, dtype=np.float64)
    if not len(audio):
        return QCResult(0.0, -200.0, -200.0, ["empty: no audio"])
    levels = window_levels(audio, sample_rate)
    loud = np.flatnonzero(levels >= settings.silence_dbfs)
    inner = levels[loud[0] : loud[-1] + 1] if len(loud) else levels[:0]  # voiced span, edges cut
    result = QCResult(
        seconds=len(audio) / sample_rate,
        rms_dbfs=dbfs(float(np.sqrt(np.mean(audio**2)))),
        peak_dbfs=dbfs(float(np.abs(audio).max())),
        voiced_seconds=len(inner) * WINDOW_S,
    )
    if result.voiced_seconds < settings.min_duration_ratio * expected_seconds:
        result.problems.append(f"too short: {result.voiced_seconds:.1f} s for ~{expected_seconds:.1f} s of text")
    if result.voiced_seconds > settings.max_duration_ratio * expected_seconds:
        result.problems.append(f"too long: {result.voiced_seconds:.1f} s for ~{expected_seconds:.1f} s of text")
    if result.rms_dbfs < settings.min_rms_dbfs:
        result.problems.append(f"near-silent: RMS {result.rms_dbfs:.0f} dBFS")
    silence = longest_run(inner < settings.silence_dbfs) * WINDOW_S
    if silence > settings.max_inner_silence_s:
        result.problems.append(f"silence inside: {silence:.1f} s")
    clipped = float(np.mean(np.abs(audio) >= settings.clip_level))
    if clipped > settings.max_clipped_share:
        result.problems.append(f"clipping: {clipped:.2%} of samples at full scale")
    return result
