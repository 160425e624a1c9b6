"""Quality control of one generated segment: catch truncation, babbling, long silences, clipping."""

from __future__ import annotations

import csv
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from prefect import task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from bark_model.atomic import atomic_path


@dataclass(frozen=True)
class QCSettings:
    min_duration_ratio: float = 0.4  # shorter than 40 % of the text's estimate: truncated
    max_duration_ratio: float = 2.5  # longer than 250 %: babbling
    max_inner_silence_s: float = 2.0
    silence_dbfs: float = -50.0
    clip_level: float = 0.999
    max_clipped_share: float = 0.001
    min_rms_dbfs: float = -45.0  # quieter than this overall: near-silence

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class QCResult:
    seconds: float
    rms_dbfs: float
    peak_dbfs: float
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"seconds": round(self.seconds, 3), "rms_dbfs": round(self.rms_dbfs, 2),
                "peak_dbfs": round(self.peak_dbfs, 2), "problems": list(self.problems)}


def dbfs(value: float) -> float:
    return float(20 * np.log10(max(value, 1e-10)))


def longest_silence_s(audio: np.ndarray, sample_rate: int, threshold_dbfs: float, window_s: float = 0.05) -> float:
    """Longest run of windows quieter than the threshold, in seconds."""
    n = max(1, int(window_s * sample_rate))
    frames = audio[: len(audio) // n * n].reshape(-1, n)
    if not len(frames):
        return 0.0
    quiet = 20 * np.log10(np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1)) + 1e-10) < threshold_dbfs
    longest = run = 0
    for q in quiet:
        run = run + 1 if q else 0
        longest = max(longest, run)
    return longest * window_s


def inspect_segment(audio: np.ndarray, sample_rate: int, expected_seconds: float, settings: QCSettings) -> QCResult:
    """Measure a segment and list what is wrong with it (an empty list passes)."""
    seconds = len(audio) / sample_rate
    rms = dbfs(float(np.sqrt(np.mean(audio.astype(np.float64) ** 2)))) if len(audio) else -200.0
    peak = dbfs(float(np.abs(audio).max())) if len(audio) else -200.0
    result = QCResult(seconds, rms, peak)
    if seconds < settings.min_duration_ratio * expected_seconds:
        result.problems.append(f"too short: {seconds:.1f} s for ~{expected_seconds:.1f} s of text")
    if seconds > settings.max_duration_ratio * expected_seconds:
        result.problems.append(f"too long: {seconds:.1f} s for ~{expected_seconds:.1f} s of text")
    if len(audio) and rms < settings.min_rms_dbfs:
        result.problems.append(f"near-silent: RMS {rms:.0f} dBFS")
    silence = longest_silence_s(audio, sample_rate, settings.silence_dbfs)
    if silence > settings.max_inner_silence_s:
        result.problems.append(f"silence of {silence:.1f} s inside")
    if len(audio) and np.mean(np.abs(audio) >= settings.clip_level) > settings.max_clipped_share:
        result.problems.append("clipping")
    return result


@task(name="qc-report", cache_policy=NO_CACHE)
def report_qc(chapter, rendered: list, output_dir: Path) -> dict:
    """Per-segment QC rows of a chapter: a table artifact in the UI and `qc/<chapter>.csv`."""
    rows = []
    for segment, result in zip(chapter.segments, rendered):
        last = result.attempts[-1] if result.attempts else {}
        rows.append({
            "segment": segment.id,
            "text": segment.spoken[:60],
            "attempts": len(result.attempts),
            "seed": result.seed,
            "expected_s": round(segment.seconds, 2),
            "seconds": last.get("seconds"),
            "rms_dbfs": last.get("rms_dbfs"),
            "peak_dbfs": last.get("peak_dbfs"),
            "problems": "; ".join(last.get("problems", [])),
        })
    path = Path(output_dir) / "qc" / f"{chapter.slug}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp, open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["segment"])
        writer.writeheader()
        writer.writerows(rows)
    create_table_artifact(rows, key=f"qc-{chapter.slug}", description=f"QC of chapter {chapter.index}: {chapter.title}")
    failed = sum(1 for r in rows if r["problems"])
    return {"segments": len(rows), "failed_qc": failed, "retried": sum(1 for r in rows if r["attempts"] > 1),
            "report": str(path)}
