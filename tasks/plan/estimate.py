"""A render's wall time before it starts, from rates measured on named machines (for --dry-run only)."""

from __future__ import annotations

# Seconds of compute per second of audio at the default batch size, by (model, device, autocast), and the
# machine it was measured on: README's benchmark tables (benchmarks/bench_engine.py). For --dry-run only.
MEASURED_RTF = {
    ("random-tiny", "cpu", None): (0.5, "the sample book on a 2-core Xeon"),
    ("small", "cpu", None): (5.6, "a 2-core Xeon with AMX, batch 8, 2026-12-01"),
    ("small", "cpu", "bfloat16"): (2.0, "a 2-core Xeon with AMX, batch 8, 2026-12-01; ~6x slower without bf16 units"),
    ("large", "cpu", None): (50.0, "a 2-core AMD EPYC, batch 2, 2026-11-25"),
    ("large", "cuda", "bfloat16"): (0.95, "an H200, batch 8, 2026-11-30"),
}


def estimated_render_seconds(
    audio_seconds: float, model: str, device: str, autocast: str | None = None
) -> tuple[float, str] | None:
    """Rough wall time to render `audio_seconds` of speech and where the rate was measured, or None
    where nothing was measured for this model, device and mode."""
    measured = MEASURED_RTF.get((model, device, autocast))
    return None if measured is None else (audio_seconds * measured[0], measured[1])
