"""The book's review list: every segment whose best take still fails, where it starts in its chapter file
(`OUT/review.csv`, and a `review-<book>` markdown artifact), with the retake file and a person's decisions
(`OUT/review.json`: what the list was made with) when there are any."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from tasks.core import atomic_write_text, slugify
from tasks.master import ChapterResult, ReviewItem
from tasks.plan import DECISIONS_FILE, RETAKE_FILE, REVIEW_FILE


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
    return atomic_write_text(Path(output_dir) / REVIEW_FILE, buffer.getvalue())


@dataclass(frozen=True)
class ReviewList:
    """What the review step delivered: its files (the list, the retake file when there is one) and how
    many segments a person must listen to."""

    files: list[Path]
    segments: int


@task(name="review-list", cache_policy=NO_CACHE)
def write_review(title: str, chapters: list[ChapterResult], output_dir: Path,
                 approved: frozenset[str] = frozenset()) -> ReviewList:
    """The chapters' review items as `OUT/review.csv` and the `review-<book>` markdown artifact, less the
    takes a person heard and approved (`approved`: their cache keys, from OUT/review.json)."""
    items = [item for chapter in chapters for item in chapter.review if item.take not in approved]
    path = write_review_csv(items, output_dir)
    create_markdown_artifact(review_markdown(title, items), key=f"review-{slugify(title)}",
                             description=f"segments of {title} to listen to")
    kept = [Path(output_dir) / name for name in (RETAKE_FILE, DECISIONS_FILE)]
    return ReviewList([path, *(f for f in kept if f.is_file())], len(items))
