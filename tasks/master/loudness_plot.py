"""A chapter's loudness over time, drawn for people: `qc/<chapter>.svg` beside the QC report, and a
UI artifact with the same picture and the ACX numbers. The picture has a time axis (m:ss) and a legend."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from tasks.core import atomic_write_bytes, seconds_clock
from tasks.plan import chapter_artifact_key
from tasks.qc import window_levels

from .audio import AudioSegment, to_array
from .checks import ACX
from .measure import measure_samples

FLOOR_DB = -80.0  # the bottom of the picture
WIDTH, HEIGHT, MARGIN = 960, 280, 50
TOP = 50  # room for the title and the legend
TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)


def loudness_curve(samples: np.ndarray, rate: int, window_s: float) -> tuple[np.ndarray, np.ndarray]:
    """RMS and peak level (dBFS, floored at FLOOR_DB) of each whole `window_s` window."""
    n = max(1, int(rate * window_s))
    peaks = np.abs(samples[: len(samples) // n * n]).reshape(-1, n).max(axis=1)
    rms_db = window_levels(samples, rate, window_s)
    return np.maximum(rms_db, FLOOR_DB), np.maximum(20 * np.log10(np.maximum(peaks, 1e-12)), FLOOR_DB)


def time_step(seconds: float, most: int = 10) -> int:
    """The smallest round tick spacing (seconds) giving at most `most` ticks over `seconds`."""
    return next((step for step in TICK_STEPS if seconds / step <= most), TICK_STEPS[-1])


def time_axis(seconds: float) -> str:
    """Ticks and m:ss labels along the bottom, and the axis' name."""
    step, bottom = time_step(seconds), HEIGHT - MARGIN
    ticks = []
    for t in range(0, int(seconds) + 1, step):
        x = MARGIN + (WIDTH - 2 * MARGIN) * t / max(seconds, 1e-9)
        ticks.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 4}" stroke="#333"/>'
                     f'<text x="{x:.1f}" y="{bottom + 16}" font-size="10" text-anchor="middle">{seconds_clock(t, rounding="nearest", hours=False)}</text>')
    return (f'<line x1="{MARGIN}" x2="{WIDTH - MARGIN}" y1="{bottom}" y2="{bottom}" stroke="#333"/>{"".join(ticks)}'
            f'<text x="{WIDTH - MARGIN}" y="{bottom + 30}" font-size="10" text-anchor="end">time (m:ss)</text>')


def legend() -> str:
    """Swatches for the two curves and the two ACX marks, in one row under the title."""
    items = [('<line x1="0" x2="18" y1="0" y2="0" stroke="#135" stroke-width="2"/>', "RMS"),
             ('<line x1="0" x2="18" y1="0" y2="0" stroke="#9ab" stroke-width="2"/>', "peak"),
             ('<rect x="0" y="-5" width="18" height="10" fill="#d8f0d8"/>', "ACX RMS window"),
             ('<line x1="0" x2="18" y1="0" y2="0" stroke="#c33" stroke-dasharray="4 3"/>', "ACX peak ceiling")]
    return "".join(f'<g transform="translate({MARGIN + 150 * i},32)">{mark}<text x="24" y="4" font-size="11">{name}</text></g>'
                   for i, (mark, name) in enumerate(items))


def chapter_svg(rms_db: np.ndarray, peak_db: np.ndarray, seconds: float, title: str) -> str:
    """Peak envelope (light) and RMS (dark) over time, the ACX RMS band shaded, the peak ceiling dashed,
    a time axis and a legend."""
    x = lambda i: MARGIN + (WIDTH - 2 * MARGIN) * i / max(1, len(rms_db) - 1)  # noqa: E731
    y = lambda db: TOP + (HEIGHT - MARGIN - TOP) * db / FLOOR_DB  # noqa: E731
    line = lambda levels: " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(levels))  # noqa: E731
    band_top, band_bottom = y(ACX.rms_dbfs[1]), y(ACX.rms_dbfs[0])
    grid = "".join(f'<text x="{MARGIN - 6}" y="{y(db) + 4:.1f}" font-size="10" text-anchor="end">{db}</text>'
                   for db in (0, -20, -40, -60, -80))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif">'
        f'<rect width="100%" height="100%" fill="white"/>'
        f'<text x="{MARGIN}" y="18" font-size="13">{escape(title)}: level (dBFS) over {seconds:.0f} s</text>'
        f'<rect x="{MARGIN}" y="{band_top:.1f}" width="{WIDTH - 2 * MARGIN}" height="{band_bottom - band_top:.1f}" '
        f'fill="#d8f0d8"><title>ACX RMS window</title></rect>{grid}'
        f'<line x1="{MARGIN}" x2="{WIDTH - MARGIN}" y1="{y(ACX.peak_dbfs):.1f}" y2="{y(ACX.peak_dbfs):.1f}" '
        f'stroke="#c33" stroke-dasharray="4 3"><title>ACX peak ceiling</title></line>'
        f'<polyline points="{line(peak_db)}" fill="none" stroke="#9ab" stroke-width="1"/>'
        f'<polyline points="{line(rms_db)}" fill="none" stroke="#135" stroke-width="1.5"/>'
        f'{time_axis(seconds)}{legend()}</svg>'
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
        f"| RMS | peak | noise floor | LUFS | length |\n|---|---|---|---|---|\n"
        f"| {acx.rms_dbfs} dBFS | {acx.peak_dbfs} dBFS | {acx.noise_floor_dbfs} dBFS | {acx.lufs} "
        f"| {acx.seconds:.1f} s |\n\nFile: `{path}`",
        key=chapter_artifact_key("loudness", chapter),
        description=f"Loudness of chapter {chapter.index}: {chapter.title}",
    )
    return str(path)
