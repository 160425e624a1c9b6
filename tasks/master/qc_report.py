"""A chapter's QC report: one row per take tried (verdict and problems first, then the measures), as a
Prefect table artifact and as `qc/<chapter>.csv` beside the audio, and the counts a person reads first."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from prefect import task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from tasks.core import atomic_path, clip_words
from tasks.plan import chapter_artifact_key
from tasks.qc import problem_kind


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
            for kind in {problem_kind(p) for p in row["problems"].split("; ") if p and p != "ok"}:
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
