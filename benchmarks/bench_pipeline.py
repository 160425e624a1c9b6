"""How the pipeline's cost grows with the book (issue 22, item 1): books of N segments through render-book.

For each size a fresh process (its own peak RSS) writes a generated manuscript (bench_book.py), starts
a temporary Prefect server on 127.0.0.1 with its own PREFECT_HOME (barkbook's LocalServer, as the CLI
does), and runs `flows.render_book.render_book` in process with random-tiny, `qc="signal"`, WAV only, no
credits and no sample, into a fresh output and result-store folder; then runs it again, everything
cached. The engine's seconds (its load, every batch's stages through BarkEngine's `on_stage`, decode
calls) come from an EnginePool lent to the book run (bench_meters.py), so pipeline time is wall time
less engine time: Prefect, the cache, QC, mastering, assembly, packaging.

    PYTHONPATH=. python benchmarks/bench_pipeline.py --segments 100 1000 [--out DIR] [--json FILE]

Modes: `in-process` (chapters as sub-flows of the book run). `deployments` (chapter runs taken by
workers, issue 22 items 6–7) is to come: it adds a runner to RUNNERS and worker processes' RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from flows.request import ChapterRuns, RenderRequest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MODES = ("in-process",)  # "deployments" next: chapter deployment runs, two workers
CHILD_TIMEOUT_S = 4 * 3600


def render_in_process(manuscript: Path, out: Path, cache: Path | str, chapter_deployment: str | None = None) -> dict:
    """render-book as the benchmark fixes it: random-tiny, signal QC, WAV, no credits, no sample; its chapters
    here, or as runs of `chapter_deployment` (bench_workers.py)."""
    from flows.render_book import render_book

    request = RenderRequest(manuscript=manuscript, model="random-tiny", qc="signal", formats=["wav"], output_dir=out,
                            cache_dir=cache, credits=None, sample_minutes=None)
    return render_book(request, ChapterRuns(deployment=chapter_deployment)).model_dump(mode="json")


RUNNERS = {"in-process": render_in_process}


def engine_loader(engine: str):
    """The engine pool's loader: the stand-in (instant_engine.py) or the product's own (random-tiny)."""
    from instant_engine import open_instant

    from tasks.render.engines import load_engine

    return {"instant": open_instant, "random-tiny": load_engine}[engine]


def timed_run(mode: str, engine: str, manuscript: Path, out: Path, cache: Path, api, server_pid: int | None) -> dict:
    """One book run with an instrumented engine pool lent to it: wall, engine, CPU, RSS curve, API calls."""
    from bench_meters import EngineClock, RssSampler, cpu_seconds

    from tasks.render.engines import EnginePool, lend

    clock, calls_before = EngineClock(engine_loader(engine)), api.snapshot()
    cpu_before, server_before = time.process_time(), cpu_seconds(server_pid)
    with RssSampler() as rss, EnginePool(open_engine=clock.open_engine) as pool, lend(pool):
        start = time.perf_counter()
        summary = RUNNERS[mode](manuscript, out, cache)
        wall = time.perf_counter() - start
    calls = api.snapshot() - calls_before
    return {"wall_s": round(wall, 2), "engine_s": round(clock.total(), 2),
            "cpu_s": round(time.process_time() - cpu_before, 2),
            "server_cpu_s": round(cpu_seconds(server_pid) - server_before, 2),
            "engine_stages_s": {k: round(v, 2) for k, v in sorted(clock.seconds.items())},
            "segments": summary["segments"], "rendered": summary["rendered"], "cached": summary["cached"],
            "chapters": summary["chapters"], "rss_quartiles_mb": rss.quartiles(),
            "api_calls": sum(calls.values()), "api_top": dict(calls.most_common(8))}


def child(mode: str, engine: str, segments: int, root: Path, seed: int) -> dict:
    """Everything measured for one book size, in this (fresh) process."""
    sys.path.insert(0, str(HERE))
    from bench_book import write_book
    from bench_meters import ApiCounter, count_runs, folder_bytes, peak_rss_mb

    from flows.local_server import LocalServer

    manuscript, out, cache = root / "book.md", root / "out", root / "segments"
    sizes = write_book(manuscript, segments, seed)
    api = ApiCounter()
    api.install()
    server = LocalServer.start()
    with server.serving():
        from prefect.events.worker import EventsWorker
        from prefect.settings import PREFECT_API_URL

        import flows.render_book  # noqa: F401  (imported first: the baseline RSS holds the code, not a run)

        baseline = peak_rss_mb()
        pid = server.process.pid if server.process else None
        first = timed_run(mode, engine, manuscript, out, cache, api, pid)
        first["peak_rss_mb"] = round(peak_rss_mb())
        (root / "first.json").write_text(json.dumps(first))  # kept if the rerun is cut short
        EventsWorker.drain_all(timeout=60)
        runs_first = count_runs(PREFECT_API_URL.value())
        rerun = timed_run(mode, engine, manuscript, out, cache, api, pid)
        EventsWorker.drain_all(timeout=60)
        runs_total = count_runs(PREFECT_API_URL.value())
        server_peak = peak_rss_mb(str(server.process.pid)) if server.process else 0.0
    server.stop()
    store_bytes, store_files = folder_bytes(cache)
    return {"mode": mode, "engine": engine, "target_segments": segments, "chapter_sizes": sizes, "baseline_rss_mb": round(baseline),
            "first": first | runs_first, "rerun": rerun | {k: runs_total[k] - runs_first[k] for k in runs_total},
            "store_bytes": store_bytes, "store_files": store_files, "server_peak_rss_mb": round(server_peak),
            "prefect_db_bytes": folder_bytes(root / "prefect-home")[0], "output_bytes": folder_bytes(out)[0]}


def run_size(mode: str, engine: str, segments: int, out: Path, seed: int, py_spy: str | None = None,
             repo: Path = REPO, side: str = "") -> dict:
    """Run `child` for one size in a fresh process with a fresh root (output, store, Prefect home), with
    the code of `repo` (this tree, or a worktree of `--against`); under `py-spy record` (folded stacks of
    every thread, 20 Hz, in ROOT/profile.folded) if given."""
    root = out / "-".join(filter(None, [mode, engine, str(segments), side]))
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(root / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1", "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": os.pathsep.join([str(repo), str(repo / "benchmarks")])}
    command = [sys.executable, str(repo / "benchmarks" / "bench_pipeline.py"), "--child", str(segments), "--root", str(root),
               "--mode", mode, "--engine", engine, "--seed", str(seed)]
    if py_spy:
        command = [py_spy, "record", "--rate", "20", "--format", "raw", "--output", str(root / "profile.folded"),
                   "--"] + command
    with open(root / "run.log", "wb") as log:
        done = subprocess.run(command, check=False, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=CHILD_TIMEOUT_S, cwd=repo)
    if done.returncode or not (root / "result.json").is_file():
        raise SystemExit(f"{mode} {segments} segments failed ({done.returncode}); see {root / 'run.log'}")
    return json.loads((root / "result.json").read_text()) | {"tree": side or "this tree"}


@contextlib.contextmanager
def against_tree(rev: str | None):
    """A detached git worktree of `rev` (removed after), or None."""
    if not rev:
        yield None
        return
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "against"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), rev], check=True, capture_output=True)
        try:
            yield tree
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False)


def table(results: list[dict]) -> str:
    """The figures as a Markdown table, one row per size."""
    head = ("| tree | segments | chapters | wall s | engine s | pipeline ms/seg | book CPU ms/seg | peak RSS MB (base) "
            "| RSS curve MB | store MB | task runs | API calls | rerun s | rerun book CPU ms/seg | rerun task runs |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        f, again = r["first"], r["rerun"]
        per_segment = (f["wall_s"] - f["engine_s"]) / f["segments"] * 1000
        lines.append(
            f"| {r.get('tree', 'this tree')} | {f['segments']} | {f['chapters']} | {f['wall_s']:.0f} | {f['engine_s']:.0f} "
            f"| {per_segment:.0f} | {f['cpu_s'] / f['segments'] * 1000:.0f} "
            f"| {f['peak_rss_mb']} ({r['baseline_rss_mb']}) | {'/'.join(map(str, f['rss_quartiles_mb']))} "
            f"| {r['store_bytes'] / 2**20:.1f} | {f['task_runs']} | {f['api_calls']} | {again['wall_s']:.0f} "
            f"| {again['cpu_s'] / again['segments'] * 1000:.0f} | {again['task_runs']} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--mode", choices=MODES, default="in-process")
    parser.add_argument("--engine", choices=("instant", "random-tiny"), default="instant",
                        help="instant: a stand-in that costs ~nothing (instant_engine.py); random-tiny: the real engine")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "pipeline")
    parser.add_argument("--json", type=Path, help="write every figure measured here")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--py-spy", metavar="PY_SPY", help="profile each size's process with this py-spy binary")
    parser.add_argument("--against", metavar="REV", help="run each size at this git revision too (a worktree), "
                        "right after this tree's run")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        (args.root / "result.json").write_text(json.dumps(child(args.mode, args.engine, args.child, args.root, args.seed)))
        return
    results = []
    with against_tree(args.against) as other:
        sides = [("", REPO)] + ([(args.against, other)] if other else [])
        for segments in args.segments:
            for side, repo in sides:  # this tree, then the other, at each size: both meet the same load
                results.append(run_size(args.mode, args.engine, segments, args.out, args.seed, args.py_spy, repo, side))
                print(json.dumps(results[-1]), file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(table(results))


if __name__ == "__main__":
    main()
