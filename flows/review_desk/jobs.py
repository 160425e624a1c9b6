"""The desk's renders: one at a time, in a thread, through the same `render_book` the CLI runs — in this process
(with a temporary Prefect server when none is configured, as `barkbook render` does) or, with a Prefect
server configured, as a run of the render-book deployment on the render workers. The page polls `status`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Literal

from prefect import get_client
from prefect.deployments import run_deployment

from flows.deployment_command import reason
from flows.local_server import LocalServer
from flows.render_book import render_book
from flows.request import RenderRequest
from tasks.core import BarkbookError
from tasks.render import BookPlanned, add_listener, remove_listener
from tasks.render.progress import segments_line

from .words import plural

Report = Callable[[str], None]  # a runner says how far it got, in a line
Runner = Callable[[RenderRequest, Report], str]  # renders the request; returns the result in a line
DEPLOYMENT = "render-book/render-book"
POLL_S = 2.0


class Busy(BarkbookError):
    """A render is already running."""


@dataclass
class JobStatus:
    state: Literal["idle", "running", "done", "failed"] = "idle"
    what: str = ""  # what the render is for: "retake of segment …"
    progress: str = ""
    message: str = ""  # the result, or why it failed, in a line
    number: int = 0  # counts the desk's renders: the page reloads when one it saw running has ended
    started: float | None = None
    ended: float | None = None


class RenderJobs:
    """Starts renders one at a time and keeps the status of the latest."""

    def __init__(self, runner: Runner):
        self.runner = runner
        self._status = JobStatus()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def status(self) -> dict:
        with self._lock:
            return asdict(self._status)

    def check_free(self) -> None:
        """Busy, naming it, while a render runs."""
        with self._lock:
            if self._status.state == "running":
                raise Busy(f"a render is running ({self._status.what}); wait until it ends")

    def start(self, what: str, request: RenderRequest, then: Callable[[], None]) -> None:
        """Render `request` in a thread, then call `then` (the desk reloads the book); Busy while one runs."""
        with self._lock:
            if self._status.state == "running":
                raise Busy(f"a render is running ({self._status.what}); wait until it ends")
            self._status = JobStatus("running", what, "starting", number=self._status.number + 1, started=time.time())
        self._thread = threading.Thread(target=self._run, args=(request, then), name="desk-render", daemon=True)
        self._thread.start()

    def _run(self, request: RenderRequest, then: Callable[[], None]) -> None:
        try:
            message, state = self.runner(request, self._report), "done"
        except Exception as err:  # noqa: BLE001 — any failure is shown on the page as its one line
            message, state = one_line(err), "failed"
        try:
            then()
        except Exception as err:  # noqa: BLE001
            message, state = f"{message}; the book could not be read again ({err})", "failed"
        with self._lock:
            self._status.state, self._status.message, self._status.ended = state, message, time.time()

    def _report(self, line: str) -> None:
        with self._lock:
            self._status.progress = line

    def wait(self, timeout_s: float | None = None) -> None:
        """Until the latest render has ended (tests, and the command on its way out)."""
        if self._thread is not None:
            self._thread.join(timeout_s)


def one_line(error: BaseException) -> str:
    """An error as a person reads it: ours as its message, another with its kind."""
    text = (str(error).strip().splitlines() or [""])[0]
    return text if isinstance(error, BarkbookError) else f"{type(error).__name__}: {text}"


def summary_line(summary) -> str:
    """A `RunSummary` as the page says it."""
    return (f"{plural(summary.rendered, 'segment')} rendered, {summary.cached} from cache; "
            f"{summary.review} left for review")


class InProcess:
    """Renders in this process, as `barkbook render` does: with a temporary Prefect server (started on the first
    render, stopped by `close`) unless one is configured; progress from the render's events."""

    def __init__(self):
        self.server: LocalServer | None = None

    def __call__(self, request: RenderRequest, report: Report) -> str:
        self.server = self.server or LocalServer.start()
        counts = {"total": 0, "done": 0, "cached": 0}

        def listen(event) -> None:
            if isinstance(event, BookPlanned):
                counts["total"] = event.segments
            else:
                counts["done"] += 1
                counts["cached"] += event.cached
            report(segments_line(counts["done"], counts["total"], counts["cached"]))

        add_listener(listen)
        try:
            with self.server.serving():
                return summary_line(render_book(request.model_copy(update={"chapter_deployment": None})))
        finally:
            remove_listener(listen)

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()


class OnDeployment:
    """Starts a run of the render-book deployment on the configured server (its render workers) and waits for
    it to end, reporting its state."""

    def __init__(self, name: str = DEPLOYMENT):
        self.name = name

    def __call__(self, request: RenderRequest, report: Report) -> str:
        flow_run = run_deployment(self.name, parameters={"request": request.model_dump(mode="json")}, timeout=0)
        report(f"{flow_run.name}: scheduled on the render workers")
        with get_client(sync_client=True) as client:
            while True:
                state = client.read_flow_run(flow_run.id).state
                report(f"{flow_run.name}: {state.name if state else 'starting'}")
                if state is not None and state.is_final():
                    if not state.is_completed():
                        raise BarkbookError(f"run {flow_run.name} {state.name.lower()}: {reason(state)}")
                    return f"run {flow_run.name} of {self.name} completed"
                time.sleep(POLL_S)

    def close(self) -> None:
        pass
