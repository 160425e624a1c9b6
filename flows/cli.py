"""The `barkbook` command: render manuscripts into audiobooks with Suno's Bark, see how a book will be read,
check takes, and list the voices, models and platforms the options take.

Wrong input never meets a traceback: the parser refuses it in one line (`barkbook: error: …`, exit 2), most of
it before anything heavy loads; an error nobody foresaw is one line too (exit 1), its traceback in a file."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys
from collections.abc import Sequence

import typer

from flows import deployment_command, listing, qc_command, render_command, review_command, segment_command
from flows.console import WRONG_INPUT_EXIT, Session, crashed, say_error
from flows.options import FLAG

INTERRUPTED = 130

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help="Manuscripts to finished audiobooks with Suno's "
                  "Bark: `barkbook render BOOK.md` (see `barkbook render --help`).",
                  context_settings={"help_option_names": ["-h", "--help"]})


def version_text() -> str:
    """barkbook's version and those of what it runs on (read from the installed metadata: nothing imported)."""
    def installed(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    return (f"barkbook {installed('barkbook')} (Python {platform.python_version()}, torch {installed('torch')}, "
            f"prefect {installed('prefect')})")


def show_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


@app.callback()
def barkbook(ctx: typer.Context,
             version: bool = typer.Option(False, "--version", **FLAG, is_eager=True, callback=show_version,
                                          help="Print barkbook's version and exit.")) -> None:
    ctx.obj = ctx.obj or Session()


app.command("render", short_help="Render a manuscript into an audiobook.")(render_command.render)
app.command("segment", short_help="Show how a manuscript will be read, segment by segment.")(segment_command.segment)
app.command("qc", short_help="Check what audio takes say and who says them.")(qc_command.qc)
app.command("voices", short_help="List the voices --voice takes.")(listing.voices)
app.command("models", short_help="List the models --model takes: cached or not, where.")(listing.models)
app.command("targets", short_help="List the platforms --target packages for, and their rules.")(listing.targets)
app.command("review", short_help="Open the review desk: hear, fix and re-render flagged takes in a browser.")(
    review_command.review)
app.command("run-deployment", short_help="Start a deployment run (--watch: wait and explain a failure).")(
    deployment_command.run_deployment_command)


def usage_line(error: typer.TyperException) -> str:
    """A parser's refusal as one line, with the help that lists the right values."""
    context = getattr(error, "ctx", None)
    hint = f" (see `{context.command_path} --help`)" if context is not None else ""
    return error.format_message().rstrip(".") + hint


def run(args: Sequence[str] | None = None) -> int:
    """Run the command line (`args`, else sys.argv's); its exit status: 0 done, 1 a failure nobody foresaw, 2 input
    it cannot use, 130 interrupted."""
    args = list(sys.argv[1:] if args is None else args) or ["--help"]
    session = Session()
    try:
        status = typer.main.get_command(app).main(args=args, prog_name="barkbook", standalone_mode=False, obj=session)
        if status == INTERRUPTED:  # typer's answer to Ctrl-C
            say_error("interrupted")
        return status if isinstance(status, int) else 0
    except typer.TyperException as error:  # the parser's: a wrong option, value or argument
        say_error(usage_line(error))
        return WRONG_INPUT_EXIT if error.exit_code == 2 else error.exit_code
    except (typer.Abort, KeyboardInterrupt):
        say_error("interrupted")
        return INTERRUPTED
    except Exception as error:  # noqa: BLE001 — a bug: one line for the person, the traceback in a file
        return crashed(error, session)


def main() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no telemetry from a CLI run: not the
    os.environ.setdefault("DO_NOT_TRACK", "1")  # temporary server's, nor the client's (and no notice about it)
    sys.exit(run())


if __name__ == "__main__":
    main()
