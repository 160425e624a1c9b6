"""Scheduled scan: start a `render-book` run for every new or changed manuscript in a folder.

Safe by default: prefect.yaml points it at `~/barkbook/inbox` and `~/barkbook/audiobooks`, not at
the checkout's sample manuscripts, and it refuses an output root inside the code checkout (where a
relative path lands, since workers run in the checkout) unless `allow_checkout` says so. A missing
inbox starts nothing.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.deployments import run_deployment

from tasks.core.errors import BarkbookError
from tasks.core import atomic_path, file_sha256
from tasks.manuscript import MANUSCRIPT_SUFFIXES

STATE_FILE = ".barkbook-scan.json"
CHECKOUT = Path(__file__).resolve().parents[1]


def scan_paths(folder: Path, output_root: Path, allow_checkout: bool = False) -> tuple[Path, Path]:
    """The folder and output root, `~` expanded and absolute; an output root inside the checkout is
    one BarkbookError line unless `allow_checkout`."""
    folder, output_root = Path(folder).expanduser().resolve(), Path(output_root).expanduser().resolve()
    if not allow_checkout and output_root.is_relative_to(CHECKOUT):
        raise BarkbookError(f"output_root {output_root} is inside the code checkout {CHECKOUT}; give a folder "
                            "outside it (prefect.yaml's scan parameters) or set allow_checkout")
    return folder, output_root


def manuscript_digests(folder: Path) -> dict[str, str]:
    """A digest of each manuscript directly in `folder` (hidden ones skipped): a file read by ingest (its
    sha256), or a folder book (the sha256 of its files' names and digests, so an edited chapter counts)."""
    digests = {}
    for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        if path.is_file() and path.suffix.lower() in MANUSCRIPT_SUFFIXES:
            digests[path.name] = file_sha256(path)
        elif path.is_dir():
            files = sorted(f for f in path.iterdir() if f.is_file() and not f.name.startswith("."))
            listing = "\n".join(f"{f.name}\t{file_sha256(f)}" for f in files)
            digests[path.name] = hashlib.sha256(listing.encode()).hexdigest()
    return digests


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
    allow_checkout: bool = False,
) -> list[str]:
    """Trigger one render per new or changed manuscript; an unchanged folder (or none) starts nothing.
    `parameters`: each render's request (flows/request.py), less its manuscript and output folder."""
    logger = get_run_logger()
    folder, output_root = scan_paths(folder, output_root, allow_checkout)
    if not folder.is_dir():
        logger.warning("no folder %s: nothing to scan (create it, or set the deployment's `folder`)", folder)
        return []
    state_path = output_root / STATE_FILE
    names, digests = changed_manuscripts(folder, state_path)
    started = []
    for name in names:
        run = run_deployment(
            deployment,
            parameters={"request": {
                **(parameters or {}),
                "manuscript": str(folder / name),
                "output_dir": str(output_root / Path(name).stem),  # a folder book: its name
            }},
            timeout=0,  # start it and move on; the worker renders
        )
        logger.info("started %s for %s", run.name, name)
        started.append(name)
    record_scan(state_path, digests)
    return started
