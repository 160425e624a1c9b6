"""Flows that read like the job's table of contents: ingest → segment → render → master → assemble → deliver."""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import hashlib
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Literal, TypeVar
from uuid import UUID

import fsspec
import httpx
from prefect import flow, get_client
from prefect.context import FlowRunContext
from prefect.utilities.annotations import opaque
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, FlowRunFilterParentFlowRunId
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.filesystems import RemoteFileSystem
from prefect.states import AwaitingRetry, Cancelled, Cancelling
from pydantic import Field

from bark_model import GenerationParams
from bark_model.constants import MAX_COARSE_HISTORY, MIN_COARSE_HISTORY
from bark_model.paths import default_cache_dir
from tasks.assemble import assemble_chapter
from tasks.chapter_result import ChapterFile, ChapterResult, load_chapter, save_chapter
from tasks.cover import prepare_cover
from tasks.credits import CreditWording
from tasks.delivery_checks import AUDIO_KINDS, check_delivered_files
from tasks.deliver import MASTERS, deliver_manifest, sha256_of
from tasks.engines import EngineTaskRunner
from tasks.formats import AudioFormat
from tasks.errors import BarkbookError
from tasks.failures import quiet_our_tracebacks
from tasks.book import NotesPolicy
from tasks.ingest import ingest_manuscript
from tasks.lexicon import load_lexicon
from tasks.master import MasteringSettings, master_segments
from tasks.package import BookPackage, Packaged, load_package, package_book, save_package
from tasks.defaults import (DEFAULT_DEVICE, DEFAULT_DTYPE, DEFAULT_MAX_ATTEMPTS, DEFAULT_MODEL, DEFAULT_NOTES,
                            DEFAULT_OUTPUT_DIR, DEFAULT_SAMPLE_MINUTES, DEFAULT_SEED, DEFAULT_TAKES, DEFAULT_TARGET)
from tasks.plan import ChapterPlan, RenderSettings, plan_book, slugify
from tasks.progress import BookProgress
from tasks.run_names import (book_run_name_from_parameters, book_tag, chapter_run_name,
                             label_book_run, run_logger, tag_run)
from tasks.summary import publish_summary
from tasks.plots import plot_chapter
from tasks.qc import report_qc
from tasks.render import check_chapter_voice, render_segments, with_audio
from tasks.layout import chapter_spans
from tasks.readalong import readalong_book
from tasks.retries import retrying
from tasks.review import review_items, seed_offsets, write_review
from tasks.sample import SAMPLE_MINUTES, cut_points
from tasks.targets import TargetName, target_named
from tasks.take_qc import MAX_ROUNDS, MAX_TAKES, QCMode, default_qc_mode, qc_note
from tasks.segment import segment_manuscript

quiet_our_tracebacks()  # a BarkbookError logs as its one line, without Prefect's stack
CHAPTERS_AT_ONCE = 3  # in-process chapters rendering together: enough to keep the engine's batches full
PICKUP_TIMEOUT_S = 600.0  # chapter runs no worker picked up this long (none running) fail the book
CHAPTER_TIMEOUT_S = 48 * 3600.0  # a chapter run running longer fails the book (a long chapter of `large` on CPU)
API_PAGE = 200  # flow runs one read returns at most (the server's default limit)
SERVER_RETRY_DELAYS_S = (10.0, 30.0, 90.0)  # a chapter tried again after a busy server failed it (client retries spent)
Made = TypeVar("Made")
BUSY_SERVER = "a server on SQLite refuses writes when busy: PostgreSQL does not, see the README's service recipe"
CRASH_RETRIES = 2  # times a Crashed chapter run (its process, worker or machine lost) is scheduled again


def is_url(location: Path | str) -> bool:
    """A cache location fsspec opens (`s3://…`), not a folder (a path or `file://`)."""
    text = str(location)
    return "://" in text and not text.startswith("file://")


def check_cache_url(location: Path | str) -> None:
    """A cache URL whose filesystem is not installed (s3 without s3fs, an unknown scheme) is one line."""
    if not is_url(location):
        return
    try:
        fsspec.get_filesystem_class(str(location).split("://", 1)[0])
    except (ImportError, ValueError) as error:  # "Install s3fs to access S3", "Protocol not known: …"
        raise BarkbookError(f"segment cache {location}: {error}") from None


def segment_storage(location: Path | str) -> Path | RemoteFileSystem:
    """Where segment results are kept: a local folder, or any fsspec URL (`s3://…`) all workers share.

    A URL becomes a `RemoteFileSystem` block saved as `barkbook-segments-<hash of the URL>`: Prefect
    takes only saved blocks as a task's result storage.
    """
    text = str(location)
    if not is_url(text):
        return Path(text.removeprefix("file://")).expanduser()
    check_cache_url(text)
    block = RemoteFileSystem(basepath=text)
    block.save(f"barkbook-segments-{hashlib.sha256(text.encode()).hexdigest()[:12]}", overwrite=True)
    return block


@flow(
    name="render-chapter",
    persist_result=True,  # the book run reads it back when this chapter ran as its own deployment run
    task_runner=EngineTaskRunner(),  # the book run's engines for its in-process chapters, else this run's own
)
def render_chapter(chapter: ChapterPlan, output_dir: Path, cache_dir: Path | str) -> ChapterResult:
    """One chapter: render its segments (batched, cached), master them, write its files; nothing when
    its book run has already ended (see `ended_book_run`)."""
    flow_run = FlowRunContext.get().flow_run
    ended = ended_book_run(flow_run)
    if ended:
        return Cancelled(message=ended)
    tag_run(flow_run, book_tag(chapter.tags.get("album", "")))  # a deployment run has it from its start
    render = render_segments.with_options(result_storage=segment_storage(cache_dir))  # where segment records lie
    rendered, events = render(opaque(chapter))
    key = chapter.content_key(MasteringSettings().as_dict())
    made = load_chapter(output_dir, chapter.slug, key)
    if made is None:  # new or edited chapter: master and assemble it
        # opaque: Prefect takes each value as it is instead of walking every segment in it for futures
        # (~4 ms of CPU a segment); the run graph still links render-segments → decode-takes → these steps
        rendered = with_audio(opaque(rendered), chapter.settings)
        check_chapter_voice(opaque(rendered), opaque(chapter.segments), chapter.settings)
        qc = report_qc(opaque(chapter), opaque(rendered), output_dir)
        audio = master_segments(opaque(rendered), chapter.pauses_after)
        spans = chapter_spans(rendered, chapter.pauses_after)  # where each segment lies in the master
        files = [ChapterFile(path=assemble_chapter(audio, opaque(chapter), output_dir), kind="master"),
                 ChapterFile(path=plot_chapter(audio, opaque(chapter), output_dir), kind="loudness-plot"),
                 ChapterFile(path=qc.report, kind="report")]
        made = save_chapter(output_dir, chapter.slug, ChapterResult(
            key=key, files=files, qc=qc, review=review_items(chapter, rendered, spans), spans=spans,
            cuts=cut_points(spans, chapter.pauses_after),
            paragraph_cuts=cut_points(spans, chapter.pauses_after, joins=chapter.paragraph_ends)))
    return made.model_copy(update={"segments": events})


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
            start = functools.partial(start_chapter_run, deployment, chapter, chapters, output_dir, cache_dir)
            runs.append(with_server_retries(start, f"{chapter.slug}: its chapter run could not be started",
                                            SERVER_RETRY_DELAYS_S))
    except Exception:
        with contextlib.suppress(httpx.HTTPError), get_client(sync_client=True) as client:  # else each finds
            stop_flow_runs(client, runs, "its book run failed starting its chapter runs")  # its book failed
        raise
    return runs


def start_chapter_run(deployment: str, chapter: ChapterPlan, chapters: list[ChapterPlan], output_dir: Path,
                      cache_dir: Path | str) -> FlowRun:
    """A run of `deployment` for one chapter, not waited for. Its idempotency key (this book run's try and
    the chapter) makes a start tried again after a lost answer return the run the first one made."""
    context = FlowRunContext.get()
    book = context.flow_run if context else None
    return run_deployment(
        deployment,
        parameters={"chapter": chapter.model_dump(mode="json"), "output_dir": str(output_dir), "cache_dir": str(cache_dir)},
        flow_run_name=chapter_run_name(chapter, chapters),
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


def render_chapters_here(chapters: list[ChapterPlan], output_dir: Path, cache_dir: Path | str) -> list[ChapterResult]:
    """Chapters as sub-flows of this run, side by side, so one engine batches segments across them.
    Each runs in a copy of this thread's context: that is what makes it a sub-flow of this run, carries
    the Prefect settings (API URL) in force here, and lends it the book run's engine pool."""
    chapter_flow = render_chapter.with_options(task_runner=EngineTaskRunner(), persist_result=False)
    named = [chapter_flow.with_options(flow_run_name=lambda name=chapter_run_name(c, chapters): name) for c in chapters]
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


@flow(name="render-book", flow_run_name=book_run_name_from_parameters, log_prints=True,
      on_cancellation=[cancel_chapter_runs],
      task_runner=EngineTaskRunner())  # engines for generated voices and in-process chapters, freed at the end
def render_book(
    manuscript: Path,
    voice: str | None = None,
    voices: dict[str, str] | None = None,
    model: str = DEFAULT_MODEL,
    device: Literal["cpu", "cuda"] = DEFAULT_DEVICE,
    dtype: Literal["float32", "bfloat16", "float16"] = DEFAULT_DTYPE,
    autocast: Literal["bfloat16", "float16"] | None = None,
    max_coarse_history: Annotated[int, Field(ge=MIN_COARSE_HISTORY, le=MAX_COARSE_HISTORY)] = MAX_COARSE_HISTORY,
    compile: bool = False,
    seed: int = DEFAULT_SEED,
    batch_size: int | None = None,
    formats: list[AudioFormat] | None = None,
    output_dir: Path = DEFAULT_OUTPUT_DIR,
    cache_dir: Path | str | None = None,
    chapter_deployment: str | None = None,
    pickup_timeout_s: Annotated[float, Field(gt=0)] = PICKUP_TIMEOUT_S,
    chapter_timeout_s: Annotated[float, Field(gt=0)] = CHAPTER_TIMEOUT_S,
    qc: QCMode | None = None,
    takes: Annotated[int, Field(ge=1, le=MAX_TAKES)] = DEFAULT_TAKES,
    max_attempts: Annotated[int, Field(ge=1, le=MAX_ROUNDS)] = DEFAULT_MAX_ATTEMPTS,
    retake: list[str] | None = None,
    notes: NotesPolicy = DEFAULT_NOTES,
    target: TargetName = DEFAULT_TARGET,
    cover: Path | None = None,
    credits: CreditWording | None = CreditWording(),
    sample_minutes: Annotated[float, Field(ge=SAMPLE_MINUTES[0], le=SAMPLE_MINUTES[1])] | None = DEFAULT_SAMPLE_MINUTES,
    isbn: str | None = None,
) -> dict:
    """A manuscript to finished audio: chapter files, the whole book and a manifest.

    `cache_dir` holds segment results: a folder or an fsspec URL (default `$BARKBOOK_RESULT_STORAGE`,
    else the barkbook cache). With `chapter_deployment` (`render-chapter/render-chapter`) every chapter
    is its own deployment run, so several workers share one book; without, chapters are sub-flows here.
    A chapter run no worker picks up in `pickup_timeout_s`, or running past `chapter_timeout_s`, fails it.
    `autocast`, a `max_coarse_history` below 630 and `compile` are the engine's fast modes (see
    `python -m bark_model --help`); the defaults are the exact mode.
    `qc` checks every take: `speech` (words and voice; the default for real models), `signal` (the
    default for random-tiny, which cannot speak) or `off`. Each segment gets rounds of `takes` takes
    generated together, at most `max_attempts` rounds, until one passes; the best is kept. Segments
    that still fail are listed in `OUT/review.csv`; `retake` renders new takes of the segments named.
    `notes`: footnotes and endnotes are not read (`skip`, counted by `barkbook segment`) or read at the
    end of the chapter that cites them (`chapter-end`).
    `target` packages the book for a platform (tasks/targets.py: its formats when `formats` is None, naming,
    splitting, layout); `cover` an image (else the manuscript's, else one drawn); `credits` None: no spoken
    credits; `sample_minutes` None: no retail sample; `isbn` (else the manuscript's) names Google Play's files.
    """
    package = target_named(target)
    cache_dir = cache_dir or os.environ.get("BARKBOOK_RESULT_STORAGE") or default_cache_dir() / "segments"
    check_cache_url(cache_dir)  # before any work; the chapters save its storage block
    book = ingest_manuscript(manuscript, notes=notes)
    art = prepare_cover(book, cover, Path(output_dir) / MASTERS / "cover.jpg")
    for warning in filter(None, [package.warning, *art.warnings]):
        print(f"Warning: {warning}")  # the run's log, and the CLI's output
    manifest = segment_manuscript(book, lexicon=load_lexicon(book))
    qc = qc or default_qc_mode(model)
    settings = RenderSettings(model=model, device=device, dtype=dtype, seed=seed, compile=compile, batch_size=batch_size,
                              params=GenerationParams(autocast=autocast, max_coarse_history=max_coarse_history),
                              qc_mode=qc, takes=takes, max_attempts=max_attempts)
    offsets = seed_offsets(output_dir, retake, set(manifest.id), takes * max_attempts)
    plan = plan_book(book, manifest, settings, formats or list(package.formats), output_dir, voice, voices,
                     seed_offsets=offsets, credits=credits, target=target, cover=art.path, isbn=isbn,
                     sample_minutes=sample_minutes)
    label_book_run(plan.title, output_dir)
    progress = BookProgress.of(plan.chapters)
    progress.start(f"progress-{slugify(plan.title)}")
    with progress.following():
        if chapter_deployment:
            chapters = run_chapter_deployments(chapter_deployment, plan.chapters, output_dir, cache_dir,
                                               progress=progress, pickup_timeout_s=pickup_timeout_s,
                                               timeout_s=chapter_timeout_s)
        else:
            chapters = render_chapters_here(plan.chapters, output_dir, cache_dir)
    key = plan.content_key([c.key for c in chapters] + [sha256_of(art.path)])
    packaged = load_package(output_dir, key)
    if packaged is None:  # a new target or format re-encodes from the chapters' masters, generating nothing
        files = package_book(opaque(plan), opaque(chapters), output_dir)
        if Path(manuscript).suffix.lower() == ".epub":  # a read-along EPUB for an EPUB manuscript
            files += [Packaged(p, "read-along") for p in readalong_book(opaque(plan), opaque(chapters), book.language, output_dir)]
        audio = [(Path(f.path), f.kind) for f in files if f.kind in AUDIO_KINDS]
        checks = check_delivered_files(audio, package.rules)  # measured on the encoded files, once per package
        packaged = save_package(output_dir, key, BookPackage(files=files, checks=checks.as_dict(Path(output_dir)),
                                                             out_of_spec=checks.lines()))
    for line in packaged.out_of_spec:
        print(f"Out of spec for {package.name}: {line}")
    review = write_review(plan.title, opaque(chapters), output_dir)
    notes = {"qc": qc_note(qc, model), "retakes": len(set(retake or [])), "review": review.segments,
             "cover": art.source}
    summary = deliver_manifest(opaque(plan), opaque(chapters), packaged, output_dir, manuscript, notes, review.files)
    return publish_summary(summary)
