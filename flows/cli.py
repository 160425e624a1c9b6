"""The `barkbook` command: render a manuscript, or show how it will be segmented."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from flows import deployment_command, qc_command, review_command
from flows.console import fail
from flows.local_server import LocalServer
from tasks.plan.credits import CreditWording
from tasks.core.errors import BarkbookError
from tasks.master.formats import AUDIO_FORMATS as FORMATS
from tasks.plan.defaults import (DEFAULT_DEVICE, DEFAULT_DTYPE, DEFAULT_MAX_ATTEMPTS, DEFAULT_MODEL, DEFAULT_NOTES,
                            DEFAULT_OUTPUT_DIR, DEFAULT_SAMPLE_MINUTES, DEFAULT_SEED, DEFAULT_TAKES, DEFAULT_TARGET)

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

NOTES_OPTION = typer.Option(DEFAULT_NOTES, help="Footnotes and endnotes: skip (not read; counted in the report) or chapter-end (a chapter's notes read after its text).")


def parse_formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        fail(f"unknown format {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    return formats


def check_fast_modes(autocast: str | None, max_coarse_history: int | None) -> None:
    """An unknown autocast dtype or a coarse history out of range is one line, exit 2."""
    from bark_model.generation import AUTOCAST_DTYPES, check_coarse_history

    if autocast is not None and autocast not in AUTOCAST_DTYPES:
        fail(f"unknown --autocast {autocast}; choose from {', '.join(AUTOCAST_DTYPES)}")
    try:
        if max_coarse_history is not None:
            check_coarse_history(max_coarse_history)
    except ValueError as err:
        fail(f"--max-coarse-history {err}")


def check_takes(qc: str | None, takes: int, max_attempts: int) -> None:
    """An unknown --qc, or takes or rounds out of range, is one line, exit 2."""
    from tasks.qc.inspect import MAX_ROUNDS, MAX_TAKES, QC_MODES

    if qc is not None and qc not in QC_MODES:
        fail(f"unknown --qc {qc}; choose from {', '.join(QC_MODES)}")
    if not 1 <= takes <= MAX_TAKES:
        fail(f"--takes {takes} is not in 1..{MAX_TAKES}")
    if not 1 <= max_attempts <= MAX_ROUNDS:
        fail(f"--max-attempts {max_attempts} is not in 1..{MAX_ROUNDS}")


def check_speech_qc(qc: str | None, model: str) -> None:
    """Speech QC asked for (or the default for this model) but its checker cannot load: one line, exit 2."""
    from tasks.qc.inspect import default_qc_mode, default_speech_settings

    if (qc or default_qc_mode(model)) == "speech":
        try:
            default_speech_settings()
        except BarkbookError as err:
            fail(str(err))


def credit_wording(opening: str | None, closing: str | None, narrator: str) -> CreditWording:
    """The credits' wording from the options; a template with an unknown field is one line, exit 2."""
    given = {"opening": opening, "closing": closing}
    try:
        return CreditWording(narrator=narrator, **{k: v for k, v in given.items() if v is not None})
    except BarkbookError as err:
        fail(str(err))


def check_package(target: str, cover: Path | None, sample_minutes: float | None, isbn: str | None) -> None:
    """An unknown --target, a missing --cover, a sample length out of range or a wrong ISBN is one line, exit 2."""
    from tasks.manuscript.book import given_isbn
    from tasks.package.sample import check_sample_minutes
    from tasks.package.targets import target_named

    try:
        target_named(target)
        if isbn is not None:
            given_isbn(isbn)
        if sample_minutes is not None:
            check_sample_minutes(sample_minutes)
    except BarkbookError as err:
        fail(str(err))
    if cover is not None and not cover.is_file():
        fail(f"--cover {cover}: no such file")


@app.command()
def segment(
    manuscript: Path = typer.Argument(..., help="A .md, .txt or .epub file, or a folder of chapters."),
    notes: str = NOTES_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print the manifest and the report as one JSON object."),
) -> None:
    """Show the segments a manuscript splits into and what to check before rendering (nothing is generated)."""
    from tasks.text.report import book_report, report_lines
    from tasks.text.segment import manifest_json, manifest_summary

    book, lexicon, manifest = read_and_segment(manuscript, notes)
    report = book_report(book, lexicon=lexicon, manifest=manifest)
    if as_json:
        data = {"manifest": manifest_json(book, manifest), "report": report.as_json()}
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        typer.echo("\n".join([manifest_summary(book, manifest), *report_lines(report)]))


def read_and_segment(manuscript: Path, notes: str = DEFAULT_NOTES):
    """The book, its lexicon and its manifest; bad input is one line, exit 2."""
    from tasks.manuscript.ingest import read_manuscript
    from tasks.text.lexicon import load_lexicon
    from tasks.text.segment import segment_book

    try:
        book = read_manuscript(manuscript, notes=notes)
        lexicon = load_lexicon(book)
        return book, lexicon, segment_book(book, lexicon=lexicon)
    except BarkbookError as err:
        fail(str(err))


@app.command()
def render(
    manuscript: Path = typer.Argument(..., help="A .md, .txt or .epub file, or a folder of chapters."),
    out: Path = typer.Option(DEFAULT_OUTPUT_DIR, "--out", "-o", help="Output folder."),
    model: str = typer.Option(DEFAULT_MODEL, help="small, large, random-tiny, or a folder of checkpoints."),
    voice: Optional[str] = typer.Option(None, help="Preset (v2/en_speaker_6), a voice .npz, or 'generate' (made once, locked in OUT/voices/)."),
    fmt: Optional[str] = typer.Option(None, "--format", help="Comma-separated: wav, flac, mp3, m4b (default: the target's; generic: wav)."),
    target: str = typer.Option(DEFAULT_TARGET, help="Package for a platform: acx, google-play, spotify, findaway, audiobookshelf or generic (its formats, file names, splitting, folders and checks)."),
    cover: Optional[Path] = typer.Option(None, metavar="IMAGE", help="Cover image (default: the manuscript's, else a typographic one); made square, at least 2400 px."),
    no_credits: bool = typer.Option(False, "--no-credits", help="No spoken opening and closing credits."),
    credit_narrator: str = typer.Option(CreditWording.narrator, help="How the credits name the narrator."),
    opening_credit: Optional[str] = typer.Option(None, metavar="TEMPLATE", help=f"Opening credit wording with {{title}} {{author}} {{narrator}} {{contributors}} (default: '{CreditWording.opening}')."),
    closing_credit: Optional[str] = typer.Option(None, metavar="TEMPLATE", help="Closing credit wording, the same fields (default: 'You have been listening to …, The End.')."),
    sample_minutes: float = typer.Option(DEFAULT_SAMPLE_MINUTES, metavar="MIN", help="Retail sample length, 1..5 minutes, from the first chapter."),
    no_sample: bool = typer.Option(False, "--no-sample", help="No retail sample."),
    isbn: Optional[str] = typer.Option(None, help="The audiobook's ISBN (default: the manuscript's); Google Play's files are named by it."),
    device: str = typer.Option(DEFAULT_DEVICE, help="cpu or cuda."),
    dtype: str = typer.Option(DEFAULT_DTYPE, help="float32, bfloat16 or float16."),
    autocast: Optional[str] = typer.Option(None, help="Fast mode: the token stages under bfloat16 or float16 autocast; the tokens and audio differ from the exact mode (default: off). For GPUs: slower on CPUs without bf16 units."),
    max_coarse_history: Optional[int] = typer.Option(None, metavar="N", help="Coarse context in tokens, 60..630 (default: all 630, the exact mode); shorter is faster but changes the tokens and costs quality."),
    compile: bool = typer.Option(False, "--compile", help="torch.compile the decode steps (for GPUs, where each step is replayed as one CUDA graph): the first batch compiles for minutes; rounding differs slightly from an uncompiled run, so tokens may differ."),
    seed: int = typer.Option(DEFAULT_SEED, help="Sampling seed: same seed, same audio."),
    batch_size: Optional[int] = typer.Option(None, help="Segments generated together (default: as many as fit in free memory, at most 8 on CPU, 32 on GPU)."),
    qc: Optional[str] = typer.Option(None, help="Checks of every take: speech (words heard and voice; default for real models), signal (duration, silence, level; default for random-tiny, which cannot speak) or off."),
    takes: int = typer.Option(DEFAULT_TAKES, metavar="N", help="Takes of every segment generated together (in one batch: for GPUs), 1..32; the best is kept."),
    max_attempts: int = typer.Option(DEFAULT_MAX_ATTEMPTS, metavar="N", help="Rounds of takes at most while a segment fails its checks, 1..20."),
    notes: str = NOTES_OPTION,
    retake: Optional[str] = typer.Option(None, metavar="ID[,ID…]", help="Render new takes of these segments (ids from OUT/review.csv; new seeds, recorded in OUT/retakes.json) and master their chapters again."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the plan and a time estimate; generate nothing."),
) -> None:
    """Render a manuscript into chapter files and the whole book."""
    formats = parse_formats(fmt) if fmt is not None else None
    check_takes(qc, takes, max_attempts)
    credits = None if no_credits else credit_wording(opening_credit, closing_credit, credit_narrator)
    check_package(target, cover, None if no_sample else sample_minutes, isbn)
    server = None if dry_run else LocalServer.start()  # starts up while the pipeline imports below
    try:
        check_fast_modes(autocast, max_coarse_history)
        if dry_run:
            book, _, manifest = read_and_segment(manuscript, notes)
            typer.echo(render_plan(manuscript, book, manifest, model, device, autocast, voice))
            return
        check_speech_qc(qc, model)
        from bark_model.errors import BarkModelError
        from flows.render_book import render_book
        from flows.request import RenderRequest

        try:
            request = RenderRequest(
                manuscript=manuscript, notes=notes, voice=voice, model=model, device=device, dtype=dtype,
                autocast=autocast, compile=compile, seed=seed, batch_size=batch_size, formats=formats, output_dir=out,
                qc=qc, takes=takes, max_attempts=max_attempts,
                retake=[i.strip() for i in retake.split(",") if i.strip()] if retake else None,
                target=target, cover=cover, credits=credits, sample_minutes=None if no_sample else sample_minutes,
                isbn=isbn, **({} if max_coarse_history is None else {"max_coarse_history": max_coarse_history}))
            with server.serving(), progress_bar(quiet=as_json):
                summary = render_book(request)
        except (BarkbookError, BarkModelError) as err:
            fail(str(err))
        print_summary(summary, out, as_json)
    finally:
        if server:
            server.stop()


def print_summary(summary, out: Path, as_json: bool) -> None:
    """The run's counts and every file written (a `RunSummary`), or the summary as JSON."""
    if as_json:
        typer.echo(summary.model_dump_json(indent=2))
        return
    typer.echo(f"Rendered {summary.rendered} segments ({summary.cached} from cache, {summary.retried} retried), "
               f"{summary.chapters} chapters; wrote to {out}/:")
    typer.echo(f"Packaged for {summary.target}: narrator credit {summary.ai_narration!r}, cover {summary.cover}")
    typer.echo(f"{summary.qc}; {summary.takes} takes checked, {summary.retakes} segments retaken, "
               f"{summary.review} left for review" + (f" (see {out}/review.csv)" if summary.review else ""))
    for entry in summary.files:
        length = f"  ({entry.seconds:.1f} s)" if entry.seconds is not None else ""
        typer.echo(f"  {entry.path}{length}")
    typer.echo(f"Delivery checks: {summary.checks}")
    if summary.out_of_spec:
        typer.echo(f"{len(summary.out_of_spec)} files out of spec for {summary.target} (see manifest.json checks):")
        for line in summary.out_of_spec:
            typer.echo(f"  {line}")
    if summary.removed:
        typer.echo(f"Removed {len(summary.removed)} files of an earlier run that this one no longer makes: "
                   + ", ".join(summary.removed))


def render_plan(manuscript: Path, book, manifest, model: str, device: str, autocast: str | None = None,
                voice: str | None = None) -> str:
    """What a render would do: chapters, the voice each speaker gets, and roughly how long it would take."""
    from tasks.plan.planning import estimated_render_seconds, voice_map
    from tasks.text.speakers import NARRATOR

    audio_s = float(manifest.seconds.sum() + manifest.pause_after.sum())
    lines = [f"{manuscript}: {len(manifest)} segments, about {audio_s / 60:.1f} min of audio"]
    for (index, title), rows in manifest.groupby(["chapter_index", "chapter_title"], sort=True):
        lines.append(f"  {index + 1:2d}. {title}: {len(rows)} segments, {rows.seconds.sum() / 60:.1f} min")
    voices = voice_map(book, voice, None)
    lines.append("Voices:")
    for speaker, count in manifest.speaker.value_counts().items():
        own = speaker in voices
        lines.append(f"  {speaker}: {voices.get(speaker, voices[NARRATOR])}"
                     + ("" if own else " (the narrator's)") + f", {count} segment{'s' * (count != 1)}")
    estimate = estimated_render_seconds(float(manifest.seconds.sum()), model, device, autocast)
    mode = f"{autocast} autocast" if autocast else "exact mode"
    lines.append(
        f"Estimated render time with {model} on {device}, {mode}: "
        + (f"about {estimate[0] / 60:.0f} min (rate measured on {estimate[1]})" if estimate is not None
           else "unknown (no measurement for it)")
        + "; cached segments are free."
    )
    return "\n".join(lines)


@contextlib.contextmanager
def progress_bar(quiet: bool):
    """A rich progress bar fed by the flow's events (segments, audio minutes, ETA): its totals are the plan's
    (credits included), which the flow reports once it has planned the book."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from tasks.render import progress as events

    if quiet:
        yield
        return
    columns = (
        TextColumn("[bold]rendering"), BarColumn(), MofNCompleteColumn(), TextColumn("segments"),
        TextColumn("{task.fields[minutes]:.1f}/{task.fields[total_minutes]:.1f} min audio"),
        TextColumn("ETA"), TimeRemainingColumn(),
    )
    with Progress(*columns, transient=False, console=Console(stderr=True)) as bar:
        task = bar.add_task("render", total=None, minutes=0.0, total_minutes=0.0)

        def advance(event):
            if isinstance(event, events.BookPlanned):
                bar.update(task, total=event.segments, total_minutes=event.seconds / 60)
                return
            minutes = bar.tasks[0].fields["minutes"] + event.seconds / 60
            bar.update(task, advance=1, minutes=minutes)

        events.add_listener(advance)
        try:
            yield
        finally:
            events.remove_listener(advance)


app.command("qc")(qc_command.qc)
app.command("run-deployment")(deployment_command.run_deployment_command)
app.command("review")(review_command.review)


def main() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no telemetry from a CLI run
    app()
