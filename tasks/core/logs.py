"""The logger of whatever is running: a Prefect run's (its lines reach the run's page), else a plain one."""

from __future__ import annotations

import logging

from prefect import get_run_logger
from prefect.exceptions import MissingContextError


def run_logger() -> logging.Logger | logging.LoggerAdapter:
    """The current run's logger, else `barkbook`'s: a task's function called directly (a test, a script)
    logs too instead of failing."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("barkbook")
