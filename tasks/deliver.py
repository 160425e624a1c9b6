"""Deliver: `manifest.json` listing every output file with its size, duration and sha256."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import soundfile
from prefect import task
from prefect.cache_policies import NO_CACHE

from bark_model.atomic import atomic_path


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def duration_of(path: Path) -> float:
    """Seconds of audio, read back from the file itself."""
    if path.suffix in (".wav", ".flac"):
        return soundfile.info(path).duration
    import mutagen

    return float(mutagen.File(path).info.length)


def describe(path: Path, root: Path) -> dict:
    return {
        "path": path.relative_to(root).as_posix(),
        "format": path.suffix[1:],
        "bytes": path.stat().st_size,
        "seconds": round(duration_of(path), 3),
        "sha256": sha256_of(path),
    }


def write_manifest(out_dir: Path, entries: list[dict], extra: dict) -> Path:
    """`out_dir/manifest.json`, atomically: the described files plus `extra` facts."""
    manifest = {**extra, "files": entries}
    path = out_dir / "manifest.json"
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


@task(name="deliver", cache_policy=NO_CACHE)
def deliver_manifest(plan, chapters: list[dict], book_files: list[str], output_dir: Path) -> dict:
    """Write the manifest and return the run's summary (what the CLI prints)."""
    output_dir = Path(output_dir)
    chapter_files = [Path(f) for c in chapters for f in c["files"] if "/.masters/" not in Path(f).as_posix()]
    files = chapter_files + [Path(f) for f in book_files]
    segments = [s for c in chapters for s in c["segments"]]
    summary = {
        "title": plan.title,
        "author": plan.author,
        "chapters": len(chapters),
        "segments": len(segments),
        "rendered": sum(not s["cached"] for s in segments),
        "cached": sum(s["cached"] for s in segments),
        "retried": sum(s["attempts"] > 1 for s in segments),
        "audio_seconds": round(sum(s["seconds"] for s in segments), 2),
    }
    entries = [describe(f, output_dir) for f in files]
    manifest = write_manifest(output_dir, entries, summary | {"qc": [c["qc"] for c in chapters]})
    return summary | {"manifest": str(manifest), "files": entries}


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
    path.parent.mkdir(parents=True, exist_ok=True)
    files = [Path(f) for f in result.get("files", [])]
    record = {"key": key, "files": [str(f) for f in files], "sha256": {str(f): sha256_of(f) for f in files},
              "result": result}
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(record, indent=2))
    return result
