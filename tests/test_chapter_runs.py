"""Waiting on chapter deployment runs has deadlines: a run no worker picks up, a run that never ends."""

from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from prefect import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from prefect.client.schemas.objects import FlowRun
from prefect.exceptions import PrefectHTTPStatusError
from prefect.states import Completed, Crashed, Pending, Running, Scheduled

import flows.chapter_runs
import flows.render_book
from flows.chapter_runs import RunWatch, retry_crashed, wait_for_flow_runs
from flows.render_book import render_book, render_chapter
from tasks.core.errors import BarkbookError
from flows.request import ChapterRuns, RenderRequest

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def chapter_run(state, index: int = 1) -> FlowRun:
    return FlowRun(id=uuid4(), flow_id=uuid4(), name=f"chapter {index}", state=state, work_pool_name="barkbook",
                   work_queue_name="gpu")


def test_runs_nobody_picks_up_fail_after_the_pickup_timeout_naming_the_run_and_its_queue():
    clock, runs = Clock(), [chapter_run(Scheduled(), 1), chapter_run(Pending(), 2)]
    watch = RunWatch(pickup_timeout_s=60, timeout_s=3600, clock=clock)
    assert watch.overdue(runs) is None
    clock.now = 59
    assert watch.overdue(runs) is None
    clock.now = 61
    problem = watch.overdue(runs)
    assert "'chapter 1' was not picked up in 60 s" in problem and "work pool 'barkbook', queue 'gpu'" in problem


def test_runs_queued_behind_a_running_one_are_not_unserved():
    """One worker per GPU runs one chapter at a time: the others wait their turn, however long it is."""
    clock, runs = Clock(), [chapter_run(Running(), 1), chapter_run(Scheduled(), 2)]
    watch = RunWatch(pickup_timeout_s=60, timeout_s=3600, clock=clock)
    watch.overdue(runs)
    clock.now = 600
    assert watch.overdue(runs) is None


def test_the_pickup_timeout_counts_from_the_last_run_that_moved():
    clock, first, second = Clock(), chapter_run(Running(), 1), chapter_run(Scheduled(), 2)
    watch = RunWatch(pickup_timeout_s=60, timeout_s=3600, clock=clock)
    watch.overdue([first, second])
    clock.now = 500
    finished = first.model_copy(update={"state": Completed()})
    assert watch.overdue([finished, second]) is None  # the worker just freed up: give it time
    clock.now = 561
    assert "'chapter 2' was not picked up" in watch.overdue([finished, second])


def test_a_run_running_past_the_timeout_fails_naming_it():
    clock, runs = Clock(), [chapter_run(Running(), 3)]
    watch = RunWatch(pickup_timeout_s=60, timeout_s=3600, clock=clock)
    assert watch.overdue(runs) is None
    clock.now = 3601
    assert watch.overdue(runs) == "chapter run 'chapter 3' still running after 3600 s (its timeout)"


def unserved_deployment(client, pool: str, name: str):
    """A render-chapter deployment on the `gpu` queue of a new pool that no worker serves."""
    client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
    client.create_work_queue(name="gpu", work_pool_name=pool)
    return client.create_deployment(flow_id=client.create_flow(render_chapter), name=name, work_pool_name=pool,
                                    work_queue_name="gpu", entrypoint="flows/render_book.py:render_chapter")


def crashed_run(client, deployment):
    run = client.create_flow_run_from_deployment(deployment, parameters={})
    client.set_flow_run_state(run.id, Crashed(message="worker lost"), force=True)
    return client.read_flow_run(run.id)


def test_a_crashed_chapter_run_is_scheduled_again_at_most_the_retry_limit(prefect_harness, caplog):
    """A worker or machine lost mid-chapter leaves the run Crashed: the same run goes back to its queue,
    and the book's log names it."""
    with get_client(sync_client=True) as client:
        run = crashed_run(client, unserved_deployment(client, "crashing", "lost-worker"))
        retried = {run.id: 0}
        with caplog.at_level("WARNING", logger="barkbook"):
            assert retry_crashed(client, [run], retried, limit=1) == [run]
        assert f"{run.name}: crashed (" in caplog.text and "retry 1 of 1" in caplog.text
        again = client.read_flow_run(run.id)
        assert again.state.is_scheduled() and again.state.name == "AwaitingRetry"
        assert "worker lost" in again.state.message and "retry 1 of 1" in again.state.message
        client.set_flow_run_state(run.id, Crashed(message="lost again"), force=True)
        assert retry_crashed(client, [client.read_flow_run(run.id)], retried, limit=1) == []
        assert client.read_flow_run(run.id).state.is_crashed()


def test_waiting_on_chapters_retries_a_crashed_one_instead_of_returning_it(prefect_harness):
    with get_client(sync_client=True) as client:
        deployment = unserved_deployment(client, "crashing-twice", "lost-workers")
        given_up, retried = crashed_run(client, deployment), crashed_run(client, deployment)
    assert wait_for_flow_runs([given_up.id], 0.01, crash_retries=0)[0].state.is_crashed()
    with pytest.raises(BarkbookError, match="was not picked up in 0.5 s"):  # scheduled again: waiting for a worker
        wait_for_flow_runs([retried.id], 0.05, pickup_timeout_s=0.5, crash_retries=1)


def test_a_book_whose_chapter_queue_nobody_serves_fails_naming_the_chapter_and_the_queue(prefect_harness, tmp_path):
    with get_client(sync_client=True) as client:
        deployment = unserved_deployment(client, "unserved", "no-gpu-worker")
    with pytest.raises(BarkbookError, match="was not picked up in 1 s: no worker serves work pool 'unserved', "
                                            "queue 'gpu'") as failed:
        render_book(RenderRequest(manuscript=SAMPLE, model="random-tiny", output_dir=tmp_path, cache_dir=tmp_path / "segments",
                    ), ChapterRuns(deployment="render-chapter/no-gpu-worker", pickup_timeout_s=1))
    with get_client(sync_client=True) as client:
        chapters = client.read_flow_runs(deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment])))
    assert len(chapters) == 5 and any(f"'{run.name}'" in str(failed.value) for run in chapters)  # and 2 credits
    assert {run.state.name for run in chapters} == {"Cancelled"}  # a worker that starts later renders nothing


def refusing(refusals: dict[str, int], calls: list[str]):
    """`run_deployment` whose server answers 503 to a chapter's start the times `refusals` gives (keyed by
    the chapter's slug; -1: always), and starts the others for real."""
    request = httpx.Request("POST", "http://127.0.0.1/api/deployments/x/create_flow_run")
    busy = httpx.HTTPStatusError("busy", request=request, response=httpx.Response(503, request=request))
    real = flows.chapter_runs.run_deployment

    def run_deployment(*args, **kwargs):
        slug = kwargs["parameters"]["chapter"]["slug"]
        calls.append(slug)
        if refusals.get(slug, 0):
            refusals[slug] -= 1
            raise PrefectHTTPStatusError.from_httpx_error(busy)
        return real(*args, **kwargs)

    return run_deployment


def test_a_chapter_start_a_busy_server_refuses_is_tried_again_and_the_book_goes_on(prefect_harness, tmp_path,
                                                                                    monkeypatch):
    with get_client(sync_client=True) as client:
        deployment = unserved_deployment(client, "busy-once", "busy-once")
    calls: list[str] = []
    monkeypatch.setattr(flows.chapter_runs, "SERVER_RETRY_DELAYS_S", (0.01, 0.01))
    monkeypatch.setattr(flows.chapter_runs, "run_deployment", refusing({"02-chapter-2-the-lion-and-the-mouse": 2}, calls))
    with pytest.raises(BarkbookError, match="was not picked up in 1 s"):  # started, all of them: then nobody serves
        render_book(RenderRequest(manuscript=SAMPLE, model="random-tiny", output_dir=tmp_path, cache_dir=tmp_path / "segments",
                    ), ChapterRuns(deployment="render-chapter/busy-once", pickup_timeout_s=1))
    assert calls.count("02-chapter-2-the-lion-and-the-mouse") == 3
    with get_client(sync_client=True) as client:
        chapters = client.read_flow_runs(deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment])))
    assert len(chapters) == 5  # one run each (3 chapters, 2 credits): no duplicate of the refused one


def test_a_server_that_keeps_refusing_a_chapter_fails_the_book_in_one_line_and_cancels_the_started_runs(
        prefect_harness, tmp_path, monkeypatch):
    with get_client(sync_client=True) as client:
        deployment = unserved_deployment(client, "busy-always", "busy-always")
    calls: list[str] = []
    monkeypatch.setattr(flows.chapter_runs, "SERVER_RETRY_DELAYS_S", (0.01, 0.01))
    monkeypatch.setattr(flows.chapter_runs, "run_deployment", refusing({"02-chapter-2-the-lion-and-the-mouse": -1}, calls))
    with pytest.raises(BarkbookError, match=r"^02-chapter-2-the-lion-and-the-mouse: its chapter run could not be started: the Prefect "
                                            r"server kept failing .*503 Service Unavailable") as failed:
        render_book(RenderRequest(manuscript=SAMPLE, model="random-tiny", output_dir=tmp_path, cache_dir=tmp_path / "segments",
                    ), ChapterRuns(deployment="render-chapter/busy-always"))
    assert "\n" not in str(failed.value) and calls.count("02-chapter-2-the-lion-and-the-mouse") == 3
    with get_client(sync_client=True) as client:
        started = client.read_flow_runs(deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment])))
    # the opening credits' and chapter 1's, started before: no worker renders them for nobody
    assert [run.state.name for run in started] == ["Cancelled", "Cancelled"]


def test_a_chapter_run_whose_book_is_cancelling_renders_nothing(prefect_harness, tmp_path):
    """The race the book's cancel hook cannot close: a chapter run Cancelled while its process was starting is
    set Running again by its own engine. It finds its book cancelling, and ends Cancelled without rendering."""
    from prefect import flow
    from prefect.context import FlowRunContext
    from prefect.states import Cancelling

    from tasks.text.lexicon import NO_LEXICON
    from planning import plan_of
    from tasks.plan import RenderSettings
    from tasks.text.segment import segment_book
    from tasks.manuscript.ingest import read_manuscript

    book = read_manuscript(SAMPLE)
    chapter = plan_of(book, segment_book(book, lexicon=NO_LEXICON), RenderSettings(model="random-tiny"),
                      credits=None).chapters[0]

    book_run_name = "a-cancelled-book"

    @flow(flow_run_name=book_run_name)
    def cancelled_book():
        with get_client(sync_client=True) as client:
            client.set_flow_run_state(FlowRunContext.get().flow_run.id, Cancelling(message="by a test"), force=True)
        state = render_chapter(chapter, tmp_path / "out", tmp_path / "segments", return_state=True)
        return state.type.value, state.message

    assert cancelled_book() == ("CANCELLED", f"its book run {book_run_name!r} is cancelling: not rendered")
    assert not (tmp_path / "segments").exists() and not list((tmp_path / "out").glob("*.wav"))
