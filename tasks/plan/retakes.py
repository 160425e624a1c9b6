"""Retakes a person asked for (`barkbook render … --retake ID,…`): each moves a segment to seeds it has not
used, recorded in `OUT/retakes.json` so a rerun renders the same takes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from tasks.core import BarkbookError, atomic_write_text
from tasks.qc import MAX_TAKES

from .decisions import ReviewDecisions

RETAKE_FILE = "retakes.json"
REVIEW_FILE = "review.csv"  # where the ids of segments to retake are listed (tasks/deliver/review.py writes it)


def load_seed_offsets(output_dir: Path) -> dict[str, int]:
    """Segment id → seed offset of its newest retake, from `OUT/retakes.json` (none: no retakes)."""
    path = Path(output_dir) / RETAKE_FILE
    try:
        return {str(k): int(v) for k, v in json.loads(path.read_text()).items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, AttributeError) as err:
        raise BarkbookError(f"{path}: not a retake file ({err}); fix or delete it") from err


def seed_offsets(output_dir: Path, retake: list[str] | None, known: set[str],
                 seeds_per_take: int | Mapping[str, int]) -> dict[str, int]:
    """Segment id → seed offset: the recorded retakes, after adding those in `retake` (if any)."""
    return add_retakes(output_dir, retake, known, seeds_per_take) if retake else load_seed_offsets(output_dir)


def add_retakes(output_dir: Path, ids: list[str], known: set[str],
                seeds_per_take: int | Mapping[str, int]) -> dict[str, int]:
    """Move each segment in `ids` past every seed it may have used (`seeds_per_take`: rounds × takes, or
    per segment id), record it in `OUT/retakes.json` and return all offsets. An id not in the book is one line."""
    unknown = sorted(set(ids) - known)
    if unknown:
        raise BarkbookError(f"--retake: no segment {', '.join(unknown)} in this manuscript "
                            f"(ids are in {REVIEW_FILE} and `barkbook segment`)")
    offsets = load_seed_offsets(output_dir)
    for segment in dict.fromkeys(ids):
        budget = seeds_per_take if isinstance(seeds_per_take, int) else seeds_per_take[segment]
        offsets[segment] = offsets.get(segment, 0) + budget
    atomic_write_text(Path(output_dir) / RETAKE_FILE, json.dumps(offsets, indent=2, sort_keys=True) + "\n")
    return offsets


def retake_budgets(ids: list[str], decisions: ReviewDecisions, takes: int, rounds: int) -> dict[str, int]:
    """Segment id → how many seeds its retake moves past: rounds × the render's `takes`, or, for a segment a
    person gave takes of its own (OUT/review.json) — any number up to MAX_TAKES, now or before —, rounds ×
    MAX_TAKES, so its new takes are new whatever it had."""
    return {i: rounds * (MAX_TAKES if decisions.of(i).takes else takes) for i in ids}
