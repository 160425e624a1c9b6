"""The documentation's benchmark plots, drawn as plain SVG from the figures the benchmark reports measured.

    python benchmarks/plot_benchmarks.py [OUT_DIR]     # default docs/images/

Writes engine-throughput.svg (docs/engine.md), pipeline-cpu.svg (docs/long-books.md) and qc-speed.svg
(docs/qc-and-review.md). Nothing is measured here: every value below is copied from the report named
beside it, with the date it was measured, so a plot changes only when a report does.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1")
REFERENCE_COLOUR, GOAL_COLOUR, INK, GRID = "#555555", "#c0392b", "#222222", "#dddddd"
FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"'


@dataclass(frozen=True)
class Measured:
    """One measured figure and where it was measured (the report and the date of the run)."""
    value: float
    source: str
    low: float | None = None  # the range of repeated runs, where the report gives one
    high: float | None = None


@dataclass(frozen=True)
class Line:
    """A horizontal line across a panel: a reference's figure or a goal."""
    label: str
    value: float
    colour: str


@dataclass(frozen=True)
class Panel:
    """Grouped bars: `values[series][group]` (None: not measured), on a linear or log axis."""
    title: str
    groups: tuple[str, ...]
    series: tuple[str, ...]
    values: dict[str, dict[str, Measured | None]]
    y_label: str
    x_label: str = ""
    lines: tuple[Line, ...] = ()
    log: bool = False
    y_max: float | None = None


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    panels: tuple[Panel, ...]
    caption: tuple[str, ...]
    width: int = 900
    height: int = 430


# --- the measured figures ---------------------------------------------------------------------------------

ENGINE_MEDIANS = "benchmarks/bench_engine.md, 2026-12-02 (2-core AMD EPYC, medians of 3 rounds)"
ENGINE_SWEEP = "docs/engine.md, 'the evening before', 2026-11-30 (2-core Intel Xeon with AMX, single runs)"
PIPELINE_1203 = "benchmarks/bench_pipeline.md, 2026-12-03 (tree 5e1302c, load 1.3-1.6)"
PIPELINE_1202 = "benchmarks/bench_pipeline.md, 2026-12-02 18:40-21:12 UTC (1,000 segments, before/after)"
QC_WALL = "docs/speech_qc.md 'Cost', 2026-12-07 (2-core box, load 6.1, by wall clock)"

ENGINE = Figure(
    name="engine-throughput",
    title="Engine throughput: seconds of audio per wall-clock second (higher is faster)",
    panels=(
        Panel("Medians, the reference against ours at batch 8", ("reference b1", "in process b8", "CLI b8"),
              ("exact fp32",),
              {"exact fp32": {"reference b1": Measured(0.065, ENGINE_MEDIANS, 0.062, 0.068),
                              "in process b8": Measured(0.117, ENGINE_MEDIANS, 0.108, 0.121),
                              "CLI b8": Measured(0.116, ENGINE_MEDIANS, 0.112, 0.123)}},
              "audio s / wall s", y_max=0.14),
        Panel("Single runs by batch size (bf16 units)", ("1", "4", "8", "16", "32"), ("exact fp32", "bf16 autocast"),
              {"exact fp32": {"1": Measured(0.118, ENGINE_SWEEP), "4": None, "8": Measured(0.187, ENGINE_SWEEP),
                              "16": None, "32": None},
               "bf16 autocast": {"1": Measured(0.169, ENGINE_SWEEP), "4": Measured(0.299, ENGINE_SWEEP),
                                 "8": Measured(0.371, ENGINE_SWEEP), "16": Measured(0.326, ENGINE_SWEEP),
                                 "32": Measured(0.382, ENGINE_SWEEP)}},
              "audio s / wall s", "batch size", lines=(Line("reference (one run)", 0.076, REFERENCE_COLOUR),), y_max=0.6),
    ),
    caption=("Left: 2-core AMD EPYC (no bf16 units), torch 2.13 CPU, small random-weight shapes, 8 segments of 8 s, greedy;",
             "bars are medians of 3 rounds, whiskers their range (benchmarks/bench_engine.md, 2026-12-02). Own scale.",
             "Right: 2-core Intel Xeon with AMX (bf16 units), the same shapes, single runs of 2026-11-30 (docs/engine.md);",
             "that day's one reference run was slow (by about 1.4×): read the ratio to the reference from the left."),
)

PIPELINE = Figure(
    name="pipeline-cpu",
    title="The pipeline's own CPU per segment (stand-in engine; lower is better)",
    panels=(
        Panel("Book run and Prefect server, by book length", ("100", "1,000", "5,000", "1,000 before"),
              ("book run", "Prefect server"),
              {"book run": {"100": Measured(55, PIPELINE_1203), "1,000": Measured(45, PIPELINE_1202),
                            "5,000": Measured(34, PIPELINE_1203), "1,000 before": Measured(82, PIPELINE_1202)},
               "Prefect server": {"100": Measured(18, PIPELINE_1203), "1,000": Measured(25, PIPELINE_1202),
                                  "5,000": Measured(12, PIPELINE_1203),
                                  "1,000 before": Measured(107, PIPELINE_1202)}},
              "CPU ms per segment", "segments in the book", lines=(Line("goal: 50 ms at 5,000", 50, GOAL_COLOUR),), y_max=120),
    ),
    caption=("2-core CPU box, Prefect 3.9.1 on SQLite, one task run a chapter.",
             "100 and 5,000: 2026-12-03 (benchmarks/bench_pipeline.md); 1,000: 2026-12-02, a test run beside it;"
             " 'before': the same 1,000 with a task run a segment."),
)

QC = Figure(
    name="qc-speed",
    title="Speech QC speed on one core: seconds of audio checked per second (higher is faster)",
    panels=(
        Panel("By check, wall clock on a loaded box", ("voice activity", "words", "voice", "all three"),
              ("wall clock",),
              {"wall clock": {"voice activity": Measured(138, QC_WALL), "words": Measured(29.3, QC_WALL),
                              "voice": Measured(300, QC_WALL), "all three": Measured(21.9, QC_WALL)}},
              "× real time (wall clock, log scale)", lines=(Line("goal: 20×", 20, GOAL_COLOUR),), log=True,
              y_max=1000),
    ),
    caption=("benchmarks/bench_qc.py over 140 calibration takes (1,375 s of audio), one thread (docs/speech_qc.md,",
             "'Cost'), 2026-12-07 on the shared 2-core box at load 6.1; all three by CPU time: 35.7x."),
    width=760,
)

FIGURES = (ENGINE, PIPELINE, QC)


# --- drawing ------------------------------------------------------------------------------------------------

def text(x: float, y: float, words: str, size: int = 12, anchor: str = "middle", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{INK}" {FONT} '
            f'{extra}>{escape(words)}</text>')


def nice_ticks(top: float, log: bool) -> list[float]:
    """Axis ticks from 0 (or 1 on a log axis) to `top`."""
    if log:
        return [10.0 ** k for k in range(0, int(math.log10(top)) + 1)]
    step = 10 ** math.floor(math.log10(top / 4))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if top / (step * m) <= 6)
    return [round(step * k, 10) for k in range(int(top / step + 1e-9) + 1)]


def scale(panel: Panel, top: float, y0: float, height: float):
    """value -> y pixel in a panel whose axis runs from its floor to `top`."""
    if panel.log:
        return lambda v: y0 + height - height * math.log10(max(v, 1.0)) / math.log10(top)
    return lambda v: y0 + height - height * v / top


def draw_axes(panel: Panel, box: tuple[float, float, float, float], top: float) -> list[str]:
    x0, y0, w, h = box
    y_of = scale(panel, top, y0, h)
    out = [text(x0 + w / 2, y0 - 14, panel.title, 13, extra='font-weight="bold"'),
           text(x0 - 46, y0 + h / 2, panel.y_label, 11, extra=f'transform="rotate(-90 {x0 - 46:.1f} {y0 + h / 2:.1f})"')]
    for tick in nice_ticks(top, panel.log):
        y = y_of(tick)
        out.append(f'<line x1="{x0:.1f}" x2="{x0 + w:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(text(x0 - 6, y + 4, f"{tick:g}", 11, "end"))
    out.append(f'<line x1="{x0:.1f}" x2="{x0 + w:.1f}" y1="{y0 + h:.1f}" y2="{y0 + h:.1f}" stroke="{INK}"/>')
    if panel.x_label:
        out.append(text(x0 + w / 2, y0 + h + 34, panel.x_label, 11))
    return out


def draw_bars(panel: Panel, box: tuple[float, float, float, float], top: float) -> list[str]:
    x0, y0, w, h = box
    y_of, slot = scale(panel, top, y0, h), w / len(panel.groups)
    bar = slot * 0.7 / len(panel.series)
    out = []
    for g, group in enumerate(panel.groups):
        out.append(text(x0 + slot * (g + 0.5), y0 + h + 16, group, 11))
        for s, series in enumerate(panel.series):
            measured = panel.values[series][group]
            if measured is None:
                continue
            x, y = x0 + slot * (g + 0.15) + bar * s, y_of(measured.value)
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{y0 + h - y:.1f}" '
                       f'fill="{COLOURS[s]}"><title>{escape(f"{series}, {group}: {measured.value:g} ({measured.source})")}'
                       f'</title></rect>')
            label_y = y_of(measured.high) if measured.high is not None else y
            out.append(text(x + (bar - 2) / 2, label_y - 4, f"{measured.value:g}", 10))
            if measured.low is not None:
                mid, low, high = x + (bar - 2) / 2, y_of(measured.low), y_of(measured.high)
                out.append(f'<line x1="{mid:.1f}" x2="{mid:.1f}" y1="{low:.1f}" y2="{high:.1f}" stroke="{INK}"/>')
    return out


def draw_lines_and_legend(panel: Panel, box: tuple[float, float, float, float], top: float) -> list[str]:
    x0, y0, w, h = box
    y_of, out = scale(panel, top, y0, h), []
    for line in panel.lines:
        y = y_of(line.value)
        out.append(f'<line x1="{x0:.1f}" x2="{x0 + w:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{line.colour}" '
                   f'stroke-width="1.5" stroke-dasharray="6 4"/>')
    keys = [(series, COLOURS[s], False) for s, series in enumerate(panel.series) if len(panel.series) > 1]
    keys += [(line.label, line.colour, True) for line in panel.lines]
    for k, (label, colour, dashed) in enumerate(keys):
        y = y0 + 8 + 16 * k
        mark = (f'<line x1="{x0 + 10:.1f}" x2="{x0 + 28:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" '
                f'stroke-width="2" stroke-dasharray="6 4"/>' if dashed else
                f'<rect x="{x0 + 12:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="{colour}"/>')
        out += [mark, text(x0 + 34, y + 4, label, 11, "start")]
    return out


def render(figure: Figure) -> str:
    """The figure as one SVG document."""
    left, right, top_margin, bottom = 70, 20, 70, 56 + 16 * len(figure.caption)
    gap = 80
    panel_w = (figure.width - left - right - gap * (len(figure.panels) - 1)) / len(figure.panels)
    plot_h = figure.height - top_margin - bottom
    body = [text(figure.width / 2, 24, figure.title, 15, extra='font-weight="bold"')]
    for p, panel in enumerate(figure.panels):
        box = (left + p * (panel_w + gap), top_margin, panel_w, plot_h)
        top = panel.y_max or max(m.high or m.value for series in panel.values.values()
                                 for m in series.values() if m) * 1.15
        body += draw_axes(panel, box, top) + draw_bars(panel, box, top) + draw_lines_and_legend(panel, box, top)
    for c, line in enumerate(figure.caption):
        body.append(text(12, figure.height - 12 - 16 * (len(figure.caption) - 1 - c), line, 10, "start"))
    sources = "; ".join(sorted({m.source for panel in figure.panels for series in panel.values.values()
                                for m in series.values() if m}))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{figure.width}" height="{figure.height}" '
            f'viewBox="0 0 {figure.width} {figure.height}" role="img">\n'
            f'<title>{escape(figure.title)}</title>\n<desc>Measured in: {escape(sources)}</desc>\n'
            f'<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(body) + "\n</svg>\n")


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else REPO / "docs" / "images"
    out.mkdir(parents=True, exist_ok=True)
    for figure in FIGURES:
        path = out / f"{figure.name}.svg"
        path.write_text(render(figure))
        print(f"{path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
