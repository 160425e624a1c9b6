"""A book's chapters across two workers (issue 22, items 1, 6 and 7): the multi-worker recipe, measured.

For each size a fresh root holds a real Prefect server (`prefect server start`, 127.0.0.1, its own
PREFECT_HOME; on SQLite, or on a PostgreSQL this benchmark starts), a `process` work pool, the
chapter deployment `render-chapter/render-chapter` on the `gpu` queue whose entry point is
`benchmarks/instant_engine.py:render_chapter_instant` (the product's render-chapter flow lending the
stand-in engine, so workers cost only the pipeline), the zombie automation of prefect-automations.yaml
and two workers (`prefect worker start --limit 1`, separate processes). A book run in a process of its
own calls `render_book(..., chapter_deployment=…)` with bench_pipeline.py's fixed parameters and the
stand-in pool lent to it; then again, everything cached. Watched from here: the flow-run processes
under each worker (VmHWM, CPU, which chapter run each is), so each worker's chapters and their peak RSS.

`--store-kind s3` (item 6 across machines): the segment cache is `s3://barkbook/segments` on an S3 server this
benchmark starts on 127.0.0.1 (moto's, in this process; `pip install 'moto[server]' s3fs`), reached by every
process through botocore's own environment (AWS_ENDPOINT_URL and keys), as workers on other machines reach
a real bucket: the product sends the URL through fsspec (Prefect's RemoteFileSystem, s3fs).

`--kill` (item 6): the first run SIGKILLs worker A's process group and its chapter run's process
(a lost machine) once that run has finished a few segments; the chapter must end Completed, run again
by worker B after Prefect's automation marks it Crashed and the book run schedules it again.

    PYTHONPATH=. python benchmarks/bench_workers.py --segments 100 1000 --database sqlite postgresql
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE), str(REPO / "tests")]
from bench_meters import Sampler, cpu_seconds, folder_bytes, read_status_kb
from s3_server import s3_server
from prefect_service import (  # the service tests' server, workers, clean-up
    PrefectService,
    free_port,
)

CHAPTER_DEPLOYMENT = "render-chapter/render-chapter"
WORKERS = ("worker-a", "worker-b")
HEARTBEAT_S = 30  # flow-run heartbeats here (Prefect's minimum; default 180) ...
ZOMBIE_AFTER_S = 100  # ... so the automation's window can be short: a killed chapter is noticed in ~2 min
KILL_AFTER_TASKS = 5  # segments a chapter run has finished when --kill kills its worker ...
KILL_BATCH_S = 1.5  # ... each batch (of 8) then takes this long, so the kill lands between a chapter's segments
PG_BIN = Path("/usr/lib/postgresql/15/bin")
BOOK_TIMEOUT_S = 4 * 3600
S3_BUCKET = "barkbook"
DEPLOYMENTS = {  # prefect.yaml's render-chapter, with the stand-in engine's entry point
    "name": "barkbook-bench-workers",
    "pull": [{"prefect.deployments.steps.set_working_directory": {"directory": str(REPO)}}],
    "deployments": [{"name": "render-chapter", "entrypoint": "benchmarks/instant_engine.py:render_chapter_instant",
                     "tags": ["barkbook", "gpu"], "work_pool": {"name": "barkbook", "work_queue_name": "gpu"}}],
}


def s3_bytes(url: str) -> tuple[int, int]:
    """(bytes, files) under an s3:// URL."""
    import fsspec

    files = fsspec.filesystem("s3", skip_instance_cache=True).find(url, detail=True)
    return sum(info["size"] for info in files.values()), len(files)


@contextlib.contextmanager
def postgres(root: Path) -> Iterator[str]:
    """A PostgreSQL 15 cluster of Debian's binaries in `root/pg`, on 127.0.0.1: its Prefect URL. PostgreSQL
    refuses to run as root: as root, the cluster is the `postgres` user's (runuser)."""
    home, port = root / "pg", free_port()
    home.mkdir()
    as_owner = []
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    data, log = home / "data", home / "postgres.log"

    def pg(tool: str, *args: str, check: bool = True) -> None:
        subprocess.run([*as_owner, str(PG_BIN / tool), *args], check=check, stdout=subprocess.DEVNULL)

    pg("initdb", "-D", str(data), "-U", "prefect", "--auth", "trust", "-E", "UTF8")
    pg("pg_ctl", "-D", str(data), "-l", str(log), "-w", "start", "-o", f"-h 127.0.0.1 -p {port} -k {home}")
    try:
        pg("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "prefect", "prefect")
        yield f"postgresql+asyncpg://prefect@127.0.0.1:{port}/prefect"
    finally:
        pg("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop", check=False)


def start_service(root: Path, database_url: str | None, extra_env: dict[str, str]) -> tuple[PrefectService, dict[str, int]]:
    """Server, pool, `gpu` queue, the chapter deployment, the zombie automation and two workers (their PIDs)."""
    env = {"PYTHONPATH": os.pathsep.join([str(REPO), str(HERE)]), "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(HEARTBEAT_S),
           "PREFECT_SERVER_LOGGING_LEVEL": "INFO", **extra_env}  # INFO: the server logs every request (counted by route)
    if database_url:
        env["PREFECT_API_DATABASE_CONNECTION_URL"] = database_url
    service = PrefectService(root, env)
    service.start_server()
    (root / "prefect.yaml").write_text(yaml.safe_dump(DEPLOYMENTS))
    automations = yaml.safe_load((REPO / "prefect-automations.yaml").read_text())
    automations["automations"][0]["trigger"]["within"] = ZOMBIE_AFTER_S  # > 3 of this benchmark's heartbeats
    (root / "automations.yaml").write_text(yaml.safe_dump(automations))
    for command in (("work-pool", "create", "barkbook", "--type", "process"),
                    ("work-queue", "create", "gpu", "--pool", "barkbook"),
                    ("deploy", "--all", "--prefect-file", str(root / "prefect.yaml"), "--no-prompt"),
                    ("automation", "create", "--from-file", str(root / "automations.yaml"))):
        done = service.cli(*command, timeout=300)
        if done.returncode:
            raise SystemExit(f"prefect {' '.join(command)} failed: {done.stdout[-2000:]}")
    return service, {name: service.start_worker(name, "--work-queue", "gpu", "--limit", "1").pid for name in WORKERS}


def proc_table() -> dict[int, int]:
    """Every process's parent: {pid: ppid}."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                table[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    return table


def descendants(pid: int, table: dict[int, int]) -> list[int]:
    found, frontier = [], [pid]
    while frontier:
        children = [p for p, parent in table.items() if parent in frontier]
        found += children
        frontier = children
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of a process, its waited-for children and its live descendants (and theirs)."""
    table = proc_table()
    return sum(cpu_seconds(p, children=True) for p in [pid, *descendants(pid, table)])


def flow_run_of(pid: int) -> str | None:
    """The flow run a process runs (PREFECT__FLOW_RUN_ID in its environment), if any."""
    with contextlib.suppress(OSError):
        for item in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
            if item.startswith(b"PREFECT__FLOW_RUN_ID="):
                return item.split(b"=", 1)[1].decode()
    return None


class ChapterProcesses(Sampler):
    """Samples the processes under each worker every `every_s` s: which flow run each runs, its peak RSS
    (VmHWM) and CPU seconds (the last sample before it exits)."""

    def __init__(self, workers: dict[str, int], every_s: float = 1.0):
        super().__init__(every_s)
        self.workers = workers
        self.seen: dict[int, dict] = {}  # pid -> {worker, flow_run, peak_mb, cpu_s}
        self._lock = threading.Lock()

    def sample(self) -> None:
        table = proc_table()
        for worker, pid in self.workers.items():
            for child in descendants(pid, table):
                run = flow_run_of(child)
                if run is None or flow_run_of(table.get(child, 0)) == run:  # not a flow run's own subprocess
                    continue
                with self._lock:
                    seen = self.seen.setdefault(child, {"worker": worker, "flow_run": run, "peak_mb": 0.0})
                    seen["peak_mb"] = max(seen["peak_mb"], read_status_kb("VmHWM", str(child)) / 1024)
                    seen["cpu_s"] = cpu_seconds(child, children=True)

    def live(self, worker: str) -> list[tuple[int, str]]:
        """(pid, flow run id) of the worker's flow-run processes still running."""
        with self._lock:
            return [(pid, s["flow_run"]) for pid, s in self.seen.items()
                    if s["worker"] == worker and Path(f"/proc/{pid}").exists()]

    def by_flow_run(self) -> dict[str, list[dict]]:
        """Each flow run's processes (a retried run has one per attempt), in the order first seen."""
        runs: dict[str, list[dict]] = {}
        with self._lock:
            for pid, s in self.seen.items():
                runs.setdefault(s["flow_run"], []).append(s | {"pid": pid})
        return runs


def segments_done(service: PrefectService, run: str) -> int:
    """Segments the chapter run has finished, from its progress artifact ("… k of n segments …"; one task
    runs them all, so task runs do not count them)."""
    progress = service.api("POST", "/artifacts/filter", artifacts={"flow_run_id": {"any_": [run]}, "type": {"any_": ["progress"]}})
    return max((int(m.group(1)) for a in progress if (m := re.search(r"(\d+) of \d+ segments", a.get("description") or ""))),
               default=0)


def kill_mid_chapter(service: PrefectService, processes: ChapterProcesses, worker: str, done: threading.Event,
                     record: dict) -> None:
    """Once one of `worker`'s chapter runs has finished KILL_AFTER_TASKS segments, SIGKILL the worker's
    process group and the chapter run's (it runs in a session of its own): a machine lost mid-chapter."""
    while not done.wait(0.5):
        for pid, run in processes.live(worker):
            finished = segments_done(service, run)
            if finished >= KILL_AFTER_TASKS:
                for group in {os.getpgid(processes.workers[worker]), os.getpgid(pid)}:
                    os.killpg(group, signal.SIGKILL)
                record.update(worker=worker, flow_run=run, segments_done=finished, at=time.time())
                return


def chapter_runs(service: PrefectService, book_run_id: str, processes: ChapterProcesses) -> list[dict]:
    """The book run's chapter runs: state, attempts, the workers whose processes ran them, their peak RSS."""
    seen = processes.by_flow_run()
    runs = []
    for run in service.flow_runs(CHAPTER_DEPLOYMENT, parent=book_run_id):
        attempts = seen.get(run["id"], [])
        runs.append({"id": run["id"], "name": run["name"], "state": run["state_type"], "run_count": run["run_count"],
                     "workers": [a["worker"] for a in attempts], "peak_rss_mb": [round(a["peak_mb"]) for a in attempts],
                     "cpu_s": round(sum(a.get("cpu_s", 0.0) for a in attempts), 2)})
    return runs


def state_history(service: PrefectService, run_id: str) -> list[dict]:
    states = service.api("GET", f"/flow_run_states/?flow_run_id={run_id}")
    return [{"at": s["timestamp"], "type": s["type"], "name": s["name"], "message": (s.get("message") or "")[:200]}
            for s in sorted(states, key=lambda s: s["timestamp"])]


def chapter_phases(log: Path) -> list[dict]:
    """Each chapter run in a worker's log: seconds from its submission to its flow starting (process start,
    imports, pull step) and from there to its end (the chapter's own work), in the order they ran."""
    def seconds(line: str) -> float:
        h, m, rest = line[:12].split(":")
        return int(h) * 3600 + int(m) * 60 + float(rest)

    runs: list[tuple[str, dict[str, float]]] = []  # (name, phase -> time); a name again (the rerun) is a new run
    for line in log.read_text(errors="replace").splitlines():
        if "Flow run '" not in line or line[2:3] != ":":
            continue
        name = line.split("Flow run '", 1)[1].split("'", 1)[0]
        for phase, text in (("submitted", "submitted to infrastructure"), ("began", "Beginning subflow run"),
                            ("began", "Beginning flow run"), ("ended", "Finished in state")):
            if text in line:
                if phase == "submitted" or not any(n == name for n, _ in runs):
                    runs.append((name, {}))
                next(m for n, m in reversed(runs) if n == name)[phase] = seconds(line)
    return [{"name": name, "start_s": round(m["began"] - m["submitted"], 1), "run_s": round(m["ended"] - m["began"], 1)}
            for name, m in runs if {"submitted", "began", "ended"} <= m.keys()]


def server_calls(service: PrefectService) -> dict[str, int]:
    """API requests the server logged (uvicorn's access lines at INFO), by method and route."""
    from bench_meters import UUID

    calls: dict[str, int] = {}
    for line in (service.root / "server.log").read_text(errors="replace").splitlines():
        if '"' in line and " HTTP/1.1" in line:
            request = line.split('"')[1].split(" HTTP/")[0]
            method, _, path = request.partition(" ")
            route = f"{method} {UUID.sub('{id}', path.split('?')[0].removeprefix('/api'))}"
            calls[route] = calls.get(route, 0) + 1
    return calls


def book_child(root: Path, segments: int, seed: int, store: str, server_pid: int, worker_pids: dict[str, int],
               rerun: bool) -> dict:
    """The book run (and its cached rerun), in this fresh process: bench_pipeline's `timed_run` with
    chapters as deployment runs, plus the CPU seconds of the server's and each worker's process tree."""
    from bench_book import write_book
    from bench_meters import ApiCounter, count_runs, peak_rss_mb
    from bench_pipeline import RUNNERS, render_in_process, timed_run
    from prefect.events.worker import EventsWorker
    from prefect.settings import PREFECT_API_URL

    import flows.render_book  # noqa: F401  (imported first: the baseline RSS holds the code, not a run)

    RUNNERS["deployments"] = partial(render_in_process, chapter_deployment=CHAPTER_DEPLOYMENT)
    manuscript, out = root / "book.md", root / "out"
    sizes = write_book(manuscript, segments, seed)
    api = ApiCounter()
    api.install()
    baseline, result, totals = peak_rss_mb(), {"chapter_sizes": sizes}, {"task_runs": 0, "flow_runs": 0}
    for name in ("first", "rerun") if rerun else ("first",):
        trees = {"server": server_pid, **worker_pids}
        before = {k: tree_cpu_seconds(pid) for k, pid in trees.items()}
        started = time.time()
        run = timed_run("deployments", "instant", manuscript, out, store, api, None)
        run["cpu_trees_s"] = {k: round(tree_cpu_seconds(pid) - before[k], 2) for k, pid in trees.items()}
        EventsWorker.drain_all(timeout=60)
        counts = count_runs(PREFECT_API_URL.value())
        result[name] = run | {"started": started, "peak_rss_mb": round(peak_rss_mb())} | {
            k: counts[k] - totals[k] for k in counts}  # this run's task and flow runs
        totals = counts
        (root / "book.json").write_text(json.dumps(result | {"baseline_rss_mb": round(baseline)}))
    return result | {"baseline_rss_mb": round(baseline)}


def run_size(segments: int, database: str, out: Path, seed: int, kill: bool, store_kind: str) -> dict:
    """One size on one database: service, book run process (first run, cached rerun unless `kill`), figures."""
    from instant_engine import BATCH_SECONDS_ENV  # here, not at the top: it imports the product's flows

    root = out / f"{database}-{segments}{'-kill' if kill else ''}{'-s3' if store_kind == 's3' else ''}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    store = f"s3://{S3_BUCKET}/segments" if store_kind == "s3" else f"file://{root / 'segments'}"
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(postgres(root)) if database == "postgresql" else None
        s3_env = stack.enter_context(s3_server(S3_BUCKET)) if store_kind == "s3" else {}
        os.environ.update(s3_env)  # this process counts the bucket's bytes at the end
        slow = {BATCH_SECONDS_ENV: str(KILL_BATCH_S)} if kill else {}
        service, workers = start_service(root, url, s3_env | slow)
        stack.callback(service.stop)
        processes = stack.enter_context(ChapterProcesses(workers))
        server_pid = service.processes[0].pid
        command = [sys.executable, str(Path(__file__).resolve()), "--book", str(segments), "--root", str(root),
                   "--seed", str(seed), "--store", store, "--server-pid", str(server_pid),
                   "--worker-pids", json.dumps(workers)] + ([] if kill else ["--rerun"])
        done, killed = threading.Event(), {}
        if kill:
            threading.Thread(target=kill_mid_chapter, args=(service, processes, WORKERS[0], done, killed), daemon=True).start()
        with open(root / "book.log", "wb") as log:
            book = subprocess.run(command, env=service.env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                  timeout=BOOK_TIMEOUT_S, check=False)
        done.set()
        if not (root / "book.json").is_file():
            raise SystemExit(f"{database} {segments} segments: the book run failed ({book.returncode}); see {root / 'book.log'}")
        figures = json.loads((root / "book.json").read_text())  # what finished, also when a later run failed
        if book.returncode:
            figures["failed"] = f"the book process exited {book.returncode}: {last_error(root / 'book.log')}"
        books = service.api("POST", "/flow_runs/filter", sort="START_TIME_ASC", flows={"name": {"any_": ["render-book"]}})
        for name, book_run in zip(("first", "rerun"), books):
            figures.setdefault(name, {})
            figures[name] |= {"book_state": book_run["state_type"], "chapters_runs": chapter_runs(service, book_run["id"], processes)}
        if killed:
            killed["states"] = state_history(service, killed["flow_run"])
            figures["killed"] = killed
        figures["api_calls_server"] = server_calls(service)
        figures["chapter_phases"] = {name: chapter_phases(root / f"{name}.log") for name in WORKERS}
        store_bytes, store_files = s3_bytes(store) if s3_env else folder_bytes(root / "segments")
    return figures | {"database": database, "target_segments": segments, "store": store, "store_bytes": store_bytes,
                      "store_files": store_files, "prefect_home_bytes": folder_bytes(root / "prefect-home")[0],
                      "postgres_bytes": folder_bytes(root / "pg")[0] if url else 0}


def last_error(log: Path) -> str:
    """The last exception line of a log (`SomeError: …`), cut to 300 characters."""
    lines = [line for line in log.read_text(errors="replace").splitlines() if "Error" in line.split(":", 1)[0]]
    return (lines[-1] if lines else "no error line")[:300]


def by_worker(runs: list[dict]) -> dict[str, int]:
    """Chapter runs each worker's processes ran (an attempt each)."""
    counts = dict.fromkeys(WORKERS, 0)
    for run in runs:
        for worker in run["workers"]:
            counts[worker] += 1
    return counts


def table(results: list[dict]) -> str:
    """The figures as a Markdown table, one row per database and size."""
    head = ("| db | segments | chapters | wall s | pipeline ms/seg | book peak RSS MB | chapter run peak RSS MB (max) "
            "| CPU s book/server/A/B | chapters A/B | store MB | task runs | API calls (server log) | rerun s |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        f, again = r["first"], r.get("rerun") if "wall_s" in r.get("rerun", {}) else None
        peaks = [p for run in f["chapters_runs"] for p in run["peak_rss_mb"]]
        cpu = f["cpu_trees_s"]
        split = by_worker(f["chapters_runs"])
        lines.append(
            f"| {r['database']} | {f['segments']} | {f['chapters']} | {f['wall_s']:.0f} "
            f"| {(f['wall_s'] - f['engine_s']) / f['segments'] * 1000:.0f} | {f['peak_rss_mb']} "
            f"| {max(peaks) if peaks else '—'} | {f['cpu_s']:.0f}/{cpu['server']:.0f}/{cpu[WORKERS[0]]:.0f}/{cpu[WORKERS[1]]:.0f} "
            f"| {split[WORKERS[0]]}/{split[WORKERS[1]]} | {r['store_bytes'] / 2**20:.1f} | {f['task_runs']} "
            f"| {sum(r['api_calls_server'].values())} | {round(again['wall_s']) if again else r.get('failed', '—')[:60]} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), nargs="+", default=["sqlite"])
    parser.add_argument("--kill", action="store_true", help="kill worker A mid-chapter in the first run (no rerun)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "workers")
    parser.add_argument("--json", type=Path, help="write every figure measured here")
    parser.add_argument("--store-kind", choices=("file", "s3"), default="file",
                        help="the segment cache: a file:// folder, or s3:// on an S3 server started here (moto)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--book", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", help=argparse.SUPPRESS)
    parser.add_argument("--server-pid", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker-pids", type=json.loads, help=argparse.SUPPRESS)
    parser.add_argument("--rerun", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.book:
        book_child(args.root, args.book, args.seed, args.store, args.server_pid, args.worker_pids, args.rerun)
        return
    results = []
    for database in args.database:
        for segments in args.segments:
            results.append(run_size(segments, database, args.out, args.seed, args.kill, args.store_kind))
            print(json.dumps(results[-1]), file=sys.stderr)
            if args.json:
                args.json.write_text(json.dumps(results, indent=1))
    print(table(results))


if __name__ == "__main__":
    main()
