"""Times as people and file formats write them: one formatter for the review list, plots, summaries,
subtitles and SMIL clocks."""

from __future__ import annotations


def clock(ms: int, *, hour_digits: int = 1, fraction: str | None = None, hours: bool = True) -> str:
    """`ms` milliseconds as h:mm:ss: `hour_digits` pads the hours (2: WebVTT/SRT's hh), `fraction` adds
    the milliseconds after it ('.' WebVTT and SMIL, ',' SRT), `hours=False` drops a zero hour (m:ss)."""
    ms = int(ms)
    h, m, s = ms // 3_600_000, ms // 60_000 % 60, ms // 1000 % 60
    text = f"{h:0{hour_digits}d}:{m:02d}:{s:02d}" if hours or h else f"{m}:{s:02d}"
    return text + (f"{fraction}{ms % 1000:03d}" if fraction else "")


def seconds_clock(seconds: float, *, rounding: str = "down", hours: bool = True) -> str:
    """Whole seconds as h:mm:ss (`hours=False`: m:ss under an hour), rounded `down` (a segment has begun
    by then) or to the `nearest` second."""
    whole = int(seconds) if rounding == "down" else round(seconds)
    return clock(whole * 1000, hours=hours)
