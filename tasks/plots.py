"""A chapter's loudness over time, drawn for people: `qc/<chapter>.svg` beside the QC report, and a
UI artifact with the same picture, a text sparkline and the ACX numbers."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from .audio import AudioSegment, to_array
from .audio_measure import measure_samples
from .deliver import atomic_write_bytes
from .delivery_checks import ACX
from .qc import window_levels

FLOOR_DB = -80.0  # the bottom of the picture
WIDTH, HEIGHT, MARGIN = 960, 220, 40
SPARKS = "▁▂▃▄▅▆▇█"


def loudness_curve(samples: np.ndarray, rate: int, window_s: float) -> tuple[np.ndarray, np.ndarray]:
    """RMS and peak level (dBFS, floored at FLOOR_DB) of each whole `window_s` window."""
    n = max(1, int(rate * window_s))
    peaks = np.abs(samples[: len(samples) // n * n]).reshape(-1, n).max(axis=1)
    rms_db = window_levels(samples, rate, window_s)
    return np.maximum(rms_db, FLOOR_DB), np.maximum(20 * np.log10(np.maximum(peaks, 1e-12)), FLOOR_DB)


def sparkline(levels_db: np.ndarray, width: int = 60) -> str:
    """Levels as one line of block characters, `width` wide at most (each the loudest of its span)."""
    if not len(levels_db):
        return ""
    spans = np.array_split(levels_db, min(width, len(levels_db)))
    scaled = [(max(s) - FLOOR_DB) / -FLOOR_DB for s in spans]
    return "".join(SPARKS[min(len(SPARKS) - 1, int(v * len(SPARKS)))] for v in scaled)


def chapter_svg(rms_db: np.ndarray, peak_db: np.ndarray, seconds: float, title: str) -> str:
    """Peak envelope (light) and RMS (dark) over time, the ACX RMS band shaded, the peak ceiling dashed."""
    x = lambda i: MARGIN + (WIDTH - 2 * MARGIN) * i / max(1, len(rms_db) - 1)  # noqa: E731
    y = lambda db: MARGIN + (HEIGHT - 2 * MARGIN) * db / FLOOR_DB  # noqa: E731
    line = lambda levels: " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(levels))  # noqa: E731
    band_top, band_bottom = y(ACX.rms_dbfs[1]), y(ACX.rms_dbfs[0])
    grid = "".join(f'<text x="4" y="{y(db) + 4:.1f}" font-size="10">{db}</text>' for db in (0, -20, -40, -60, -80))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif">'
        f'<rect width="100%" height="100%" fill="white"/>'
        f'<text x="{MARGIN}" y="18" font-size="13">{escape(title)}: level (dBFS) over {seconds:.0f} s</text>'
        f'<rect x="{MARGIN}" y="{band_top:.1f}" width="{WIDTH - 2 * MARGIN}" height="{band_bottom - band_top:.1f}" '
        f'fill="#d8f0d8"><title>ACX RMS window</title></rect>{grid}'
        f'<line x1="{MARGIN}" x2="{WIDTH - MARGIN}" y1="{y(ACX.peak_dbfs):.1f}" y2="{y(ACX.peak_dbfs):.1f}" '
        f'stroke="#c33" stroke-dasharray="4 3"><title>ACX peak ceiling</title></line>'
        f'<polyline points="{line(peak_db)}" fill="none" stroke="#9ab" stroke-width="1"/>'
        f'<polyline points="{line(rms_db)}" fill="none" stroke="#135" stroke-width="1.5"/></svg>'
    )


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@task(name="plot-loudness", cache_policy=NO_CACHE)
def plot_chapter(audio: AudioSegment, chapter, output_dir: Path) -> str:
    """Write `qc/<slug>.svg` and the `loudness-<slug>` artifact; returns the SVG's path."""
    samples, rate = to_array(audio), audio.frame_rate
    window_s = max(0.1, len(samples) / rate / 600)  # at most ~600 points however long the chapter
    rms_db, peak_db = loudness_curve(samples, rate, window_s)
    svg = chapter_svg(rms_db, peak_db, len(samples) / rate, f"{chapter.index}. {chapter.title}")
    path = atomic_write_bytes(Path(output_dir) / "qc" / f"{chapter.slug}.svg", svg.encode())
    acx = measure_samples(samples, rate)
    image = base64.b64encode(svg.encode()).decode()
    create_markdown_artifact(
        f"### {chapter.index}. {chapter.title}\n\n"
        f"![loudness over time](data:image/svg+xml;base64,{image})\n\n"
        f"`{sparkline(rms_db)}`\n\n"
        f"| RMS | peak | noise floor | LUFS | length |\n|---|---|---|---|---|\n"
        f"| {acx.rms_dbfs} dBFS | {acx.peak_dbfs} dBFS | {acx.noise_floor_dbfs} dBFS | {acx.lufs} "
        f"| {acx.seconds:.1f} s |\n\nFile: `{path}`",
        key=f"loudness-{chapter.slug}",
        description=f"Loudness of chapter {chapter.index}: {chapter.title}",
    )
    return str(path)
