"""`barkbook render`: a manuscript to finished audio, in three steps a person can follow.

1. The parser checks every option (flows/options.py): wrong values, paths, voices and models are refused in
   milliseconds, before anything loads.
2. While the temporary Prefect server starts, the pipeline loads and checks what only it can: the ISBN, the
   credits' wording, the speech checker, and the manuscript's text (read once here: ~0.1 s a novel).
3. The flow runs behind a progress bar; everything it logs goes to OUT/.state/barkbook.log (`-v`: to the terminal too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from bark_model.errors import BarkModelError
from flows.console import Session, fail
from flows.options import (AUTOCAST_DTYPES, CAST_MODES, COARSE_HISTORY, DEFAULTS, DEVICES, DTYPES, FLAG, FORMATS, MAX_ROUNDS,
                           MAX_TAKES, QC_MODES, SAMPLE_MINUTES, TARGETS, check_model_available, checked, choice,
                           complete_model, complete_voice, manuscript_argument, model_name, notes_option, output_folder,
                           retake_ids, stage_directions_option, voice_name)

def render(
    ctx: typer.Context,
    manuscript: Path = manuscript_argument(),
    out: Path = checked(DEFAULTS.output_dir, output_folder, "--out", "-o", metavar="FOLDER", help="Output folder (made if missing)."),
    model: str = checked(DEFAULTS.model, model_name, "--model", complete=complete_model, metavar="<small|large|random-tiny>|FOLDER", help="A Bark model (see `barkbook models`), or a folder of its files."),
    voice: Optional[str] = checked(None, voice_name, "--voice", complete=complete_voice, metavar="PRESET|FILE.npz|generate", help=f"The narrator: a preset (see `barkbook voices`; default: the manuscript's, else {DEFAULTS.voice}), a voice .npz, or 'generate' (made once, locked in OUT/voices/)."),
    cast: str = choice(DEFAULTS.cast, CAST_MODES, "Voices for the book's characters: auto (the main characters get presets of their own, gender-matched; written to BOOK.cast.csv for you to edit and pin), file (the voices pinned in BOOK.cast.csv, if any) or narrator (one voice for all).", "--cast"),
    fmt: Optional[str] = choice(None, FORMATS, "Formats to deliver (default: the target's; generic: wav).", "--format", several=True),
    target: str = choice(DEFAULTS.target, TARGETS, "Package for a platform: its formats, file names, splitting, folders and checks (see `barkbook targets`).", "--target"),
    cover: Optional[Path] = typer.Option(None, metavar="IMAGE", exists=True, dir_okay=False, readable=True, help="Cover image (default: the manuscript's, else a typographic one); made square, at least 2400 px."),
    no_credits: bool = typer.Option(False, "--no-credits", **FLAG, help="No spoken opening and closing credits."),
    credit_narrator: Optional[str] = typer.Option(None, metavar="TEXT", help="How the credits name the narrator (default: 'an AI voice')."),
    opening_credit: Optional[str] = typer.Option(None, metavar="TEMPLATE", help="Opening credit wording with {title} {author} {narrator} {contributors} (default: '{title}, written by {author}{contributors}, narrated by {narrator}.')."),
    closing_credit: Optional[str] = typer.Option(None, metavar="TEMPLATE", help="Closing credit wording, the same fields (default: 'You have been listening to …, The End.')."),
    sample_minutes: float = typer.Option(DEFAULTS.sample_minutes, metavar="MIN", min=SAMPLE_MINUTES[0], max=SAMPLE_MINUTES[1], help="Retail sample length in minutes, from the first chapter."),
    no_sample: bool = typer.Option(False, "--no-sample", **FLAG, help="No retail sample."),
    isbn: Optional[str] = typer.Option(None, metavar="ISBN", help="The audiobook's ISBN (default: the manuscript's); Google Play's files are named by it."),
    device: str = choice(DEFAULTS.device, DEVICES, "Where the model runs.", "--device"),
    dtype: str = choice(DEFAULTS.dtype, DTYPES, "The model's weights' precision.", "--dtype"),
    autocast: Optional[str] = choice(None, AUTOCAST_DTYPES, "Fast mode: the token stages under autocast; tokens and audio differ from the exact mode (default: off). For GPUs: slower on CPUs without bf16 units.", "--autocast"),
    max_coarse_history: Optional[int] = typer.Option(None, metavar="N", min=COARSE_HISTORY[0], max=COARSE_HISTORY[1], help="Coarse context in tokens (default: all 630, the exact mode); shorter is faster but changes the tokens and costs quality."),
    compile: bool = typer.Option(False, "--compile", **FLAG, help="torch.compile the decode steps (for GPUs, where each step is replayed as one CUDA graph): the first batch compiles for minutes; rounding differs slightly, so tokens may differ."),
    seed: int = typer.Option(DEFAULTS.seed, metavar="N", min=0, help="Sampling seed: same seed, same audio."),
    batch_size: Optional[int] = typer.Option(None, metavar="N", min=1, help="Segments generated together (default: as many as fit in free memory, at most 8 on CPU, 32 on GPU)."),
    qc: Optional[str] = choice(None, QC_MODES, "Checks of every take: speech (words heard and voice; default for real models), signal (duration, silence, level; default for random-tiny, which cannot speak) or off.", "--qc"),
    takes: int = typer.Option(DEFAULTS.takes, metavar="N", min=1, max=MAX_TAKES, help="Takes of every segment generated together (in one batch: for GPUs); the best is kept."),
    max_attempts: int = typer.Option(DEFAULTS.max_attempts, metavar="N", min=1, max=MAX_ROUNDS, help="Rounds of takes at most while a segment fails its checks."),
    notes: str = notes_option(),
    stage_directions: str = stage_directions_option(),
    retake: Optional[str] = checked(None, retake_ids, "--retake", metavar="ID[,ID…]", help="Render new takes of these segments (ids from OUT/review.csv; new seeds, recorded in OUT/retakes.json) and master their chapters again."),
    as_json: bool = typer.Option(False, "--json", **FLAG, help="Print the summary as JSON (and no progress bar)."),
    dry_run: bool = typer.Option(False, "--dry-run", **FLAG, help="Print the plan and a time estimate; generate nothing."),
    quiet: bool = typer.Option(False, "--quiet", "-q", **FLAG, help="Print errors and the summary only: no progress bar, no warnings."),
    verbose: bool = typer.Option(False, "--verbose", "-v", **FLAG, help="Show the run's log (Prefect's records) on the terminal too."),
) -> None:
    """Render a manuscript into chapter files, the whole book and a platform's package."""
    if quiet and verbose:
        fail("-q and -v ask for opposite things: choose one")
    if dry_run:
        print_plan(manuscript, model, device, autocast, voice, credits=not no_credits, cast=cast, notes=notes,
                   stage_directions=stage_directions)
        return
    console = Console(stderr=True)
    try:
        download = check_model_available(model)
    except BarkModelError as err:
        fail(str(err))
    if download and not quiet:
        console.print(f"barkbook: {download}", markup=False, highlight=False)
    given = dict(manuscript=manuscript, output_dir=out, model=model, voice=voice, cast=cast, device=device, dtype=dtype,
                 autocast=autocast, compile=compile, seed=seed, batch_size=batch_size, qc=qc, takes=takes,
                 max_attempts=max_attempts, notes=notes, stage_directions=stage_directions, target=target, cover=cover, isbn=isbn,
                 formats=fmt.split(",") if fmt else None, retake=retake.split(",") if retake else None,
                 max_coarse_history=max_coarse_history, sample_minutes=None if no_sample else sample_minutes)
    credits = None if no_credits else {"opening": opening_credit, "closing": closing_credit, "narrator": credit_narrator}
    render_checked(ctx.obj, console, given, credits, verbosity=-1 if quiet else int(verbose), as_json=as_json)


def render_checked(session: Session, console: Console, given: dict, credits: dict | None, *, verbosity: int,
                   as_json: bool) -> None:
    """Steps 2 and 3: the server starts while the pipeline loads and checks the request; then the flow runs."""
    from flows.local_server import LocalServer

    server = LocalServer.start()  # starts up while the pipeline imports below
    try:
        from flows.book_views import summary_lines
        from flows.progress_bar import progress_bar
        from flows.render_book import render_book
        from flows.request import request_from_options
        from flows.run_log import LOG_FILE, logging_to
        from tasks.core import BarkbookError

        try:
            request = request_from_options(given, credits)
            preflight(request)
        except (BarkbookError, BarkModelError) as err:
            fail(str(err))
        session.log = Path(request.output_dir) / LOG_FILE
        try:
            with server.serving(), logging_to(session.log, console, verbosity), \
                    progress_bar(console, shown=verbosity >= 0 and not as_json):
                summary = render_book(request)
        except (BarkbookError, BarkModelError) as err:
            fail(f"{err} (the run's log: {session.log})")
    finally:
        server.stop()
    typer.echo(summary.model_dump_json(indent=2) if as_json else "\n".join(summary_lines(
        summary, Path(given["output_dir"]), session.log if verbosity >= 0 else None)))


def preflight(request) -> None:
    """What only the pipeline can check, before the flow starts: the speech checker loads (when speech QC will
    run), and the manuscript and its lexicon read (the flow reads them again: ~0.1 s a novel)."""
    from tasks.manuscript import read_manuscript
    from tasks.qc import speech_qc_library
    from tasks.text import load_lexicon

    if request.qc_mode == "speech":
        speech_qc_library()
    load_lexicon(read_manuscript(request.manuscript, notes=request.notes, stage_directions=request.stage_directions))


def print_plan(manuscript: Path, model: str, device: str, autocast: str | None, voice: str | None, credits: bool,
               cast: str, notes: str = DEFAULTS.notes, stage_directions: str = DEFAULTS.stage_directions) -> None:
    """--dry-run: the book read (with its notes and stage-directions policies) and segmented, its cast,
    the voices, the credits and an estimate; nothing generated (a cast chosen `auto` is shown, not written)."""
    from flows.book_views import render_plan
    from flows.segment_command import read_and_segment
    from tasks.plan import cast_for, voice_map
    from tasks.text import NARRATOR
    from tasks.text.speakers import cast_voices

    book, _, segments = read_and_segment(manuscript, notes, stage_directions)
    narrator = voice_map(book, voice, None)[NARRATOR]
    roles = (cast_voices(book, segments, manuscript, narrator) if cast == "auto"
             else cast_for(book, segments, manuscript, narrator, cast))
    typer.echo(render_plan(book, segments, model, device, autocast, voice, credits, roles))
