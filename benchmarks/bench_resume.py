"""Resume at scale (issue 22, item 4): a book SIGKILLed at half is rerun; what it finished comes back from the cache.

The parent starts a Prefect server (barkbook's LocalServer, UI on, all its services) that outlives the
book's process, writes a generated book (bench_book.py) and renders it through `render-book` in a child
process with the stand-in engine lent (instant_engine.py; bench_pipeline.py's `render_in_process`). When
the result store holds half the book's `render-segment-*` records it SIGKILLs the child's process group,
reads every record back (a record a kill cut mid-write does not deserialize), tears `--tear` more on
purpose (halves of a finished segment's records, one with its take: what a kill mid-write leaves, which
a SIGKILL at a random moment rarely hits) and reruns the book in a fresh child. It checks that every
intact segment comes back Cached, the torn ones are made again, only takes with no intact record are
generated, and every record is readable after; it times the rerun's start-up, its cached replay (to
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
import time
from collections import Counter
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
POLL_S = 0.2  # how often the parent counts the store's records while the first run renders
RUN_TIMEOUT_S = 1800  # a child run of the stand-in; 1000 segments take ~3 min on the 2-core box
SEGMENT, TAKE = "render-segment-", "render-take-"


class WorkClock:
    """The child's timeline from its launch (`t0`, epoch seconds): imports done, render called, the
    first segment finished, the engine's first generate call (new work), the first rendered segment."""

    def __init__(self, t0: float):
        self.t0 = t0
        self.times: dict[str, float] = {}
        self.takes_generated = 0

    def mark(self, name: str) -> None:
        self.times.setdefault(name, round(time.time() - self.t0, 3))

    def on_segment(self, event) -> None:
        """A `tasks.progress` listener: in-process chapters publish every finished segment."""
        self.mark("first_segment_s")
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


def child(root: Path, t0: float) -> dict:
    """One render of the book in this process (killed by the parent, or run to its end)."""
    clock = WorkClock(t0)
    from bench_pipeline import render_in_process

    from tasks.engines import EnginePool, lend
    from tasks.progress import add_listener

    clock.mark("imported_s")
    add_listener(clock.on_segment)
    with EnginePool(open_engine=clock.open_engine) as pool, lend(pool):
        clock.mark("render_called_s")
        summary = render_in_process(root / "book.md", root / "out", root / "segments")
    clock.mark("done_s")
    return clock.times | {"takes_generated": clock.takes_generated,
                          **{k: summary[k] for k in ("segments", "rendered", "cached", "chapters")}}


def fresh_env(root: Path) -> dict:
    """No Prefect settings of the caller's: ROOT's Prefect home; the repository and benchmarks importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return env | {"PREFECT_HOME": str(root / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                  "DO_NOT_TRACK": "1", "HF_HUB_OFFLINE": "1", "PYTHONPATH": os.pathsep.join([str(REPO), str(HERE)])}


def launch(root: Path, name: str, api_url: str) -> subprocess.Popen:
    """A child render in its own process group (the kill takes all of it), output in ROOT/<name>.log."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(root), "--t0", repr(time.time()),
               "--result", str(root / f"{name}.json")]
    with open(root / f"{name}.log", "wb") as log:
        return subprocess.Popen(command, env=fresh_env(root) | {"PREFECT_API_URL": api_url}, stdout=log, stderr=subprocess.STDOUT,
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


def checks(total: int, before: dict, rerun: dict, after: dict) -> dict[str, bool]:
    """What must hold for a clean resume (`before`: the store after the kill and the tearing)."""
    intact_segments, intact_takes = before.get("segment_ok", 0), before.get("take_ok", 0)
    return {
        "every intact segment record came back Cached": rerun["cached"] == intact_segments,
        "every other segment rendered once": rerun["rendered"] == total - intact_segments,
        "takes generated only where no intact take was kept": rerun["takes_generated"] == total - intact_takes,
        "every record readable after the rerun": set(after) == {"segment_ok", "take_ok"}
                                                  and after["segment_ok"] == after["take_ok"] == total,
    }


def resume(root: Path, segments: int, seed: int, tear_count: int, ui: Path | None) -> dict:
    """The whole experiment on one server: first run killed at half, tearing, rerun, checks (and the UI)."""
    sys.path.insert(0, str(HERE))
    from bench_book import write_book

    from flows.local_server import LocalServer, free_port

    total = sum(write_book(root / "book.md", segments, seed))
    server = LocalServer(os.environ | {"PREFECT_UI_ENABLED": "true", "PREFECT_UI_API_URL": "/api"})
    server.spawn(free_port())
    try:
        server.wait_until_healthy(LocalServer.START_TIMEOUT_S)
        store = root / "segments"
        first = launch(root, "first", server.url)
        killed = kill_at(first, store, total // 2)
        at_kill = scan_store(store)
        runs_after_kill = runs_by_state(server.url)
        torn = tear(store, tear_count)
        before = scan_store(store)
        start = time.monotonic()
        second = launch(root, "rerun", server.url)
        if second.wait(RUN_TIMEOUT_S):
            raise SystemExit(f"the rerun failed ({second.returncode}): see {root / 'rerun.log'}")
        rerun = json.loads((root / "rerun.json").read_text()) | {"wall_s": round(time.monotonic() - start, 1)}
        after = scan_store(store)
        result = {"segments": total, "kill": killed, "store_at_kill": at_kill, "runs_after_kill": runs_after_kill,
                  "torn": torn, "store_before_rerun": before, "rerun": rerun, "store_after_rerun": after,
                  "runs_after_rerun": runs_by_state(server.url)}
        result["checks"] = checks(total, before, rerun, after)
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
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "resume")
    parser.add_argument("--ui", type=Path, metavar="SHOTS", help="then time the UI's pages (ui_scale_check.py)")
    parser.add_argument("--json", type=Path, help="write every figure measured here")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.result.write_text(json.dumps(child(args.child, args.t0)))
        return 0
    root = args.out / f"resume-{args.segments}"
    shutil.rmtree(root, ignore_errors=True)
    (root / "prefect-home").mkdir(parents=True)
    env = fresh_env(root)  # the server's too: set before Prefect is imported here
    os.environ.clear()
    os.environ.update(env)
    result = resume(root, args.segments, args.seed, args.tear, args.ui)
    text = json.dumps(result, indent=1)
    if args.json:
        args.json.write_text(text)
    print(text)
    ui_ok = all(page["loaded"] for page in result.get("ui", {}).get("pages", []))
    return 0 if all(result["checks"].values()) and ui_ok else 1


if __name__ == "__main__":
    sys.exit(main())
