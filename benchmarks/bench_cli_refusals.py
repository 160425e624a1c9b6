"""How fast `barkbook` refuses wrong input (issue 38): each case run as a person runs it, in a fresh process,
timed from start to exit; prints the wall time, the exit code, how many lines reached stderr and the first.

Every case points the caches at empty folders (no model cached; `HF_HUB_OFFLINE=1` where the case says
offline), so "not cached" is what it measures. The unreachable-hub case needs a machine without network to
huggingface.co (else it downloads the model). Usage:

    PYTHONPATH=. python benchmarks/bench_cli_refusals.py [--repeats 3] [--only NAME ...] [--timeout 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "manuscripts" / "aesop-fables.md"
ENTRY = "import sys; sys.argv[0] = 'barkbook'; from flows.cli import main; main()"  # as the console script runs


def cases(tmp: Path) -> dict[str, tuple[list[str], dict]]:
    """name → (barkbook arguments, extra environment)."""
    (tmp / "empty.txt").write_text("")
    (tmp / "a-file").write_text("not a folder")
    (tmp / "page.txt").write_text("<!DOCTYPE html><html><head><title>T</title></head><body><p>Hi.</p></body></html>\n")
    render = ["render", str(SAMPLE), "--out", str(tmp / "out")]
    offline = {"HF_HUB_OFFLINE": "1"}
    return {
        "missing manuscript": (["render", str(tmp / "missing.md"), "--model", "random-tiny"], {}),
        "empty manuscript": (["render", str(tmp / "empty.txt"), "--model", "random-tiny"], {}),
        "a file for --out": (["render", str(SAMPLE), "--model", "random-tiny", "--out", str(tmp / "a-file")], {}),
        "unwritable --out": (["render", str(SAMPLE), "--model", "random-tiny", "--out", "/proc/barkbook-out"], {}),
        "--takes abc": ([*render, "--model", "random-tiny", "--takes", "abc"], {}),
        "--takes 0": ([*render, "--model", "random-tiny", "--takes", "0"], {}),
        "--sample-minutes 9": ([*render, "--model", "random-tiny", "--sample-minutes", "9"], {}),
        "--voice v2/en_speaker_99": ([*render, "--model", "random-tiny", "--voice", "v2/en_speaker_99"], {}),
        "--model tiny": ([*render, "--model", "tiny"], {}),
        "--target kobo": ([*render, "--model", "random-tiny", "--target", "kobo"], {}),
        "--format ogg": ([*render, "--model", "random-tiny", "--format", "ogg"], {}),
        "--qc words": ([*render, "--model", "random-tiny", "--qc", "words"], {}),
        "small offline, not cached": ([*render, "--model", "small"], offline),
        "small, hub unreachable": ([*render, "--model", "small"], {}),
        "segment missing": (["segment", str(tmp / "missing.md")], {}),
    }


def run_once(args: list[str], env: dict, timeout: float) -> tuple[float, int, list[str]]:
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", ENTRY, *args], env=env, capture_output=True, text=True,
                              timeout=timeout, cwd=REPO)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, -1, [f"(still running after {timeout:g} s)"]
    return time.perf_counter() - start, done.returncode, [line for line in done.stderr.splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--timeout", type=float, default=300.0)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "HF_"))}
        base |= {"PYTHONPATH": str(REPO), "PREFECT_HOME": str(tmp / "prefect"), "HF_HOME": str(tmp / "hf"),
                 "XDG_CACHE_HOME": str(tmp / "xdg"), "TORCH_HOME": str(tmp / "torch"),
                 "BARKBOOK_CACHE_DIR": str(tmp / "barkbook"), "COLUMNS": "200"}
        print(f"{'case':28s} {'median s':>9s} {'exit':>4s} {'lines':>5s}  first line of stderr")
        for name, (args, env) in cases(tmp).items():
            if options.only and name not in options.only:
                continue
            runs = [run_once(args, base | env, options.timeout) for _ in range(options.repeats)]
            seconds = statistics.median(r[0] for r in runs)
            _, code, lines = runs[-1]
            print(f"{name:28s} {seconds:9.2f} {code:4d} {len(lines):5d}  {(lines or [''])[0][:150]}", flush=True)


if __name__ == "__main__":
    main()
