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

from .plan import slugify


def size_text(size: int | None) -> str:
    if size is None:
        return "—"
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def length_text(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def checks_text(problems: list[str] | str | None) -> str:
    """A delivery-check cell: "ok", the problems found, the book's verdict line, or "—" (not checked)."""
    if problems is None:
        return "—"
    if isinstance(problems, str):
        return problems
    return "; ".join(problems).replace("|", "/") or "ok"


def review_key(title: str) -> str:
    return f"review-{slugify(title)}"  # the key tasks/review.py gives the review list


def review_link(title: str, review_url: str | None) -> str:
    """A link to the review list's artifact page (its key in plain text without one)."""
    return f"[review list]({review_url})" if review_url else f"review list (artifact `{review_key(title)}`)"


def review_url(title: str) -> str | None:
    """The UI page of the latest `review-<book>` artifact (the key's own page lists versions, not content)."""
    ui_url = PREFECT_UI_URL.value()
    latest = Artifact.get(review_key(title)) if ui_url else None
    return f"{ui_url.rstrip('/')}/artifacts/artifact/{latest.id}" if latest else None


def summary_markdown(summary: dict, review_url: str | None = None) -> str:
    """The summary as markdown (pure: what the artifact shows)."""
    files = summary.get("files", [])
    folder = Path(summary["manifest"]).parent if summary.get("manifest") else None
    lengths = [f["seconds"] for f in files if f.get("seconds") is not None]
    total = max(lengths) if lengths else summary.get("audio_seconds")  # the whole-book file is the longest
    review = summary.get("review", 0)
    lines = [
        f"## {summary.get('title', 'Untitled')}" + (f" — {summary['author']}" if summary.get("author") else ""),
        "",
        f"- **Output folder:** `{folder}`" if folder else "- **Output folder:** —",
        f"- **Total length:** {length_text(total)} ({summary.get('chapters', 0)} chapters)",
        f"- **Segments:** {summary.get('segments', 0)} — {summary.get('rendered', 0)} rendered, "
        f"{summary.get('cached', 0)} cached, {summary.get('retried', 0)} needed another round of takes, "
        f"{summary.get('retakes', 0)} retaken on request; {summary.get('takes', 0)} takes checked",
        f"- **QC failures:** {review} segment{'s' if review != 1 else ''} to listen to — "
        f"{review_link(summary.get('title', ''), review_url)}" + (f" ({summary['qc']})" if summary.get("qc") else ""),
        f"- **Delivery checks:** {checks_text(summary.get('checks'))}" if "checks" in summary else None,
        "",
        "| file | kind | length | size | checks |",
        "|---|---|---|---|---|",
        *(f"| `{f['path']}` | {f.get('kind', f.get('format', ''))} | {length_text(f.get('seconds'))} "
          f"| {size_text(f.get('bytes'))} | {checks_text(f.get('checks'))} |" for f in files),
    ]
    return "\n".join(line for line in lines if line is not None) + "\n"


def publish_summary(summary: dict) -> dict:
    """The `book-<slug>` markdown artifact on the current (book) run; returns `summary` unchanged."""
    title = summary.get("title", "book")
    create_markdown_artifact(summary_markdown(summary, review_url(title)), key=f"book-{slugify(title)}",
                             description=f"what the render of {title} delivered")
    return summary
