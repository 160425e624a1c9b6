"""What the command prints about a book, for a person: its segments (`barkbook segment`), the plan of a render
(`--dry-run`) and what a render delivered (its summary). The book's minutes come from one place,
tasks.text.segments_summary (speech and the pauses after each segment, as the plan and the progress bar count)."""

from __future__ import annotations

import pydoc
import sys
from pathlib import Path

import pandas as pd

from tasks.core import counted
from tasks.deliver import RunSummary
from tasks.manuscript import Book
from tasks.plan import estimated_render_seconds, voice_map
from tasks.text import NARRATOR, segments_summary
from tasks.text.speakers import Role, cast_listing, voices_of


def segment_lines(segments: pd.DataFrame) -> list[str]:
    """Every segment, chapter by chapter: its place (chapter.segment), id (what --retake takes), speaker, seconds
    and spoken text."""
    lines = []
    for (index, title), rows in segments.groupby(["chapter_index", "chapter_title"], sort=True):
        lines.append(f"{index + 1}. {title}")
        width = max(len(s) for s in rows.speaker)
        lines += [f"  {index + 1}.{r.segment_index + 1:<4d} {r.id}  {r.speaker:<{width}}  {r.seconds:4.1f} s  {r.spoken}"
                  for r in rows.itertuples()]
    return lines


def show_long(text: str) -> None:
    """A page at a time through the pager ($PAGER, else less) on a terminal; all of it when piped."""
    if sys.stdout.isatty():
        pydoc.pager(text)
    else:
        sys.stdout.write(text + "\n")


def render_plan(book: Book, segments: pd.DataFrame, model: str, device: str, autocast: str | None,
                voice: str | None, credits: bool, cast: list[Role] = ()) -> str:
    """What a render would do: the book's chapters and minutes, its cast, the voice each speaker gets, the
    credits, and roughly how long it would take."""
    lines = [segments_summary(book, segments)]
    if cast:
        lines += ["Cast (gender, lines: voice):", *cast_listing(list(cast))]
    voices = voice_map(book, voice, voices_of(list(cast)))
    lines.append("Voices:")
    borrowed = 0
    for speaker, count in segments.speaker.value_counts().items():
        own = speaker in voices
        borrowed += not own
        lines.append(f"  {speaker}: {voices.get(speaker, voices[NARRATOR])}"
                     + ("" if own else " (the narrator's)") + f", {counted(count, 'segment')}")
    if borrowed >= 2:
        lines.append(f"{counted(borrowed, 'character')} read in the narrator's voice; --cast auto gives the main "
                     "characters voices of their own.")
    lines.append("Credits: an opening and a closing credit are spoken too (not counted above)" if credits
                 else "Credits: none (--no-credits)")
    estimate = estimated_render_seconds(float(segments.seconds.sum()), model, device, autocast)
    mode = f"{autocast} autocast" if autocast else "exact mode"
    lines.append(
        f"Estimated render time with {model} on {device}, {mode}: "
        + (f"about {estimate[0] / 60:.0f} min (rate measured on {estimate[1]})" if estimate is not None
           else "unknown (no measurement for it)")
        + "; cached segments are free."
    )
    return "\n".join(lines)


def summary_lines(summary: RunSummary, out: Path, log: Path | None) -> list[str]:
    """The run's counts and every file written, manifest.json included, and where the run's log is."""
    lines = [f"Rendered {counted(summary.rendered, 'segment')} ({summary.cached} from cache, {summary.retried} retried), "
             f"{counted(summary.chapters, 'chapter')}; wrote to {out}/:",
             f"Packaged for {summary.target}: narrator credit {summary.ai_narration!r}, cover {summary.cover}",
             f"{summary.qc}; {counted(summary.takes, 'take')} checked, {counted(summary.retakes, 'segment')} retaken, "
             f"{summary.review} left for review" + (f" (see {out}/review.csv)" if summary.review else "")]
    if summary.retaken_for:
        lines.append("Takes generated again, by what failed: "
                     + ", ".join(f"{kind} {count}" for kind, count in summary.retaken_for.items()))
    for entry in summary.files:
        lines.append(f"  {entry.path}" + (f"  ({entry.seconds:.1f} s)" if entry.seconds is not None else ""))
    lines.append(f"  {Path(summary.manifest).name}  (every file above, with its length, size and sha256)")
    lines.append(f"Delivery checks: {summary.checks}")
    if summary.out_of_spec:
        lines.append(f"{counted(len(summary.out_of_spec), 'file')} out of spec for {summary.target} "
                     f"(see manifest.json checks):")
        lines += [f"  {line}" for line in summary.out_of_spec]
    if summary.removed:
        lines.append(f"Removed {counted(len(summary.removed), 'file')} of an earlier run that this one no longer "
                     f"makes: " + ", ".join(summary.removed))
    if log is not None:
        lines.append(f"The run's log: {log}")
    return lines
