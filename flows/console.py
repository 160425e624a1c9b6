"""What every `barkbook` command prints when it must stop: one line on stderr, and its exit status — 2 for
input it cannot use, 1 for a failure nobody foresaw (a bug: its traceback goes to a file the line names)."""

from __future__ import annotations

import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import typer

BUG_EXIT = 1
WRONG_INPUT_EXIT = 2


@dataclass
class Session:
    """One run of the command, shared by its parts through the click context: where the run's log is, once a
    render has opened one (an unforeseen error's traceback is appended there)."""

    log: Path | None = None


def say_error(message: str) -> None:
    """`barkbook: error: <message>` on stderr, on one line."""
    typer.echo(f"barkbook: error: {' '.join(str(message).split())}", err=True)


def fail(message: str) -> NoReturn:
    """Print one line for a person and exit 2: bad input is not a traceback."""
    say_error(message)
    raise typer.Exit(WRONG_INPUT_EXIT)


def crashed(error: BaseException, session: Session) -> int:
    """An error no check foresaw: its traceback is appended to the run's log (else a new file in the temp
    folder) and one line names the error and the file; the exit status."""
    text = "".join(traceback.format_exception(error))
    try:
        if session.log is not None and session.log.parent.is_dir():
            with session.log.open("a", encoding="utf-8") as log:
                log.write(text)
            where = session.log
        else:
            with tempfile.NamedTemporaryFile("w", prefix="barkbook-error-", suffix=".log", delete=False) as log:
                log.write(text)
            where = Path(log.name)
    except OSError:
        where = None
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    say_error(f"unexpected {type(error).__name__}" + (f": {detail}" if detail else "")
              + (f" (a bug: please report it with the traceback in {where})" if where else ""))
    return BUG_EXIT
