"""The book summary artifact: what a render delivered, on the book run's page, for the person who
listens next — files with lengths and sizes, the output folder, total length, segments rendered,
cached and retaken, QC failures with a link to the review list, and delivery checks.

It reads the summary `deliver_manifest` returns: every file with its `kind` and, for the audio files the
delivery checks measured, `checks` (the problems found, none: "ok"); the book's `checks` verdict line.
"""

from __future__ import annotations

from pathlib import Path

from prefect.artifacts import Artifact, create_markdown_artifact
from prefect.settings import PREFECT_UI_URL

from tasks.core import seconds_clock, slugify

from .manifest import RunSummary


def size_text(size: int | None) -> str:
    if size is None:
        return "—"
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def length_text(seconds: float | None) -> str:
    return "—" if seconds is None else seconds_clock(seconds, rounding="nearest", hours=False)


def checks_text(problems: list[str] | str | None) -> str:
    """A delivery-check cell: "ok", the problems found, the book's verdict line, or "—" (not checked)."""
    if problems is None:
        return "—"
    if isinstance(problems, str):
        return problems
    return "; ".join(problems).replace("|", "/") or "ok"


def review_key(title: str) -> str:
    return f"review-{slugify(title)}"  # the key tasks/deliver/review.py gives the review list


def review_link(title: str, review_url: str | None) -> str:
    """A link to the review list's artifact page (its key in plain text without one)."""
    return f"[review list]({review_url})" if review_url else f"review list (artifact `{review_key(title)}`)"


def review_url(title: str) -> str | None:
    """The UI page of the latest `review-<book>` artifact (the key's own page lists versions, not content)."""
    ui_url = PREFECT_UI_URL.value()
    latest = Artifact.get(review_key(title)) if ui_url else None
    return f"{ui_url.rstrip('/')}/artifacts/artifact/{latest.id}" if latest else None


def summary_markdown(summary: RunSummary, review_url: str | None = None) -> str:
    """The summary as markdown (pure: what the artifact shows)."""
    folder = Path(summary.manifest).parent
    lengths = [f.seconds for f in summary.files if f.seconds is not None]
    total = max(lengths) if lengths else summary.audio_seconds  # the whole-book file is the longest
    review = summary.review
    lines = [
        f"## {summary.title}" + (f" — {summary.author}" if summary.author else ""),
        "",
        f"- **Output folder:** `{folder}`",
        f"- **Total length:** {length_text(total)} ({summary.chapters} chapters)",
        f"- **Segments:** {summary.segments} — {summary.rendered} rendered, {summary.cached} cached, "
        f"{summary.retried} needed another round of takes, {summary.retakes} retaken on request; "
        f"{summary.takes} takes checked",
        f"- **QC failures:** {review} segment{'s' if review != 1 else ''} to listen to — "
        f"{review_link(summary.title, review_url)} ({summary.qc})",
        f"- **Takes retaken, by what failed:** "
        + (", ".join(f"{kind} {count}" for kind, count in summary.retaken_for.items()) or "none"),
        f"- **Delivery checks:** {checks_text(summary.checks)}",
        "",
        "| file | kind | length | size | checks |",
        "|---|---|---|---|---|",
        *(f"| `{f.path}` | {f.kind} | {length_text(f.seconds)} | {size_text(f.bytes)} | {checks_text(f.checks)} |"
          for f in summary.files),
    ]
    return "\n".join(lines) + "\n"


def publish_summary(summary: RunSummary) -> RunSummary:
    """The `book-<slug>` markdown artifact on the current (book) run; returns `summary` unchanged."""
    create_markdown_artifact(summary_markdown(summary, review_url(summary.title)), key=f"book-{slugify(summary.title)}",
                             description=f"what the render of {summary.title} delivered")
    return summary
