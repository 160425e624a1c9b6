"""Where a render's log records go: all of them to a log file in the output folder; on the terminal only what
the person asked for — the run's warnings (default), everything (`-v`) or nothing (`-q`). Errors are the
command's one line, not log records (they are in the file, with their tracebacks)."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator
from pathlib import Path

from prefect.logging.formatters import PrefectFormatter
from prefect.logging.handlers import PrefectConsoleHandler
from rich.console import Console

LOG_FILE = ".state/barkbook.log"  # in the output folder, appended to by every render of it (not a delivered file)
RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")  # the run's own records: where warnings come from


def prefect_formatter(datefmt: str | None = None) -> logging.Formatter:
    """Prefect's standard format: a run's records name the run ("Flow run 'aesop · out' - …")."""
    return PrefectFormatter("%(asctime)s | %(levelname)-7s | %(name)s - %(message)s", datefmt,
                            flow_run_fmt="%(asctime)s | %(levelname)-7s | Flow run %(flow_run_name)r - %(message)s",
                            task_run_fmt="%(asctime)s | %(levelname)-7s | Task run %(task_run_name)r - %(message)s",
                            defaults={"flow_run_name": "?", "task_run_name": "?"})  # a record logged outside a run


class ConsoleLines(logging.Handler):
    """Log records as lines of a rich Console (printed above a live progress bar, not through it)."""

    def __init__(self, console: Console, formatter: logging.Formatter, level: int):
        super().__init__(level)
        self.console = console
        self.setFormatter(formatter)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.console.print(self.format(record), markup=False, highlight=False, soft_wrap=True)
        except Exception:  # noqa: BLE001 — logging must never take the render down
            self.handleError(record)


class RunWarnings(logging.Filter):
    """Only the run's warnings (its errors end the command, which says them in one line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno == logging.WARNING and record.name.startswith(RUN_LOGGERS)


def terminal_handler(console: Console, verbosity: int) -> logging.Handler | None:
    """What the terminal shows: -1 (quiet) nothing, 0 the run's warnings, 1 (verbose) every record, as Prefect
    formats them."""
    if verbosity < 0:
        return None
    if verbosity > 0:
        return ConsoleLines(console, prefect_formatter("%H:%M:%S"), logging.INFO)
    handler = ConsoleLines(console, logging.Formatter("barkbook: warning: %(message)s"), logging.WARNING)
    handler.addFilter(RunWarnings())
    return handler


@contextlib.contextmanager
def logging_to(path: Path, console: Console, verbosity: int) -> Iterator[Path]:
    """Inside the block every log record reaching the root logger is appended to `path` and the terminal shows
    what `verbosity` asks for (Prefect's own stderr handler is set aside); all is as it was afterwards."""
    root = logging.getLogger()
    prefect_consoles = [h for h in root.handlers if isinstance(h, PrefectConsoleHandler)]
    path.parent.mkdir(parents=True, exist_ok=True)
    to_file = logging.FileHandler(path, encoding="utf-8")
    to_file.setFormatter(prefect_formatter())
    to_terminal = terminal_handler(console, verbosity)
    to_file.stream.write(f"--- barkbook render, {time.strftime('%Y-%m-%d %H:%M:%S')} ---\n")
    for handler in prefect_consoles:
        root.removeHandler(handler)
    root.addHandler(to_file)
    if to_terminal:
        root.addHandler(to_terminal)
    logging.captureWarnings(True)  # Python's warnings (torch's, say) go to the file too, not across the bar
    try:
        yield path
    finally:
        logging.captureWarnings(False)
        root.removeHandler(to_file)
        if to_terminal:
            root.removeHandler(to_terminal)
        for handler in prefect_consoles:
            root.addHandler(handler)
        to_file.close()
