"""Signal checks of one take (truncation, babbling, long silences, clipping, near-silence) and the
per-chapter QC report: one row per take tried, as a Prefect table artifact and as a CSV/JSON file."""

from __future__ import annotations

import csv
import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from prefect import task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from bark_model.atomic import atomic_path

from .run_names import chapter_artifact_key, clip_words


def problem_kind(problem: str) -> str:
    """"words missing: heard 40 % …" → "words missing": the kind retakes are counted by."""
    return problem.split(":", 1)[0]

WINDOW_S = 0.05  # silence is judged on 50 ms windows


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


def qc_table(segments: list, rendered: list) -> list[dict]:
    """A chapter's planned segments and their `RenderedSegment`s → one flat row per take tried, for
    `create_table_artifact`, CSV or JSON: verdict and problems first ("ok" when none), then which take,
    then the measures (words heard, missing and extra words, voice similarity, levels, durations)."""
    table = []
    for segment, result in zip(segments, rendered):
        for number, check in enumerate(result.attempts, start=1):
            row = check.as_row()
            table.append({"verdict": row.pop("verdict"), "problems": row.pop("problems"), "segment": segment.id,
                          "text": clip_words(segment.spoken, 80), "take": number, "round": (number - 1) // result.per_round + 1,
                          "kept": check.seed == result.seed,
                          "expected_s": round(segment.seconds, 2), **row})
    return table


def write_qc_report(table: list[dict], path: Path) -> Path:
    """The table as `.csv` or `.json` (by the path's suffix), written atomically."""
    path = Path(path)
    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        if path.suffix == ".json":
            json.dump(table, f, indent=2, ensure_ascii=False)
        else:
            writer = csv.DictWriter(f, fieldnames=list(table[0]) if table else ["segment"])
            writer.writeheader()
            writer.writerows(table)
    return path


@dataclass(frozen=True)
class QCSummary:
    """A chapter's QC counts a person reads first, and where its report is."""

    segments: int
    retried: int  # kept takes from a later round than the first
    failed_qc: int  # kept takes that still fail: the review list's
    takes: int  # takes checked
    report: str  # qc/<slug>.csv
    retaken_for: dict[str, int] = field(default_factory=dict)  # problem kind -> takes retaken that had it


def retaken_for(table: list[dict]) -> dict[str, int]:
    """Why takes were generated again: each take of a round that another round followed (it failed, as did
    its round), counted once under each kind of problem it had ("words missing", "speech cut at the end" …)."""
    last_round: dict[str, int] = {}
    for row in table:
        last_round[row["segment"]] = max(last_round.get(row["segment"], 0), row["round"])
    counts: dict[str, int] = {}
    for row in table:
        if row["round"] < last_round[row["segment"]]:
            for kind in {problem_kind(p) for p in row["problems"].split("; ") if p != "ok"}:
                counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items()))


def qc_summary(table: list[dict], report: Path) -> QCSummary:
    """Counts a person reads first: segments, how many needed more than one round of takes, how many still
    fail, and what the retaken takes failed for."""
    kept = [r for r in table if r["kept"]]
    return QCSummary(segments=len(kept), retried=sum(r["round"] > 1 for r in kept),
                     failed_qc=sum(r["verdict"] != "ok" for r in kept), takes=len(table), report=str(report),
                     retaken_for=retaken_for(table))


@task(name="qc-report", cache_policy=NO_CACHE)
def report_qc(chapter, rendered: list, output_dir: Path) -> QCSummary:
    """A chapter's QC report: table artifact `qc-<slug>` in the UI and `qc/<slug>.csv` beside the audio."""
    table = qc_table(chapter.segments, rendered)
    path = write_qc_report(table, Path(output_dir) / "qc" / f"{chapter.slug}.csv")
    create_table_artifact(table, key=chapter_artifact_key("qc", chapter), description=f"QC of chapter {chapter.index}: {chapter.title}")
    return qc_summary(table, path)
