"""Scheduled scan: start a `render-book` run for every new or changed manuscript in a folder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.deployments import run_deployment

from bark_model.atomic import atomic_path

MANUSCRIPT_SUFFIXES = {".md", ".txt", ".epub"}
STATE_FILE = ".barkbook-scan.json"


def manuscript_digests(folder: Path) -> dict[str, str]:
    """sha256 of each manuscript file directly in `folder` (hidden files skipped)."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.suffix.lower() in MANUSCRIPT_SUFFIXES and path.is_file() and not path.name.startswith(".")
    }


def changed_manuscripts(folder: Path, state_path: Path) -> tuple[list[str], dict[str, str]]:
    """Names whose content differs from the last scan's record, and the new record."""
    seen = json.loads(state_path.read_text()) if state_path.exists() else {}
    current = manuscript_digests(folder)
    return [name for name, digest in current.items() if seen.get(name) != digest], current


@task(name="record-scan")
def record_scan(state_path: Path, digests: dict[str, str]) -> None:
    with atomic_path(state_path) as tmp:
        tmp.write_text(json.dumps(digests, indent=2, sort_keys=True))


@flow(name="scan-manuscripts")
def scan_manuscripts(
    folder: Path,
    output_root: Path,
    deployment: str = "render-book/render-book",
    parameters: dict | None = None,
) -> list[str]:
    """Trigger one render per new or changed manuscript; an unchanged folder starts nothing."""
    logger = get_run_logger()
    state_path = output_root / STATE_FILE
    names, digests = changed_manuscripts(folder, state_path)
    started = []
    for name in names:
        run = run_deployment(
            deployment,
            parameters={
                **(parameters or {}),
                "manuscript": str(folder / name),
                "output_dir": str(output_root / Path(name).stem),
            },
            timeout=0,  # start it and move on; the worker renders
        )
        logger.info("started %s for %s", run.name, name)
        started.append(name)
    record_scan(state_path, digests)
    return started
