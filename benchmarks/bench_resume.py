"""Resume at scale (issue 22, item 4): a book SIGKILLed at half is rerun; what it finished comes back from the cache.

The parent starts a Prefect server (barkbook's LocalServer, UI on, all its services) that outlives the
book's process, writes a generated book (bench_book.py) and renders it through `render-book` in a child
process with the stand-in engine lent (instant_engine.py; bench_pipeline.py's `render_in_process`). When
the result store holds half the book's `render-segment-*` records it SIGKILLs the child's process group,
reads every record back (a record a kill cut mid-write does not deserialize), tears `--tear` more on
purpose (halves of a finished segment's records, one with its take: what a kill mid-write leaves, which
a SIGKILL at a random moment rarely hits) and reruns the book in fresh children until one completes it
(`--attempts`). It checks that no segment is rendered twice (only the unfinished and the torn ones are),
only takes with no intact record are generated, the completing rerun accounts for every segment, and
every record is readable after; it times the rerun's start-up, its cached replay (to
the engine's first generate call and the first newly rendered segment) and the whole rerun, and reads
the runs' states from the API (the killed run's). `--ui SHOTS` then runs ui_scale_check.py on the
same server.

    PYTHONPATH=. python benchmarks/bench_resume.py [--segments 1000] [--out DIR] [--ui SHOTS] [--json FILE]

Exit status 0 when every resume check holds (and every UI page loaded, with --ui).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from flows.local_server import LocalServer

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
POLL_S = 0.2  # how often the parent counts the store's records while the first run renders
RUN_TIMEOUT_S = 1800  # a child run of the stand-in; 1000 segments take ~3 min on the 2-core box
SEGMENT, TAKE = "render-segment-", "render-take-"
SERVER_START_S = 600.0  # the server's first start (migrations) on 2 cores other engineers load to 20+
HEARTBEAT_S = 30  # the children's flow-run heartbeats with --crash-silent (Prefect's minimum; default 180)


class WorkClock:
    """The child's timeline from its launch (`t0`, epoch seconds): imports done, render called, the
    first segment finished, the engine's first generate call (new work), the first rendered segment."""

    def __init__(self, t0: float):
        self.t0 = t0
        self.times: dict[str, float] = {}
        self.takes_generated = 0
        self.segments = Counter()  # finished segments: cached, rendered
        self._lock = threading.Lock()  # chapters publish their segments from their own threads

    def mark(self, name: str) -> None:
        self.times.setdefault(name, round(time.time() - self.t0, 3))

    def on_segment(self, event) -> None:
        """A `tasks.render.progress` listener: in-process chapters publish every finished segment (the book's
        size, `BookPlanned`, is published too: not a segment)."""
        from tasks.render.progress import SegmentDone

        if not isinstance(event, SegmentDone):
            return
        with self._lock:
            self.mark("first_segment_s")
            self.segments["cached" if event.cached else "rendered"] += 1
            if not event.cached:
                self.mark("first_rendered_s")

    def open_engine(self, key):
        """The stand-in engine, its generate calls counted (takes made, not read from the cache)."""
        from instant_engine import open_instant

        batching = open_instant(key)
        generate = batching.engine.generate_batch

        def counted(texts, *args, **kwargs):
            self.mark("first_generate_s")
            self.takes_generated += len(texts)
            return generate(texts, *args, **kwargs)

        batching.engine.generate_batch = counted
        return batching


def child(root: Path, t0: float, result: Path) -> None:
    """One render of the book in this process (killed by the parent, or run to its end); its timeline and
    counts go to `result` even when the run fails (the error's last line with them)."""
    clock, error = WorkClock(t0), None
    from bench_pipeline import render_in_process

    from tasks.render.engines import EnginePool, lend
    from tasks.render.progress import add_listener

    clock.mark("imported_s")
    add_listener(clock.on_segment)
    try:
        with EnginePool(open_engine=clock.open_engine) as pool, lend(pool):
            clock.mark("render_called_s")
            render_in_process(root / "book.md", root / "out", root / "segments")
    except Exception as exc:  # reported by the parent with the timeline
        error = f"{type(exc).__name__}: {str(exc)[:300]}"
        raise
    finally:
        clock.mark("done_s")
        result.write_text(json.dumps(clock.times | {"takes_generated": clock.takes_generated, "error": error,
                                                    **clock.segments}))


def fresh_env(root: Path) -> dict:
    """No Prefect settings of the caller's: ROOT's Prefect home; the repository and benchmarks importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return env | {"PREFECT_HOME": str(root / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                  "DO_NOT_TRACK": "1", "HF_HUB_OFFLINE": "1", "PYTHONPATH": os.pathsep.join([str(REPO), str(HERE)])}


def launch(root: Path, name: str, api_url: str, env: dict) -> subprocess.Popen:
    """A child render in its own process group (the kill takes all of it), output in ROOT/<name>.log."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(root), "--t0", repr(time.time()),
               "--result", str(root / f"{name}.json")]
    with open(root / f"{name}.log", "wb") as log:
        return subprocess.Popen(command, env=fresh_env(root) | env | {"PREFECT_API_URL": api_url}, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)


def kill_at(process: subprocess.Popen, store: Path, records: int, timeout_s: float = RUN_TIMEOUT_S) -> dict:
    """SIGKILL the child's group once `store` holds `records` segment records; when, and how many then."""
    start = time.monotonic()
    while time.monotonic() - start < timeout_s and process.poll() is None:
        if store.is_dir() and sum(p.name.startswith(SEGMENT) for p in store.iterdir()) >= records:
            break
        time.sleep(POLL_S)
    if process.poll() is not None:
        raise SystemExit(f"the first run ended ({process.returncode}) before {records} segments: see its log")
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return {"killed_after_s": round(time.monotonic() - start, 1),
            "segment_files_at_kill": sum(p.name.startswith(SEGMENT) for p in store.iterdir())}


def readable(path: Path) -> bool:
    """What Prefect's ResultStore.exists decides: the record deserializes (a half-written one does not)."""
    from prefect.results import ResultRecord

    try:
        ResultRecord.deserialize(path.read_bytes())
    except Exception:  # noqa: BLE001  (any way a record fails to load is a torn record)
        return False
    return True


def scan_store(store: Path) -> dict:
    """Segment and take records in the store, intact and not."""
    counts = Counter()
    for path in store.iterdir():
        kind = "segment" if path.name.startswith(SEGMENT) else "take" if path.name.startswith(TAKE) else "other"
        counts[f"{kind}_{'ok' if readable(path) else 'torn'}"] += 1
    return dict(sorted(counts.items()))


def segment_id(record: Path) -> str:
    """`render-segment-v2-<segment id>-<hash>` → the segment id."""
    return record.name.split("-", 3)[3].rsplit("-", 1)[0]


def tear(store: Path, count: int) -> list[str]:
    """Cut `count` intact segment records to half their bytes, and the first one's takes too (made
    again on the rerun; the others' intact takes are reused); the names torn."""
    chosen = sorted(p for p in store.iterdir() if p.name.startswith(SEGMENT) and readable(p))[:count]
    takes = sorted(store.glob(f"{TAKE}*-{segment_id(chosen[0])}-*")) if chosen else []
    for path in chosen + takes:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return [p.name for p in chosen + takes]


def api(url: str, path: str, body: dict | None = None) -> object:
    response = httpx.post(f"{url}{path}", json=body or {}, timeout=60)
    response.raise_for_status()
    return response.json()


def runs_by_state(url: str) -> dict:
    """Book runs (name and state), and chapter and task runs counted by state name, as the server holds them.
    Task runs are written from events: read until two reads a second apart agree."""
    def read() -> dict:
        runs = api(url, "/flow_runs/filter", {"sort": "START_TIME_ASC"})
        states = {name: api(url, "/task_runs/count", {"task_runs": {"state": {"name": {"any_": [name]}}}})
                  for name in ("Completed", "Cached", "Running", "Pending", "Failed", "Crashed")}
        return {"book_runs": [f"{r['name']}: {r['state_name']}" for r in runs if r["parent_task_run_id"] is None],
                "chapter_runs": dict(Counter(r["state_name"] for r in runs if r["parent_task_run_id"])),
                "task_runs": states}
    last = read()
    for _ in range(30):
        time.sleep(1.0)
        now = read()
        if now == last:
            break
        last = now
    return last


def checks(total: int, before: dict, reruns: list[dict], after: dict) -> dict[str, bool]:
    """What must hold for a clean resume (`before`: the store after the kill and the tearing), summed over
    the reruns it took to complete the book."""
    intact_segments, intact_takes = before.get("segment_ok", 0), before.get("take_ok", 0)
    last = reruns[-1]
    return {
        "a rerun completed the book": last["returncode"] == 0,
        "every segment not intact rendered once (none twice)":
            sum(r.get("rendered", 0) for r in reruns) == total - intact_segments,
        "takes generated only where no intact take was kept": sum(r["takes_generated"] for r in reruns) == total - intact_takes,
        "the completing rerun finished every segment (cached unless rendered in it)":
            last.get("cached", 0) + last.get("rendered", 0) == total,
        "every record readable after the reruns": set(after) == {"segment_ok", "take_ok"}
                                                   and after["segment_ok"] == after["take_ok"] == total,
    }


def start_server(root: Path, crash_silent_s: float | None) -> LocalServer:
    """The parent's server (UI on, every service, its database in ROOT); with `crash_silent_s`, Prefect's
    automation that sets runs silent that long Crashed (flows/zombie_runs.py)."""
    from flows.local_server import LocalServer, free_port

    server = LocalServer(os.environ | {"PREFECT_UI_ENABLED": "true", "PREFECT_UI_API_URL": "/api"})
    server.spawn(free_port())
    server.wait_until_healthy(SERVER_START_S)
    if crash_silent_s:
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from flows.zombie_runs import ensure_silent_runs_automation

        with temporary_settings(updates={PREFECT_API_URL: server.url}):
            ensure_silent_runs_automation(crash_silent_s)
    return server


def first_run_killed(root: Path, url: str, total: int, tear_count: int, env: dict) -> dict:
    """The first run, SIGKILLed at half; the store and the runs as the kill left them; the tearing."""
    store = root / "segments"
    killed = kill_at(launch(root, "first", url, env), store, total // 2)
    found = {"kill": killed, "store_at_kill": scan_store(store), "runs_after_kill": runs_by_state(url),
             "left_running": [r["id"] for r in api(url, "/flow_runs/filter",
                                                     {"flow_runs": {"state": {"type": {"any_": ["RUNNING"]}}}})]}
    return found | {"torn": tear(store, tear_count), "store_before_rerun": scan_store(store)}


def reruns(root: Path, url: str, env: dict, attempts: int) -> list[dict]:
    """Reruns in fresh children until one completes (at most `attempts`, as a person reruns a failed book):
    each one's timeline, counts, error and wall time seen from here."""
    done: list[dict] = []
    while len(done) < attempts and not (done and done[-1]["returncode"] == 0):
        name, start = f"rerun-{len(done) + 1}", time.monotonic()
        child = launch(root, name, url, env)
        code = child.wait(RUN_TIMEOUT_S)
        done.append(json.loads((root / f"{name}.json").read_text())
                    | {"returncode": code, "wall_s": round(time.monotonic() - start, 1)})
    return done


def wait_crashed(url: str, run_ids: list[str], since: float, timeout_s: float) -> dict:
    """Seconds from `since` (the kill, monotonic) until every run the kill left Running is final, and their states."""
    while True:
        runs = api(url, "/flow_runs/filter", {"flow_runs": {"id": {"any_": run_ids}}})
        if all(r["state_type"] != "RUNNING" for r in runs) or time.monotonic() - since > timeout_s:
            return {"seconds_after_kill": round(time.monotonic() - since), "states": dict(Counter(r["state_name"] for r in runs))}
        time.sleep(2.0)


def resume(root: Path, segments: int, seed: int, tear_count: int, attempts: int, ui: Path | None,
           crash_silent_s: float | None) -> dict:
    """The whole experiment on one server: first run killed at half, tearing, rerun, checks (and the UI)."""
    from bench_book import write_book

    total = sum(write_book(root / "book.md", segments, seed))
    env = {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(HEARTBEAT_S)} if crash_silent_s else {}
    server = start_server(root, crash_silent_s)
    try:
        first = first_run_killed(root, server.url, total, tear_count, env)
        killed_at = time.monotonic()
        (root / "result.json").write_text(json.dumps(first))  # kept if what follows fails
        again = reruns(root, server.url, env, attempts)
        after = scan_store(root / "segments")
        result = {"segments": total, **first, "reruns": again, "store_after_rerun": after,
                  "runs_after_rerun": runs_by_state(server.url),
                  "checks": checks(total, first["store_before_rerun"], again, after)}
        (root / "result.json").write_text(json.dumps(result))
        if crash_silent_s:
            result["killed_runs"] = wait_crashed(server.url, first["left_running"], killed_at, crash_silent_s + 180)
        if ui:
            from ui_scale_check import check_pages

            result["ui"] = check_pages(server.url, ui)
        return result
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tear", type=int, default=2, help="intact segment records to cut in half after the kill")
    parser.add_argument("--attempts", type=int, default=3, help="reruns at most, until one completes the book")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "resume")
    parser.add_argument("--ui", type=Path, metavar="SHOTS", help="then time the UI's pages (ui_scale_check.py)")
    parser.add_argument("--json", type=Path, help="write every figure measured here")
    parser.add_argument("--crash-silent", type=float, metavar="SECONDS",
                        help=f"save flows/zombie_runs.py's automation (runs silent this long: Crashed), heartbeats "
                             f"every {HEARTBEAT_S} s, and time how long the killed runs stay Running")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.t0, args.result)
        return 0
    root = args.out / f"resume-{args.segments}"
    shutil.rmtree(root, ignore_errors=True)
    (root / "prefect-home").mkdir(parents=True)
    env = fresh_env(root)  # the server's too: set before Prefect is imported here
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(HERE))
    result = resume(root, args.segments, args.seed, args.tear, args.attempts, args.ui, args.crash_silent)
    text = json.dumps(result, indent=1)
    if args.json:
        args.json.write_text(text)
    print(text)
    ui_ok = all(page["loaded"] for page in result.get("ui", {}).get("pages", []))
    return 0 if all(result["checks"].values()) and ui_ok else 1


if __name__ == "__main__":
    sys.exit(main())
