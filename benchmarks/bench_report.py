"""The engine benchmark's report: medians of each configuration's repeated runs, the README's table."""

from __future__ import annotations

import statistics

from bench_runners import STAGES


def summarize(runs: list[dict]) -> dict:
    """Medians over a configuration's successful repeats (stage seconds and throughput each on their
    own), the throughput's range, and how many repeats failed."""
    done = [r for r in runs if "error" not in r]
    if not done:
        return {"error": runs[-1]["error"], "repeats": len(runs)}
    median = lambda values: round(statistics.median(values), 4)  # noqa: E731
    speed = [r["audio_s_per_s"] for r in done]
    return dict(
        repeats=len(done),
        failed=len(runs) - len(done),
        audio_s_per_s=median(speed),
        audio_s_per_s_range=[min(speed), max(speed)],
        stages={s: median([r["stages"][s] for r in done]) for s in STAGES if s in done[0]["stages"]},
        generate_s=median([r["generate_s"] for r in done]),
        peak_rss_mb=max(r["peak_rss_mb"] for r in done),
        **({"peak_gpu_mb": max(r["peak_gpu_mb"] for r in done)} if "peak_gpu_mb" in done[0] else {}),
        audio_s=done[0]["audio_s"],
        lengths=done[0]["lengths"],
    )


def add_speedups(configs: list[dict], shape: str) -> None:
    """Median throughput of each configuration relative to the reference's, when the reference ran."""
    ref = next((c for c in configs if c["shape"] == shape and c["impl"] == "reference" and "error" not in c), None)
    for c in configs:
        if ref and c["shape"] == shape and "error" not in c:
            c["x_reference"] = round(c["audio_s_per_s"] / ref["audio_s_per_s"], 2)


def quality_text(c: dict) -> str:
    q = c.get("vs_ours_exact")
    return (f"tokens {q['semantic_tokens_identical']:.0%}/{q['coarse_tokens_identical']:.0%}/"
            f"{q['fine_tokens_identical']:.0%}, mel L1 {q['log_mel_l1']:.2f}") if q else ""


def markdown_table(results: dict) -> str:
    """One row per configuration: medians of its repeats, stage times, floors, quality."""
    lines = [
        "| shapes | configuration | batch | sentences | runs | audio s / wall s (median; range) | RTF | × reference "
        "| × floor | × roofline | peak RSS MB | semantic s | coarse s | fine s | codec s "
        "| floor s sem/coarse/fine/codec | quality vs exact (smallest batch) |",
        "|" + "---|" * 17,
    ]
    for c in results["configs"]:
        head = f"| {c['shape']} | {c['impl']} {c['mode']} | {c['batch']} | {c['sentences']} | {c['repeats']} |"
        if "error" in c:
            lines.append(head + " failed |" + " |" * 11)
            continue
        s, f, (lo, hi) = c["stages"], c["floors"], c["audio_s_per_s_range"]
        lines.append(
            head + f" {c['audio_s_per_s']:.3f} ({lo:.3f}–{hi:.3f}) | {1 / c['audio_s_per_s']:.1f} | "
            f"{c.get('x_reference', '')} | {f['all']['x_floor']} | {f['all']['x_roofline']} | {c['peak_rss_mb']} | "
            + " | ".join(stage_text(s, k) for k in STAGES) + " | "
            + "/".join(f"{f[k]['floor_s']:.1f}" for k in STAGES) + f" | {quality_text(c)} |"
        )
    return "\n".join(lines) + "\n"


def stage_text(stages: dict, stage: str) -> str:
    """A stage's seconds, or — where the run timed only its total (the CLI)."""
    return f"{stages[stage]:.1f}" if stage in stages else "—"


def run_line(label: str, run: dict) -> str:
    """One repeat, as it finishes."""
    if "error" in run:
        return f"  {label}: FAILED: {run['error'].splitlines()[-1] if run['error'] else ''}"
    split = "  ".join(f"{k} {stage_text(run['stages'], k)}s" for k in STAGES) + f"  total {run['generate_s']:.1f}s"
    gpu = f", GPU {run['peak_gpu_mb']} MB" if "peak_gpu_mb" in run else ""
    return f"  {label}: {run['audio_s_per_s']:.3f} audio-s/s, {run['peak_rss_mb']} MB{gpu}  [{split}]"


def print_table(results: dict) -> None:
    m, w = results["machine"], results["workload"]
    print(f"\n{m['device']}; {m['cpu']}, {m['threads']} threads, fp32 matmul {m['fp32_matmul_gflop_s']} → "
          f"{m['fp32_matmul_gflop_s_after']} GFLOP/s, reads {m['read_gb_s']} → {m['read_gb_s_after']} GB/s; "
          f"{w['sentences']} sentences, {sum(w['speech_seconds']):.0f} s of speech requested; "
          f"medians of {w['repeats']} interleaved runs per configuration")
    print(w["note"])
    print(f"{'configuration':34} {'audio-s/s':>9} {'range':>13} {'RTF':>6} {'x ref':>6} {'x roof':>6} {'RSS MB':>7}  "
          "sem/coarse/fine/codec s   quality vs exact")
    for c in results["configs"]:
        if "error" in c:
            print(f"{c['label']:34} FAILED: {c['error'].splitlines()[-1] if c['error'] else ''}")
            continue
        lo, hi = c["audio_s_per_s_range"]
        split = " / ".join(stage_text(c["stages"], k) for k in STAGES)
        print(f"{c['label']:34} {c['audio_s_per_s']:9.3f} {lo:6.3f}–{hi:6.3f} {1 / c['audio_s_per_s']:6.1f} "
              f"{c.get('x_reference', ''):>6} {c['floors']['all']['x_roofline']:6} {c['peak_rss_mb']:7}  "
              f"{split}   {quality_text(c)}")
    for shape, l1 in results.get("unrelated_audio_log_mel_l1", {}).items():
        print(f"{shape}: log-mel L1 between unrelated sentences (scale of the distances above): {l1}")
