"""Deliver: atomic writes, and `manifest.json` listing every output file with its size, duration and sha256.

Every file the pipeline delivers is written through `atomic_path` (a temp file beside the target, renamed
into place when complete), so a crash never leaves a partial file and never destroys an older good one.
The output folder holds what the manifest lists: files an earlier delivery of the same manuscript listed
and this one does not (a chapter removed or renumbered, a format dropped, a new title) are removed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import mutagen
import soundfile
from prefect import task
from prefect.cache_policies import NO_CACHE

from bark_model.atomic import atomic_path

__all__ = ["atomic_path", "atomic_write_bytes", "describe", "write_manifest", "remove_stale", "deliver_manifest"]
AUDIO_FORMATS = ("wav", "flac", "mp3", "m4b")


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never a part."""
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def duration_of(path: Path) -> float | None:
    """Seconds of audio, read back from the file itself (None for a file that is not audio)."""
    fmt = path.suffix[1:].lower()
    if fmt in ("wav", "flac"):
        return soundfile.info(path).duration
    if fmt in AUDIO_FORMATS:
        return float(mutagen.File(path).info.length)
    return None


def describe(path: Path, root: Path) -> dict:
    """A manifest entry: path relative to `root`, format, bytes, seconds, sha256."""
    seconds = duration_of(path)
    return {
        "path": path.relative_to(root).as_posix(),
        "format": path.suffix[1:].lower(),
        "bytes": path.stat().st_size,
        "seconds": None if seconds is None else round(seconds, 3),
        "sha256": sha256_of(path),
    }


def write_manifest(out_dir: Path, files: list[Path], extra: dict) -> Path:
    """`out_dir/manifest.json`, atomically: `extra` facts and every file described (see `describe`)."""
    out_dir = Path(out_dir)
    manifest = {**extra, "files": [describe(Path(f), out_dir) for f in files]}
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


@task(name="deliver", cache_policy=NO_CACHE)
def deliver_manifest(plan, chapters: list[dict], book_files: list[str], output_dir: Path, manuscript: Path,
                     notes: dict | None = None, extra_files: list[Path] = ()) -> dict:
    """Remove the files an earlier run of this manuscript left that this one did not make, write the
    manifest, and return the run's summary (what the CLI prints); `notes` join the summary, `extra_files`
    (the review list, the retake file) the manifest."""
    output_dir = Path(output_dir)
    chapter_files = [Path(f) for c in chapters for f in c["files"] if "/.masters/" not in Path(f).as_posix()]
    reports = [Path(c["qc"]["report"]) for c in chapters if c["qc"].get("report")]
    files = chapter_files + [Path(f) for f in book_files] + [r for r in reports if r.is_file()] + list(extra_files)
    segments = [s for c in chapters for s in c["segments"]]
    per_round = plan.chapters[0].settings.takes if plan.chapters else 1  # takes generated together
    summary = {
        "title": plan.title,
        "author": plan.author,
        "chapters": len(chapters),
        "segments": len(segments),
        "rendered": sum(not s["cached"] for s in segments),
        "cached": sum(s["cached"] for s in segments),
        "retried": sum(s["attempts"] > per_round for s in segments),  # needed a second round of takes
        "takes": sum(s["attempts"] for s in segments),  # takes checked in this run (none for a cached segment)
        "audio_seconds": round(sum(s["seconds"] for s in segments), 2),
    } | (notes or {})
    source = str(Path(manuscript).resolve())
    removed = remove_stale(output_dir, source, files)  # first: a crash before the new manifest loses nothing
    manifest = write_manifest(output_dir, files, summary | {"manuscript": source, "qc": [c["qc"] for c in chapters]})
    return summary | {"manifest": str(manifest), "files": json.loads(manifest.read_text())["files"], "removed": removed}


def record_path(output_dir: Path, name: str) -> Path:
    return Path(output_dir) / ".state" / f"{name}.json"


def load_record(output_dir: Path, name: str, key: str) -> dict | None:
    """What an earlier run made from the same inputs (`key`), if its files are still there, intact."""
    path = record_path(output_dir, name)
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    files = [Path(f) for f in record.get("files", [])]
    intact = all(f.is_file() and sha256_of(f) == record["sha256"].get(str(f)) for f in files)
    return record["result"] if record.get("key") == key and intact else None


def save_record(output_dir: Path, name: str, key: str, result: dict) -> dict:
    """Remember what these inputs produced, so an unchanged chapter is not mastered again."""
    path = record_path(output_dir, name)
    files = [Path(f) for f in result.get("files", [])]
    record = {"key": key, "files": [str(f) for f in files], "sha256": {str(f): sha256_of(f) for f in files},
              "result": result}
    atomic_write_bytes(path, json.dumps(record, indent=2).encode())
    return result
