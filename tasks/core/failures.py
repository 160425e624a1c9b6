"""Our own errors read as one line in the run's logs, as they do in its state message.

A `BarkbookError` names the file and the problem for a person to fix (a missing manuscript, an
unknown voice); the stack of Prefect's engine under it helps nobody, and three copies of it (task,
flow, engine) bury the reason on the run's Logs tab. `quiet_our_tracebacks` installs a filter on
Prefect's run loggers that keeps the record and its message ("Task run failed with exception:
ManuscriptError('… does not exist')") and drops the traceback of our errors only; any other exception
keeps its traceback. Logging is process-wide, so this is done once, when the flows are imported.
"""

from __future__ import annotations

import logging

from .errors import BarkbookError

RUN_LOGGERS = ("prefect.task_runs", "prefect.flow_runs", "prefect.engine", "prefect.flow_engine", "prefect.task_engine")


class OurErrorsInOneLine(logging.Filter):
    """Drop the traceback of a record whose exception is a BarkbookError (the record itself stays)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], BarkbookError):
            record.exc_info, record.exc_text = None, None
        return True


def quiet_our_tracebacks() -> None:
    """Install the filter on Prefect's run loggers (idempotent)."""
    for name in RUN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OurErrorsInOneLine) for f in logger.filters):
            logger.addFilter(OurErrorsInOneLine())
