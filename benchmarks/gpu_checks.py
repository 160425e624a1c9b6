"""Correctness on a GPU, for a machine CI does not have: random-weight models, four sentences.

Per shape: the GPU's fp32 greedy tokens against the CPU's; then, in fp32 and each autocast dtype,
greedy and sampled, a batch of four against each row alone and against a rerun; then the same with
--compile (fixed-shape decode steps as CUDA graphs), and its greedy tokens against the uncompiled
run's. Prints and writes the share of identical tokens per stage (1.0 = all equal).

    python benchmarks/gpu_checks.py --device cuda --shapes tiny,small --out gpu_checks.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bark_model import BarkEngine, GenerationParams, load_voice  # noqa: E402
from bark_model.atomic import atomic_path  # noqa: E402
from bark_model.generation import AUTOCAST_DTYPES  # noqa: E402
from bark_model.random_tiny import write_random_checkpoints  # noqa: E402
from bench_quality import token_agreement  # noqa: E402  (benchmarks/ is this script's folder)

TEXTS = ["The fox looked up at the grapes.", "He said they were sour anyway, and walked on.",
         "A crow sat on a branch with cheese in her beak.", "Slow and steady wins the race."]
SEEDS = [11, 12, 13, 14]
SECONDS = [3.0, 2.0, 3.5, 2.5]


def identical(rows_a, rows_b) -> dict:
    """Mean share of identical tokens per stage; length differences count as different."""
    return {k: round(float(np.mean([token_agreement(getattr(a, k), getattr(b, k)) for a, b in zip(rows_a, rows_b)])), 4)
            for k in ("semantic", "coarse", "fine")}


def check_shape(model: str, device: str, out: dict, save) -> None:
    voices = [load_voice("v2/en_speaker_6")] * len(TEXTS)
    gpu = BarkEngine.load(model, device=device)
    greedy = GenerationParams.greedy()
    cpu_rows = BarkEngine.load(model).generate_batch(TEXTS, voices, greedy, SEEDS, SECONDS)
    gpu_rows = gpu.generate_batch(TEXTS, voices, greedy, SEEDS, SECONDS)
    out["gpu_vs_cpu/fp32/greedy"] = identical(cpu_rows, gpu_rows)
    out["gpu_vs_cpu/fp32/greedy/audio_max_abs"] = float(max(
        np.abs(a.audio - b.audio).max() for a, b in zip(cpu_rows, gpu_rows) if a.audio.shape == b.audio.shape))
    save()
    plain = {}
    for engine, label, modes in ((gpu, "", (None, *AUTOCAST_DTYPES)),
                                 (BarkEngine.load(model, device=device, compile=True), "compiled/", (None, "bfloat16"))):
        for mode in modes:
            for name, params in (("greedy", greedy), ("sampled", GenerationParams())):
                p = params.replace(autocast=mode)
                rows = engine.generate_batch(TEXTS, voices, p, SEEDS, SECONDS)
                alone = [engine.generate_batch([t], [v], p, [s], [m])[0]
                         for t, v, s, m in zip(TEXTS, voices, SEEDS, SECONDS)]
                key = f"{label}{mode or 'fp32'}/{name}"
                out[f"{key}/batch_vs_alone"] = identical(rows, alone)
                out[f"{key}/rerun"] = identical(rows, engine.generate_batch(TEXTS, voices, p, SEEDS, SECONDS))
                if name == "greedy" and not label:
                    plain[mode] = rows
                elif name == "greedy":
                    out[f"{key}/vs_uncompiled"] = identical(rows, plain[mode])
                save()


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--shapes", default="tiny,small", help="tiny (random-tiny) and/or small, large")
    parser.add_argument("--out", type=Path, default=Path("gpu_checks.json"))
    args = parser.parse_args(argv)
    results: dict = {}

    def save():
        with atomic_path(args.out) as tmp:
            tmp.write_text(json.dumps(results, indent=1), encoding="utf-8")

    for shape in args.shapes.split(","):
        folder = "random-tiny" if shape == "tiny" else Path(tempfile.gettempdir()) / f"gpu-checks-{shape}"
        if shape != "tiny" and not (folder / "fine.pt").exists():
            write_random_checkpoints(folder, shape=shape, seed=3)
        results[shape] = {}
        check_shape(str(folder), args.device, results[shape], save)
    print(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
