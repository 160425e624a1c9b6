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
from typing import TYPE_CHECKING, TypeVar

import mutagen
import soundfile
from pydantic import BaseModel, ValidationError
from prefect import task
from prefect.cache_policies import NO_CACHE

from bark_model.atomic import atomic_path
from bark_model.digests import file_sha256 as sha256_of

from .formats import AUDIO_FORMATS, LOSSLESS

if TYPE_CHECKING:  # chapter_result and package save their records here
    from .chapter_result import ChapterResult
    from .package import BookPackage

Made = TypeVar("Made", bound=BaseModel)

MASTERS = ".masters"  # the kept lossless chapter masters (tasks/assemble.py): never delivered
__all__ = ["atomic_path", "atomic_write_bytes", "describe", "write_manifest", "remove_stale", "deliver_manifest"]


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never a part."""
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


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
KIND_BY_NAME = {"review.csv": "review"}


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
        "sha256": sha256_of(path),
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
    return atomic_write_bytes(out_dir / "manifest.json",
                              (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())


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


def checks_summary(checks: dict, out_of_spec: list[str]) -> dict:
    """The delivery checks in the summary: one verdict line and a line per file out of spec."""
    files, failed = len(checks["files"]), len(out_of_spec)
    verdict = (f"{checks['rules']['name']}: all {files} audio files pass" if not failed
               else f"{checks['rules']['name']}: {failed} of {files} audio files out of spec")
    return {"checks": verdict, "out_of_spec": list(out_of_spec)}


@task(name="deliver", cache_policy=NO_CACHE)
def deliver_manifest(plan, chapters: list[ChapterResult], package: BookPackage, output_dir: Path, manuscript: Path,
                     notes: dict | None = None, extra_files: list[Path] = ()) -> dict:
    """Remove the files an earlier run of this manuscript left that this one did not make, write the
    manifest, and return the run's summary (what the CLI prints); `package`: the package's files with their
    kinds and the delivery checks (tasks/package.py: its report goes in the manifest, a line per file out of
    spec in the summary); `notes` join the summary, `extra_files` (the review list, the retake file) the
    manifest."""
    output_dir = Path(output_dir)
    chapter_files = [f.model_dump() for c in chapters for f in c.delivered]  # the loudness plots, the QC reports
    checks = package.checks
    problems = {Path(f["file"]): f["problems"] for f in checks.get("files", [])}
    packaged = [dataclasses.asdict(f) | ({"checks": problems[rel]} if (rel := relative(f.path, output_dir)) in problems
                                         else {}) for f in package.files]
    files = [*packaged, *chapter_files, *extra_files]
    segments = [s for c in chapters for s in c.segments]
    per_round = plan.chapters[0].settings.takes if plan.chapters else 1  # takes generated together
    summary = {
        "title": plan.title,
        "author": plan.author,
        "chapters": sum(c.kind == "chapter" for c in plan.chapters),  # the credits are not chapters
        "segments": len(segments),
        "rendered": sum(not s.cached for s in segments),
        "cached": sum(s.cached for s in segments),
        "retried": sum(s.attempts > per_round for s in segments),  # needed a second round of takes
        "takes": sum(s.attempts for s in segments),  # takes checked in this run (none for a cached segment)
        "retaken_for": count_retakes(chapters),  # the chapters' QC reports: takes retaken, by problem kind
        "audio_seconds": round(sum(s.seconds for s in segments), 2),
        "target": plan.target,
        "ai_narration": plan.narrator,
    } | (notes or {}) | checks_summary(checks, package.out_of_spec)
    source = str(Path(manuscript).resolve())
    paths = [Path(f["path"]) if isinstance(f, dict) else Path(f) for f in files]
    removed = remove_stale(output_dir, source, paths)  # first: a crash before the new manifest loses nothing
    facts = {"manuscript": source, "qc": [dataclasses.asdict(c.qc) for c in chapters], "checks": checks}
    manifest = write_manifest(output_dir, files, summary | facts)
    return summary | {"manifest": str(manifest), "files": json.loads(manifest.read_text())["files"], "removed": removed}


def count_retakes(chapters: list[ChapterResult]) -> dict[str, int]:
    """Takes generated again, by the kind of problem they had, over the chapters' QC reports."""
    return dict(sorted(sum((Counter(c.qc.retaken_for) for c in chapters), Counter()).items()))


def record_path(output_dir: Path, name: str) -> Path:
    return Path(output_dir) / ".state" / f"{name}.json"


def load_record(output_dir: Path, name: str, key: str) -> dict | None:
    """What an earlier run made from the same inputs (`key`), if its files are still there, intact."""
    path = record_path(output_dir, name)
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if record.get("key") != key:  # other inputs: its files are not worth hashing
        return None
    files = [Path(f) for f in record.get("files", [])]  # what it made, with their digests
    intact = all(f.is_file() and sha256_of(f) == record["sha256"].get(str(f)) for f in files)
    return record["result"] if intact else None


def load_typed_record(output_dir: Path, name: str, key: str, shape: type[Made]) -> Made | None:
    """`load_record` read back as `shape`; a record of an older shape counts as none (it is made again)."""
    record = load_record(output_dir, name, key)
    try:
        return None if record is None else shape.model_validate(record)
    except ValidationError:
        return None


def save_record(output_dir: Path, name: str, key: str, result: dict, files: list[Path | str]) -> dict:
    """Remember what these inputs produced (`result`, plain JSON) and the digests of the `files` it made,
    so unchanged inputs whose files are intact make nothing again."""
    path = record_path(output_dir, name)
    files = [Path(f) for f in files]
    record = {"key": key, "files": [str(f) for f in files], "sha256": {str(f): sha256_of(f) for f in files},
              "result": result}
    atomic_write_bytes(path, json.dumps(record, indent=2).encode())
    return result
