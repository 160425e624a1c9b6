"""A producer's decisions on single segments, made in the review desk (`barkbook review OUT/`) or by hand:
`OUT/review.json`. Every render of the book reads them, so the desk, the CLI and a second person see the same
state and a rerun respects it: the plan keeps the chosen take and speaks the override (tasks/plan/planning.py),
the review list leaves approved takes out (tasks/deliver/review.py).

An approval names the kept take's cache key, not the segment: a new take of it (a retake, another text,
voice or model) is one nobody has heard, and is listed again when it fails its checks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tasks.core import BarkbookError, atomic_write_text
from tasks.qc import MAX_TAKES

DECISIONS_FILE = "review.json"


class SegmentDecision(BaseModel):
    """What a person decided about one segment; None: nothing decided (the render's own choice)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    keep_seed: int | None = None  # keep the take of this seed, whatever its checks say
    spoken: str | None = None  # say this instead of the normalized text (new takes: the text is in their key)
    approved_take: str | None = None  # the kept take's cache key when a person heard it and accepted it
    takes: Annotated[int, Field(ge=1, le=MAX_TAKES)] | None = None  # takes a round of its own since a retake asked

    @field_validator("spoken")
    @classmethod
    def _something_to_say(cls, spoken: str | None) -> str | None:
        if spoken is None:
            return None
        spoken = " ".join(spoken.split())
        if not re.search(r"\w", spoken):
            raise ValueError("the spoken text is empty: write what the segment should say")
        return spoken

    @property
    def empty(self) -> bool:
        return self == SegmentDecision()


class ReviewDecisions(BaseModel):
    """Segment id → its decision, as `OUT/review.json` holds them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal[1] = 1
    segments: dict[str, SegmentDecision] = {}

    def of(self, segment_id: str) -> SegmentDecision:
        return self.segments.get(segment_id, SegmentDecision())

    def changed(self, segment_id: str, **changes) -> ReviewDecisions:
        """These decisions with `changes` made to one segment's (a segment left with none is dropped)."""
        decision = SegmentDecision.model_validate(self.of(segment_id).model_dump() | changes)
        segments = {k: v for k, v in self.segments.items() if k != segment_id}
        return ReviewDecisions(segments=segments if decision.empty else segments | {segment_id: decision})

    @property
    def approved_takes(self) -> frozenset[str]:
        return frozenset(d.approved_take for d in self.segments.values() if d.approved_take)


def decisions_path(output_dir: Path) -> Path:
    return Path(output_dir) / DECISIONS_FILE


def load_decisions(output_dir: Path) -> ReviewDecisions:
    """`OUT/review.json` (none: no decisions); a file that is not one is one line naming it."""
    path = decisions_path(output_dir)
    try:
        return ReviewDecisions.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return ReviewDecisions()
    except (OSError, ValidationError) as err:
        why = err.errors()[0]["msg"] if isinstance(err, ValidationError) else str(err)
        raise BarkbookError(f"{path}: not a review decisions file ({why}); fix or delete it") from None


def save_decisions(output_dir: Path, decisions: ReviewDecisions) -> Path:
    """`OUT/review.json`, written atomically (a reader never sees half of it)."""
    text = json.dumps(decisions.model_dump(mode="json", exclude_defaults=False), indent=2, sort_keys=True)
    return atomic_write_text(decisions_path(output_dir), text + "\n")
