"""The record store: what a step made from given inputs, kept in `OUT/.state/<name>.json` with the digests
of the files it made, so a step whose inputs are unchanged and whose files are intact makes nothing again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .files import atomic_write_text, file_sha256

Made = TypeVar("Made", bound=BaseModel)


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
    intact = all(f.is_file() and file_sha256(f) == record["sha256"].get(str(f)) for f in files)
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
    files = [Path(f) for f in files]
    record = {"key": key, "files": [str(f) for f in files], "sha256": {str(f): file_sha256(f) for f in files},
              "result": result}
    atomic_write_text(record_path(output_dir, name), json.dumps(record, indent=2))
    return result
