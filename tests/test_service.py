"""Run as a service: a real Prefect server, the `barkbook` process pool, `prefect deploy --all` and workers.

One server for the module (it is slow to start): a CPU worker on the `default` queue, two "GPU"
workers on the `gpu` queue (one run each at a time, as one per GPU would run), and the deployments
of prefect.yaml. Every process is stopped by its PID at teardown, also when a test fails.
"""

from __future__ import annotations

import inspect
import json
import re
import shutil
import time
from pathlib import Path

import pytest

from bark_model.errors import BarkModelError
from prefect_service import PrefectService
from flows.request import RenderRequest

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"
GPU_WORKERS = ("gpu-a", "gpu-b")
RUN_TIMEOUT = 420  # seconds; the sample takes about 2 min here on 2 busy cores



def request(manuscript: Path, output_dir: Path | None = None, **fields) -> str:
    """`--params` of a render-book run: its whole request (a run's `request` replaces the deployment's)."""
    fields = {"manuscript": str(manuscript), "model": "random-tiny", "formats": ["wav"], **fields}
    return json.dumps({"request": fields | ({"output_dir": str(output_dir)} if output_dir else {})})


def run_book(service: PrefectService, manuscript: Path, output_dir: Path):
    """`prefect deployment run 'render-book/render-book' ... --watch`, started; `service.finish` waits."""
    return service.cli_start(
        "deployment", "run", "render-book/render-book", "--params", request(manuscript, output_dir),
        "--watch", "--watch-timeout", str(RUN_TIMEOUT),
    )


def run_id_of(output: str) -> str:
    """The flow run id that `prefect deployment run` prints."""
    return re.search(r"UUID: ([0-9a-f-]{36})", output).group(1)


def wait_until_final(service: PrefectService, run_id: str, timeout: float = RUN_TIMEOUT) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = service.flow_run(run_id)
        if run["state_type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return run
        time.sleep(2)
    raise TimeoutError(f"flow run {run_id} ({run['name']}) still {run['state_type']} after {timeout} s: "
                       f"{run['state'].get('message') if run.get('state') else ''}")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    """Server, pool, `gpu` queue (at most 2 chapter runs at once: two GPUs), deployments, three workers."""
    root = tmp_path_factory.mktemp("service")
    svc = PrefectService(root, {
        "BARKBOOK_CACHE_DIR": str(root / "cache"),  # random-tiny's files, written once
        "BARKBOOK_RESULT_STORAGE": str(root / "segments"),  # segment results, shared by all workers
    })
    try:
        svc.start_server()
        for command in (
            ("work-pool", "create", "barkbook", "--type", "process"),
            ("work-queue", "create", "gpu", "--pool", "barkbook", "--limit", "2"),
            ("deploy", "--all", "--no-prompt"),
        ):
            done = svc.cli(*command, timeout=180)
            assert done.returncode == 0, done.stdout
        svc.start_worker("cpu", "--work-queue", "default")
        for name in GPU_WORKERS:
            svc.start_worker(name, "--work-queue", "gpu", "--limit", "1")
        yield svc
    finally:
        svc.stop()


@pytest.fixture(scope="module")
def book_runs(service, tmp_path_factory):
    """The sample rendered through the deployment, and at the same time a run for a missing manuscript."""
    out = tmp_path_factory.mktemp("book")
    good = run_book(service, SAMPLE, out)
    bad = run_book(service, out / "no-such-book.md", tmp_path_factory.mktemp("bad"))
    return {"out": out, "bad": service.finish(bad, RUN_TIMEOUT + 60), "good": service.finish(good, RUN_TIMEOUT + 60)}


@pytest.mark.slow
def test_deploy_all_registers_book_chapter_and_scheduled_scan(service):
    book = service.deployment("render-book/render-book")
    chapter = service.deployment("render-chapter/render-chapter")
    scan = service.deployment("scan-manuscripts/scan-manuscripts")
    assert [d["work_queue_name"] for d in (book, chapter, scan)] == ["default", "gpu", "default"]
    assert book["parameters"]["chapters"]["deployment"] == "render-chapter/render-chapter"
    assert [s["schedule"]["cron"] for s in scan["schedules"] if s["active"]] == ["*/15 * * * *"]


@pytest.mark.slow
def test_a_watched_render_exits_0_with_chapter_files_and_manifest(service, book_runs):
    done, out = book_runs["good"], book_runs["out"]
    assert done.returncode == 0, done.stdout + service.tail("cpu")
    assert service.flow_run(run_id_of(done.stdout))["state_type"] == "COMPLETED"
    chapters = sorted(p.name for p in out.glob("[0-9][0-9]-*.wav"))
    assert [name[:3] for name in chapters] == ["00-", "01-", "02-", "03-", "04-"]  # credits around 3 chapters
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(chapters) | {"three-fables-of-aesop.wav"} <= {f["path"] for f in manifest["files"]}
    assert manifest["chapters"] == 3 and manifest["segments"] > 3


@pytest.mark.slow
def test_chapters_run_as_their_own_flow_runs_shared_by_both_gpu_workers(service, book_runs):
    book_id = run_id_of(book_runs["good"].stdout)
    chapters = service.flow_runs("render-chapter/render-chapter", parent=book_id)
    assert len(chapters) == 5  # three chapters and the opening and closing credits
    assert {(c["state_type"], c["work_queue_name"]) for c in chapters} == {("COMPLETED", "gpu")}
    def ran(log: str, run_id: str) -> bool:  # both workers may try a run; the server aborts all but one
        return f"submitting flow run '{run_id}'" in log and f"Aborted submission of flow run '{run_id}'" not in log

    ran_by = {name: {c["id"] for c in chapters if ran(service.tail(name, 10**6), c["id"])} for name in GPU_WORKERS}
    assert all(ran_by.values()), ran_by  # each worker rendered at least one chapter ...
    assert sorted(i for ids in ran_by.values() for i in ids) == sorted(c["id"] for c in chapters)  # ... each once


@pytest.mark.slow
def test_a_missing_manuscript_fails_the_run_at_once_with_its_reason(service, book_runs):
    done = book_runs["bad"]
    assert done.returncode != 0, done.stdout
    run = service.flow_run(run_id_of(done.stdout))
    assert run["state_type"] == "FAILED"
    assert "ManuscriptError" in run["state"]["message"] and "no-such-book.md" in run["state"]["message"]
    assert run["total_run_time"] < 30  # failed while reading, not after rendering
    assert service.flow_runs(parent=run["id"]) == []  # no chapter was started


@pytest.mark.slow
def test_a_failed_run_retried_as_from_the_ui_finishes_the_book(service, book_runs):
    run_id = run_id_of(book_runs["bad"].stdout)
    failed = service.flow_run(run_id)
    assert failed["state_type"] == "FAILED"
    shutil.copy(SAMPLE, failed["parameters"]["request"]["manuscript"])  # the fix a person makes before pressing Retry
    done = service.cli("flow-run", "retry", run_id, timeout=120)
    assert done.returncode == 0, done.stdout
    retried = wait_until_final(service, run_id)
    assert retried["state_type"] == "COMPLETED", retried["state"]["message"]
    manifest = json.loads((Path(failed["parameters"]["request"]["output_dir"]) / "manifest.json").read_text())
    assert manifest["chapters"] == 3 and (manifest["rendered"], manifest["cached"]) == (0, manifest["segments"])


@pytest.mark.slow
def test_parameters_the_server_rejects_start_no_run(service):
    before = len(service.flow_runs("render-book/render-book"))
    done = service.cli("deployment", "run", "render-book/render-book", "--params", request(SAMPLE, device="tpu"), "--watch")
    assert done.returncode != 0, done.stdout
    assert len(service.flow_runs("render-book/render-book")) == before


@pytest.mark.slow
def test_scan_starts_a_render_for_a_new_manuscript_and_nothing_for_an_unchanged_one(service, book_runs, tmp_path):
    inbox, shelf = tmp_path / "inbox", tmp_path / "shelf"
    inbox.mkdir()
    shutil.copy(SAMPLE, inbox / "fables.md")

    def scan():
        done = service.cli(
            "deployment", "run", "scan-manuscripts/scan-manuscripts",
            "--param", f"folder={inbox}", "--param", f"output_root={shelf}",
            "--param", 'parameters={"model": "random-tiny", "formats": ["wav"]}',
            "--watch", "--watch-timeout", "300",
        )
        assert done.returncode == 0, done.stdout + service.tail("cpu")
        return [r["id"] for r in service.flow_runs("render-book/render-book")
                if r["parameters"]["request"]["manuscript"] == str(inbox / "fables.md")]

    first = scan()
    assert len(first) == 1
    assert scan() == first  # unchanged: nothing new started
    render = wait_until_final(service, first[0])
    assert render["state_type"] == "COMPLETED", render["state"]["message"]
    manifest = json.loads((shelf / "fables" / "manifest.json").read_text())
    # the same text as the book above: every segment comes from the shared result storage
    assert (manifest["rendered"], manifest["cached"]) == (0, manifest["segments"])


@pytest.mark.slow
def test_cancelling_a_book_run_cancels_its_chapter_runs(service, tmp_path):
    head, *chapters = SAMPLE.read_text().split("\n# ")
    retold = "".join(f"\n# {c}" + "".join(f"\nRetold, {k}. {c.split(chr(10), 1)[1]}" for k in range(2, 16))
                     for c in chapters)  # long chapters (~75 segments), none of them cached
    (tmp_path / "long.md").write_text(head + retold)
    started = service.cli("deployment", "run", "render-book/render-book",
                          "--params", request(tmp_path / "long.md", tmp_path / "out", formats=None))
    assert started.returncode == 0, started.stdout
    book_id = run_id_of(started.stdout)
    deadline = time.monotonic() + RUN_TIMEOUT
    while not any(c["state_type"] == "RUNNING" for c in service.flow_runs(parent=book_id)):
        assert time.monotonic() < deadline, service.tail("cpu")
        time.sleep(1)

    assert service.cli("flow-run", "cancel", book_id).returncode == 0
    assert wait_until_final(service, book_id)["state_type"] == "CANCELLED"
    ended = [wait_until_final(service, c["id"], 120) for c in service.flow_runs(parent=book_id)]
    # the book's on_cancellation hook; the GPU workers stop the running ones. The book may be cancelled
    # before it started its last chapter run: every chapter run it did start ends Cancelled, but for a
    # credits run (one sentence) that may have finished before the cancel came.
    states = {c["name"]: c["state_type"] for c in ended}
    chapter_states = [state for name, state in states.items() if "Credits" not in name]
    assert chapter_states and set(chapter_states) == {"CANCELLED"}, (states, service.tail("cpu"))
    assert set(states.values()) <= {"CANCELLED", "COMPLETED"}, states
    assert not list((tmp_path / "out").glob("*.wav"))  # stopped before any chapter got as far as its files


# --- without a server: the same flow, checked in this process -----------------------------------------


class Spy:
    """Stands in for the chapter step: records calls, renders nothing."""

    def __init__(self):
        self.calls = []

    def with_options(self, **_):
        return self

    def __call__(self, *args, **kwargs):
        self.calls.append(args)


@pytest.mark.parametrize("bad, reason", [
    ({"voice": "v2/nobody"}, "unknown voice"),
    ({"model": "no-such-model"}, "unknown model"),
])
def test_an_unknown_voice_or_model_fails_before_any_chapter_is_started(
    prefect_harness, monkeypatch, tmp_path, bad, reason
):
    import flows.render_book as module

    spy = Spy()
    monkeypatch.setattr(module, "render_chapter", spy)
    monkeypatch.setattr(module, "run_chapter_deployments", spy)
    with pytest.raises(BarkModelError, match=reason):
        module.render_book(RenderRequest(manuscript=SAMPLE, output_dir=tmp_path, **{"model": "random-tiny", **bad}))
    assert spy.calls == []


class Planned(Exception):
    """Stops a flow right after its plan was asked for."""


def test_the_fast_modes_reach_the_plan(prefect_harness, monkeypatch, tmp_path):
    import flows.render_book as module
    from bark_model import GenerationParams
    from tasks.plan import plan_book

    def spy(*args, **kwargs):
        raise Planned(inspect.signature(plan_book.fn).bind(*args, **kwargs).arguments)

    monkeypatch.setattr(module, "plan_book", spy)
    with pytest.raises(Planned) as planned:
        module.render_book(RenderRequest(manuscript=SAMPLE, output_dir=tmp_path, model="random-tiny",
                                         autocast="bfloat16", max_coarse_history=60, compile=True))
    arguments = planned.value.args[0]
    assert arguments["settings"].params == GenerationParams(autocast="bfloat16", max_coarse_history=60)
    assert arguments["settings"].compile is True


@pytest.mark.parametrize("bad", [{"max_coarse_history": 59}, {"max_coarse_history": 631}, {"autocast": "float8"}])
def test_fast_mode_parameters_out_of_range_are_refused_before_a_run(bad):
    from prefect.exceptions import ParameterTypeError

    from flows.render_book import render_book

    with pytest.raises(ParameterTypeError, match=next(iter(bad))):
        render_book.validate_parameters({"request": {"manuscript": str(SAMPLE), **bad}})


def test_segment_storage_is_a_folder_or_any_fsspec_url(prefect_harness):
    import fsspec
    from prefect import flow, task

    from flows.render_book import segment_storage

    assert segment_storage("/srv/segments") == Path("/srv/segments")
    assert segment_storage("file:///srv/segments") == Path("/srv/segments")
    storage = segment_storage("memory://barkbook-test/segments")
    calls = []

    @task(cache_key_fn=lambda *_: "segment-storage-test", persist_result=True)
    def compute() -> int:
        calls.append(1)
        return 42

    @flow
    def twice() -> list[int]:
        cached = compute.with_options(result_storage=storage)
        return [cached(), cached()]

    assert twice() == [42, 42] and calls == [1]  # the second call read the stored result back
    assert fsspec.filesystem("memory").exists("barkbook-test/segments/segment-storage-test")
