"""The pipeline's file utilities, in one place: atomic writes, file digests, and the one content key every
cache and record uses.

`atomic_path` and `file_sha256` are the engine's own (bark_model writes checkpoints and fingerprints them
the same way): one implementation for both layers, reached by the pipeline only through this module.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from bark_model.atomic import atomic_path
from bark_model.digests import file_sha256

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text", "content_key", "file_sha256"]


def atomic_write_bytes(path: Path | str, data: bytes) -> Path:
    """Write `data` to `path` so that readers see the old file or the new one, never a part."""
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def atomic_write_text(path: Path | str, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))


def content_key(*facts) -> str:
    """The hex sha256 of `facts` as canonical JSON (keys sorted; paths, enums and the like as text): equal
    facts give equal keys in any process, so it keys segment takes, chapter records and packages alike."""
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()
