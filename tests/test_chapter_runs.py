"""Waiting on chapter deployment runs has deadlines: a run no worker picks up, a run that never ends."""

from pathlib import Path
from uuid import uuid4

import pytest
from prefect import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId
from prefect.client.schemas.objects import FlowRun
from prefect.states import Completed, Pending, Running, Scheduled

from flows.render_book import RunWatch, render_book, render_chapter
from tasks.errors import BarkbookError

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


def test_a_book_whose_chapter_queue_nobody_serves_fails_naming_the_chapter_and_the_queue(prefect_harness, tmp_path):
    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="unserved", type="process"))
        client.create_work_queue(name="gpu", work_pool_name="unserved")
        deployment = client.create_deployment(
            flow_id=client.create_flow(render_chapter), name="no-gpu-worker", work_pool_name="unserved",
            work_queue_name="gpu", entrypoint="flows/render_book.py:render_chapter")
    with pytest.raises(BarkbookError, match="was not picked up in 1 s: no worker serves work pool 'unserved', "
                                            "queue 'gpu'") as failed:
        render_book(manuscript=SAMPLE, model="random-tiny", output_dir=tmp_path, cache_dir=tmp_path / "segments",
                    chapter_deployment="render-chapter/no-gpu-worker", pickup_timeout_s=1)
    with get_client(sync_client=True) as client:
        chapters = client.read_flow_runs(deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment])))
    assert len(chapters) == 5 and any(f"'{run.name}'" in str(failed.value) for run in chapters)  # and 2 credits
    assert {run.state.name for run in chapters} == {"Cancelled"}  # a worker that starts later renders nothing
