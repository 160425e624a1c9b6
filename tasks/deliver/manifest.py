"""Deliver: atomic writes, and `manifest.json` listing every output file with its size, duration and sha256.

Every file the pipeline delivers is written through `atomic_path` (a temp file beside the target, renamed
into place when complete), so a crash never leaves a partial file and never destroys an older good one.
The output folder holds what the manifest lists: files an earlier delivery of the same manuscript listed
and this one does not (a chapter removed or renumbered, a format dropped, a new title) are removed.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import mutagen
import soundfile
from prefect import task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel

from tasks.core import atomic_write_text, file_sha256
from tasks.master import AUDIO_FORMATS, LOSSLESS, ChapterResult
from tasks.package import BookPackage
from tasks.plan import BookPlan

from .review import ReviewList


def duration_of(path: Path) -> float | None:
    """Seconds of audio, read back from the file itself (None for a file that is not audio)."""
    fmt = path.suffix[1:].lower()
    if fmt in LOSSLESS:
        return soundfile.info(path).duration
    if fmt in AUDIO_FORMATS:
        return float(mutagen.File(path).info.length)
    return None


# what a file is, by its name, for the files the package step does not name itself
KIND_BY_SUFFIX = {".vtt": "subtitles", ".srt": "subtitles", ".epub": "read-along", ".svg": "loudness-plot",
                  ".csv": "report", ".json": "retakes"}
KIND_BY_NAME = {"review.csv": "review", "review.json": "decisions"}


def kind_of(path: Path) -> str:
    path = Path(path)
    return KIND_BY_NAME.get(path.name) or KIND_BY_SUFFIX.get(path.suffix.lower(), "other")


def describe(path: Path, root: Path, kind: str | None = None, text: str | None = None) -> dict:
    """A manifest entry: path relative to `root`, kind, format, bytes, seconds, sha256 (and a credit's text)."""
    seconds = duration_of(path)
    entry = {
        "path": path.relative_to(root).as_posix(),
        "kind": kind or kind_of(path),
        "format": path.suffix[1:].lower(),
        "bytes": path.stat().st_size,
        "seconds": None if seconds is None else round(seconds, 3),
        "sha256": file_sha256(path),
    }
    return entry | ({"text": text} if text else {})


def write_manifest(out_dir: Path, files: list[Path | dict], extra: dict) -> Path:
    """`out_dir/manifest.json`, atomically: `extra` facts and every file described (see `describe`); a file
    is a path (its kind told by its name) or a package record {path, kind, text, checks}."""
    out_dir = Path(out_dir)
    entries = [f if isinstance(f, dict) else {"path": f} for f in files]
    described = [describe(Path(e["path"]), out_dir, e.get("kind"), e.get("text")) for e in entries]
    manifest = {**extra, "files": [d | ({"checks": e["checks"]} if "checks" in e else {})
                                   for d, e in zip(described, entries)]}
    return atomic_write_text(out_dir / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def remove_stale(output_dir: Path, manuscript: str, files: list[Path]) -> list[str]:
    """Delete what the folder's previous manifest listed for `manuscript` and `files` no longer include;
    return their manifest paths. Only regular files inside `output_dir`; another book's manifest, or
    none, removes nothing."""
    root = Path(output_dir).resolve()
    try:
        previous = json.loads((root / "manifest.json").read_text())
    except (OSError, ValueError):
        return []
    if not isinstance(previous, dict) or previous.get("manuscript") != manuscript:
        return []
    keep = {Path(f).resolve() for f in files}
    removed = []
    for entry in previous.get("files", []):
        path = (root / str(entry["path"])).resolve() if isinstance(entry, dict) and "path" in entry else root
        if path.is_relative_to(root) and path not in keep and path.is_file():
            path.unlink()
            removed.append(path.relative_to(root).as_posix())
    return removed


def relative(path: str | Path, root: Path) -> Path:
    path = Path(path)
    return path.relative_to(root) if path.is_relative_to(root) else path


class ManifestEntry(BaseModel):
    """A file manifest.json lists: path (under the output folder), kind, format, bytes, seconds, sha256, a
    credit's spoken text, and the delivery checks' problems for a checked audio file."""

    path: str
    kind: str
    format: str
    bytes: int
    seconds: float | None
    sha256: str
    text: str | None = None
    checks: list[str] | None = None


class RunSummary(BaseModel):
    """What a render delivered, as the CLI prints it, `--json` and the summary artifact show it."""

    title: str
    author: str
    chapters: int  # the credits are not chapters
    segments: int
    rendered: int
    cached: int
    retried: int  # needed a second round of takes
    takes: int  # takes checked in this run (none for a cached segment)
    retaken_for: dict[str, int]  # the chapters' QC reports: takes retaken, by problem kind
    audio_seconds: float
    target: str
    ai_narration: str
    qc: str  # what was checked, in a line
    retakes: int  # segments retaken on request
    review: int  # segments left for a person to listen to
    cover: str  # where the cover came from
    checks: str  # the delivery checks' verdict line
    out_of_spec: list[str]
    manifest: str
    files: list[ManifestEntry]
    removed: list[str]  # files of an earlier run this one no longer makes


@task(name="deliver", cache_policy=NO_CACHE)
def deliver_manifest(plan: BookPlan, chapters: list[ChapterResult], package: BookPackage, output_dir: Path,
                     manuscript: Path, *, qc: str, retakes: int, review: ReviewList, cover: str) -> RunSummary:
    """Remove the files an earlier run of this manuscript left that this one did not make, write the
    manifest, and return the run's summary; `package`: the package's files with their kinds and delivery
    checks (in the manifest; a line per file out of spec in the summary); the review list's files join the
    manifest, `qc`, `retakes` and `cover` the summary."""
    output_dir = Path(output_dir)
    chapter_files = [f.model_dump() for c in chapters for f in c.delivered]  # the loudness plots, the QC reports
    packaged = [dataclasses.asdict(f) | ({"checks": problems} if (problems := package.checks.problems_of(
        relative(f.path, output_dir))) is not None else {}) for f in package.files]
    files = [*packaged, *chapter_files, *review.files]
    segments = [s for c in chapters for s in c.segments]
    per_round = plan.chapters[0].settings.takes if plan.chapters else 1  # takes generated together
    counts = {
        "title": plan.title, "author": plan.author, "chapters": sum(c.kind == "chapter" for c in plan.chapters),
        "segments": len(segments), "rendered": sum(not s.cached for s in segments),
        "cached": sum(s.cached for s in segments), "retried": sum(s.attempts > per_round for s in segments),
        "takes": sum(s.attempts for s in segments), "retaken_for": count_retakes(chapters),
        "audio_seconds": round(sum(s.seconds for s in segments), 2),
        "target": plan.target, "ai_narration": plan.narrator, "qc": qc, "retakes": retakes,
        "review": review.segments, "cover": cover, "checks": package.checks.summary_line(),
        "out_of_spec": package.checks.out_of_spec,
    }
    source = str(Path(manuscript).resolve())
    paths = [Path(f["path"]) if isinstance(f, dict) else Path(f) for f in files]
    removed = remove_stale(output_dir, source, paths)  # first: a crash before the new manifest loses nothing
    facts = {"manuscript": source, "qc": [dataclasses.asdict(c.qc) for c in chapters],
             "checks": package.checks.model_dump(mode="json", exclude={"out_of_spec"})}
    manifest = write_manifest(output_dir, files, counts | facts)
    return RunSummary(**counts, manifest=str(manifest), files=json.loads(manifest.read_text())["files"], removed=removed)


def count_retakes(chapters: list[ChapterResult]) -> dict[str, int]:
    """Takes generated again, by the kind of problem they had, over the chapters' QC reports."""
    return dict(sorted(sum((Counter(c.qc.retaken_for) for c in chapters), Counter()).items()))
