"""What a person must listen to: segments whose best take still fails, where they start in their chapter
file (`OUT/review.csv`, and a `review-<book>` markdown artifact), and the retake file that moves chosen
segments to new seeds (`barkbook render … --retake ID,…`), recorded so a rerun renders the same takes.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from bark_model.atomic import atomic_path

from .errors import BarkbookError
from .layout import SegmentSpan
from .plan import slugify

if TYPE_CHECKING:  # a chapter result carries its review items
    from .chapter_result import ChapterResult

REVIEW_FILE = "review.csv"
RETAKE_FILE = "retakes.json"


@dataclass(frozen=True)
class ReviewItem:
    """One segment left for a person: where to listen, what to listen for."""

    chapter: str  # the chapter file's name without its format, e.g. `02-the-lion-and-the-mouse`
    start_s: float  # where the segment starts in that file
    segment: str
    text: str
    problems: list[str]
    takes: int  # takes tried

    @property
    def start(self) -> str:
        """h:mm:ss, rounded down: the segment has begun by then."""
        whole = int(self.start_s)
        return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"

    def as_row(self) -> dict:
        return {"chapter": self.chapter, "start": self.start, "segment": self.segment, "text": self.text,
                "problems": "; ".join(self.problems), "takes": self.takes}


def review_items(chapter, rendered: list, spans: list[SegmentSpan]) -> list[ReviewItem]:
    """The chapter's segments whose kept take fails, with where their speech starts in the chapter file."""
    return [ReviewItem(chapter.slug, round(span.start_s, 2), r.segment_id, plan.spoken, r.kept.problems,
                       len(r.attempts))
            for r, span, plan in zip(rendered, spans, chapter.segments) if not r.kept.passed]


def review_markdown(title: str, items: list[ReviewItem]) -> str:
    """The review list as a markdown table, a line saying so when it is empty."""
    if not items:
        return f"# Review: {title}\n\nEvery segment passed its checks: nothing to review.\n"
    lines = [f"# Review: {title}", "", f"{len(items)} segments to listen to.", "",
             "| chapter | start | segment | text | what is wrong | takes |", "|---|---|---|---|---|---|"]
    for item in items:
        row = item.as_row()
        lines.append("| " + " | ".join(str(row[k]).replace("|", "\\|") for k in row) + " |")
    return "\n".join(lines) + "\n"


def write_review_csv(items: list[ReviewItem], output_dir: Path) -> Path:
    """`OUT/review.csv`, atomically; a header only when nothing fails."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["chapter", "start", "segment", "text", "problems", "takes"])
    writer.writeheader()
    writer.writerows(item.as_row() for item in items)
    path = Path(output_dir) / REVIEW_FILE
    with atomic_path(path) as tmp:
        tmp.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@dataclass(frozen=True)
class ReviewList:
    """What the review step delivered: its files (the list, the retake file when there is one) and how
    many segments a person must listen to."""

    files: list[Path]
    segments: int


@task(name="review-list", cache_policy=NO_CACHE)
def write_review(title: str, chapters: list[ChapterResult], output_dir: Path) -> ReviewList:
    """The chapters' review items as `OUT/review.csv` and the `review-<book>` markdown artifact."""
    items = [item for chapter in chapters for item in chapter.review]
    path = write_review_csv(items, output_dir)
    create_markdown_artifact(review_markdown(title, items), key=f"review-{slugify(title)}",
                             description=f"segments of {title} to listen to")
    retakes = Path(output_dir) / RETAKE_FILE
    return ReviewList([path] + ([retakes] if retakes.is_file() else []), len(items))


def load_seed_offsets(output_dir: Path) -> dict[str, int]:
    """Segment id → seed offset of its newest retake, from `OUT/retakes.json` (none: no retakes)."""
    path = Path(output_dir) / RETAKE_FILE
    try:
        return {str(k): int(v) for k, v in json.loads(path.read_text()).items()}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, AttributeError) as err:
        raise BarkbookError(f"{path}: not a retake file ({err}); fix or delete it") from err


def seed_offsets(output_dir: Path, retake: list[str] | None, known: set[str], seeds_per_take: int) -> dict[str, int]:
    """Segment id → seed offset: the recorded retakes, after adding those in `retake` (if any)."""
    return add_retakes(output_dir, retake, known, seeds_per_take) if retake else load_seed_offsets(output_dir)


def add_retakes(output_dir: Path, ids: list[str], known: set[str], seeds_per_take: int) -> dict[str, int]:
    """Move each segment in `ids` past every seed it may have used (`seeds_per_take`: rounds × takes),
    record it in `OUT/retakes.json` and return all offsets. An id not in the book is one line."""
    unknown = sorted(set(ids) - known)
    if unknown:
        raise BarkbookError(f"--retake: no segment {', '.join(unknown)} in this manuscript "
                            f"(ids are in {REVIEW_FILE} and `barkbook segment`)")
    offsets = load_seed_offsets(output_dir)
    for segment in dict.fromkeys(ids):
        offsets[segment] = offsets.get(segment, 0) + seeds_per_take
    path = Path(output_dir) / RETAKE_FILE
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(offsets, indent=2, sort_keys=True) + "\n")
    return offsets
