"""Chapter fan-out: a book's chapters as sub-flows of its run (one engine batching across them) or as runs
of the chapter deployment that several workers share, waited on with deadlines; crashed runs scheduled
again; a busy server's refusals tried again."""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar
from uuid import UUID

import httpx
from prefect import Flow, get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, FlowRunFilterParentFlowRunId
from prefect.client.schemas.objects import FlowRun
from prefect.context import FlowRunContext
from prefect.deployments import run_deployment
from prefect.states import AwaitingRetry, Cancelled, Cancelling

from flows.request import CHAPTER_TIMEOUT_S, PICKUP_TIMEOUT_S
from tasks.core import BarkbookError, retrying, run_logger
from tasks.master import ChapterResult
from tasks.plan import ChapterPlan, book_tag, chapter_run_name
from tasks.render import BookProgress, EngineTaskRunner

CHAPTERS_AT_ONCE = 3  # in-process chapters rendering together: enough to keep the engine's batches full
API_PAGE = 200  # flow runs one read returns at most (the server's default limit)
SERVER_RETRY_DELAYS_S = (10.0, 30.0, 90.0)  # a chapter tried again after a busy server failed it (client retries spent)
BUSY_SERVER = "a server on SQLite refuses writes when busy: PostgreSQL does not, see the README's service recipe"
CRASH_RETRIES = 2  # times a Crashed chapter run (its process, worker or machine lost) is scheduled again
Made = TypeVar("Made")


def render_chapters_here(chapter_flow: Flow, chapters: list[ChapterPlan], output_dir: Path,
                         cache_dir: Path | str) -> list[ChapterResult]:
    """Chapters as sub-flows (`chapter_flow`) of this run, side by side, so one engine batches segments across
    them. Each runs in a copy of this thread's context: that is what makes it a sub-flow of this run, carries
    the Prefect settings (API URL) in force here, and lends it the book run's engine pool."""
    chapter_flow = chapter_flow.with_options(task_runner=EngineTaskRunner(), persist_result=False)
    named = [chapter_flow.with_options(flow_run_name=lambda name=chapter_run_name(c): name) for c in chapters]
    with ThreadPoolExecutor(max_workers=CHAPTERS_AT_ONCE, thread_name_prefix="chapter") as pool:
        runs = [pool.submit(contextvars.copy_context().run, with_server_retries,
                            functools.partial(run, chapter, output_dir, cache_dir), f"chapter {chapter.slug}")
                for run, chapter in zip(named, chapters)]
        return [run.result() for run in runs]


def transient(err: BaseException) -> bool:
    """A server error a later try may not meet: 5xx (a busy SQLite answers 503) or a dropped connection."""
    if isinstance(err, httpx.HTTPStatusError):
        return err.response.status_code >= 500
    return isinstance(err, httpx.TransportError)


def server_failure(err: httpx.HTTPError) -> str:
    """A failed request in a few words: the status the server answered, or what the connection met."""
    if isinstance(err, httpx.HTTPStatusError):
        return f"{err.response.status_code} {err.response.reason_phrase}"
    return f"{type(err).__name__}: {str(err)[:120]}"


def with_server_retries(run: Callable[[], Made], what: str, delays_s=SERVER_RETRY_DELAYS_S, sleep=time.sleep) -> Made:
    """`run()`, tried again after each delay while the Prefect server fails it transiently (its client's own
    retries spent): a chapter's finished segments are cached, so a new try costs only what was left. Then
    one line naming `what`, not a traceback."""
    try:
        return retrying(run, what, delays_s, transient, sleep=sleep,
                        explain=lambda err: f"the Prefect server failed ({server_failure(err)})")
    except (httpx.HTTPStatusError, httpx.TransportError) as err:
        if not transient(err):
            raise
        raise BarkbookError(
            f"{what}: the Prefect server kept failing ({server_failure(err)}); its finished "
            f"segments are cached, so run the book again ({BUSY_SERVER})") from err


def run_chapter_deployments(
    deployment: str, chapters: list[ChapterPlan], output_dir: Path, cache_dir: Path | str, poll_seconds: float = 2.0,
    progress: BookProgress | None = None,
    pickup_timeout_s: float = PICKUP_TIMEOUT_S, timeout_s: float = CHAPTER_TIMEOUT_S,
) -> list[ChapterResult]:
    """Start every chapter as a run of `deployment` first (idle workers pick them up), then wait for all.

    Each run gets plain JSON (the chapter's plan, paths as text); its `ChapterResult` comes back through
    its persisted result. A chapter that does not complete fails the book, naming the chapter; so does
    one no worker picks up, or one running past `timeout_s` (see `wait_for_flow_runs`).
    """
    runs = start_chapter_runs(deployment, chapters, output_dir, cache_dir)
    on_poll = progress.watch_runs([c.index for c in chapters]) if progress else None
    runs = wait_for_flow_runs([run.id for run in runs], poll_seconds, pickup_timeout_s, timeout_s, on_poll)
    failed = [
        f"{c.slug} ({r.state.name}: {r.state.message})" for c, r in zip(chapters, runs) if not r.state.is_completed()
    ]
    if failed:
        raise BarkbookError(f"{len(failed)} of {len(chapters)} chapter runs did not complete: {'; '.join(failed)}")
    return [run.state.result() for run in runs]


def start_chapter_runs(deployment: str, chapters: list[ChapterPlan], output_dir: Path,
                       cache_dir: Path | str) -> list[FlowRun]:
    """A run of `deployment` for every chapter, not waited for. A start the server refuses (503: a busy
    SQLite database) is tried again after each of `SERVER_RETRY_DELAYS_S`; if it still fails, the runs
    already started are cancelled (nobody will wait for them) and the book fails in one line naming the
    chapter."""
    runs: list[FlowRun] = []
    try:
        for chapter in chapters:
            start = functools.partial(start_chapter_run, deployment, chapter, output_dir, cache_dir)
            runs.append(with_server_retries(start, f"{chapter.slug}: its chapter run could not be started",
                                            SERVER_RETRY_DELAYS_S))
    except Exception:
        with contextlib.suppress(httpx.HTTPError), get_client(sync_client=True) as client:  # else each finds
            stop_flow_runs(client, runs, "its book run failed starting its chapter runs")  # its book failed
        raise
    return runs


def start_chapter_run(deployment: str, chapter: ChapterPlan, output_dir: Path, cache_dir: Path | str) -> FlowRun:
    """A run of `deployment` for one chapter, not waited for. Its idempotency key (this book run's try and
    the chapter) makes a start tried again after a lost answer return the run the first one made."""
    context = FlowRunContext.get()
    book = context.flow_run if context else None
    return run_deployment(
        deployment,
        parameters={"chapter": chapter.model_dump(mode="json"), "output_dir": str(output_dir), "cache_dir": str(cache_dir)},
        flow_run_name=chapter_run_name(chapter),
        tags=[book_tag(chapter.tags.get("album", ""))],
        idempotency_key=f"{book.id}:{book.run_count}:{chapter.slug}" if book else None,
        timeout=0,
    )


def wait_for_flow_runs(
    run_ids: list[UUID], poll_seconds: float, pickup_timeout_s: float = PICKUP_TIMEOUT_S,
    timeout_s: float = CHAPTER_TIMEOUT_S, on_poll: Callable[[list[FlowRun]], None] | None = None,
    crash_retries: int = CRASH_RETRIES,
) -> list[FlowRun]:
    """The runs, once every one has reached a final state (Completed, Failed, Crashed or Cancelled),
    read together once per poll; `on_poll(runs)` sees each poll (the book's progress). A run that
    Crashed is scheduled again, up to `crash_retries` times, for any worker to take (see
    `retry_crashed`). Fails the book
    (cancelling the runs not yet final, so a worker that starts later renders nothing nobody waits for)
    when runs have waited `pickup_timeout_s` for a worker with none of them running or moving — nobody
    serves their queue — or one runs past `timeout_s`."""
    watch, retried = RunWatch(pickup_timeout_s, timeout_s), dict.fromkeys(run_ids, 0)
    with get_client(sync_client=True) as client:
        while True:
            runs = read_flow_runs_by_id(client, run_ids)
            if on_poll:
                on_poll(runs)
            if retry_crashed(client, runs, retried, crash_retries):
                continue  # read again: the retried runs are waiting now, not final
            if all(run.state and run.state.is_final() for run in runs):
                return runs
            problem = watch.overdue(runs)
            if problem:
                stop_flow_runs(client, runs, f"its book run gave up: {problem}")
                raise BarkbookError(problem)
            time.sleep(poll_seconds)


def retry_crashed(client, runs: list[FlowRun], retried: dict[UUID, int], limit: int) -> list[FlowRun]:
    """Schedule again the runs that Crashed, each at most `limit` times (counted in `retried`); return them.

    A deployment run Crashes when its process dies: its worker reports it, or, when the worker or
    its machine died too, Prefect's zombie automation does once its heartbeats stop
    (prefect-automations.yaml). The same run is scheduled again, as `prefect flow-run retry`
    does, so any worker serving its queue takes it; segments it finished come back from the cache.
    """
    crashed = [run for run in runs if run.state and run.state.is_crashed() and retried[run.id] < limit]
    for run in crashed:
        retried[run.id] += 1
        message = f"crashed ({run.state.message}); scheduled again by its book run, retry {retried[run.id]} of {limit}"
        client.set_flow_run_state(run.id, AwaitingRetry(message=message), force=True)
        run_logger().warning(f"{run.name}: {message}")  # the book's log says so too, not only the run's page
    return crashed


def read_flow_runs_by_id(client, run_ids: list[UUID]) -> list[FlowRun]:
    """The runs in `run_ids`' order, one API call per page of `API_PAGE` runs (the server's limit)."""
    found: dict[UUID, FlowRun] = {}
    for start in range(0, len(run_ids), API_PAGE):
        page = run_ids[start:start + API_PAGE]
        found |= {run.id: run for run in client.read_flow_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=page)), limit=len(page))}
    return [found[run_id] for run_id in run_ids]


@dataclasses.dataclass
class RunWatch:
    """Deadlines of runs being waited on: for a worker to pick one up, and for one to finish."""

    pickup_timeout_s: float
    timeout_s: float
    clock: Callable[[], float] = time.monotonic
    moved_at: float | None = None  # when any run last changed state
    states: dict = dataclasses.field(default_factory=dict)  # run id -> state type last seen
    running_since: dict = dataclasses.field(default_factory=dict)  # run id -> when first seen running

    def overdue(self, runs: list[FlowRun]) -> str | None:
        """One line naming the first run past a deadline, or None. Runs waiting while another runs are
        queued behind a busy worker (one run per GPU), not unserved: only the overall timeout holds then."""
        now = self.clock()
        states = {run.id: run.state.type if run.state else None for run in runs}
        if states != self.states or self.moved_at is None:
            self.moved_at, self.states = now, states
        waiting = [run for run in runs if not run.state or run.state.is_scheduled() or run.state.is_pending()]
        running = [run for run in runs if run.state and run.state.is_running()]
        for run in running:
            self.running_since.setdefault(run.id, now)
        if waiting and not running and now - self.moved_at > self.pickup_timeout_s:
            run = waiting[0]
            return (f"chapter run {run.name!r} was not picked up in {self.pickup_timeout_s:g} s: no worker serves "
                    f"work pool {run.work_pool_name!r}, queue {run.work_queue_name!r} (start one: prefect worker "
                    f"start --pool {run.work_pool_name} --work-queue {run.work_queue_name})")
        late = [run for run in running if now - self.running_since[run.id] > self.timeout_s]
        if late:
            return f"chapter run {late[0].name!r} still running after {self.timeout_s:g} s (its timeout)"
        return None


def stop_flow_runs(client, runs: list[FlowRun], message: str) -> None:
    """Cancel the runs not yet final: a running deployment run gets Cancelling, so its worker stops it;
    the rest (waiting, or sub-flows that died with their parent's process) Cancelled."""
    for run in runs:
        if run.state and run.state.is_final():
            continue
        running = run.deployment_id and run.state and run.state.is_running()
        client.set_flow_run_state(run.id, (Cancelling if running else Cancelled)(message=message), force=True)


def cancel_chapter_runs(flow, flow_run: FlowRun, state) -> None:
    """`on_cancellation` of a book: cancel its chapter runs that have not finished, at once (the server's
    own clean-up of a cancelled parent's runs comes late or not at all). Finished segments stay in the
    cache for the next run."""
    with get_client(sync_client=True) as client:
        chapters = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[flow_run.id]))
        )
        stop_flow_runs(client, chapters, f"its book run {flow_run.name!r} was cancelled")


def ended_book_run(flow_run: FlowRun) -> str | None:
    """Why this chapter run's book run no longer waits for it (it is cancelling or has ended), or None.

    Cancelling a book cancels its chapter runs (`cancel_chapter_runs`), but a run whose process was
    starting when that came is set Running again by its own engine (Prefect lets Running follow
    Cancelled): the chapter looks at its book once it runs, so it does not render a whole chapter for
    nobody."""
    if not flow_run.parent_task_run_id:
        return None
    with get_client(sync_client=True) as client:
        book = client.read_flow_run(client.read_task_run(flow_run.parent_task_run_id).flow_run_id)
    if book.state and (book.state.is_final() or book.state.is_cancelling()):
        return f"its book run {book.name!r} is {book.state.type.value.lower()}: not rendered"
    return None
