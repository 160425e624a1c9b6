"""Where a book's segment records are kept: a local folder, or an fsspec URL (`s3://…`) that workers on
several machines share."""

from __future__ import annotations

import hashlib
from pathlib import Path

import fsspec
from prefect.filesystems import RemoteFileSystem

from tasks.core import BarkbookError


def is_url(location: Path | str) -> bool:
    """A cache location fsspec opens (`s3://…`), not a folder (a path or `file://`)."""
    text = str(location)
    return "://" in text and not text.startswith("file://")


def check_cache_url(location: Path | str) -> None:
    """A cache URL whose filesystem is not installed (s3 without s3fs, an unknown scheme) is one line."""
    if not is_url(location):
        return
    try:
        fsspec.get_filesystem_class(str(location).split("://", 1)[0])
    except (ImportError, ValueError) as error:  # "Install s3fs to access S3", "Protocol not known: …"
        raise BarkbookError(f"segment cache {location}: {error}") from None


def segment_storage(location: Path | str) -> Path | RemoteFileSystem:
    """Where segment results are kept: a local folder, or any fsspec URL (`s3://…`) all workers share.

    A URL becomes a `RemoteFileSystem` block saved as `barkbook-segments-<hash of the URL>`: Prefect
    takes only saved blocks as a task's result storage.
    """
    text = str(location)
    if not is_url(text):
        return Path(text.removeprefix("file://")).expanduser()
    check_cache_url(text)
    block = RemoteFileSystem(basepath=text)
    block.save(f"barkbook-segments-{hashlib.sha256(text.encode()).hexdigest()[:12]}", overwrite=True)
    return block
