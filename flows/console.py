"""What every `barkbook` command prints when it must stop: one line on stderr and exit status 2."""

from __future__ import annotations

import typer


def fail(message: str) -> None:
    """Print one line for a person and exit non-zero: bad input is not a traceback."""
    typer.echo(f"barkbook: error: {message}", err=True)
    raise typer.Exit(2)
