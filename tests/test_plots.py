"""Loudness plots: the curve measures what it should, the SVG is well-formed and shows the ACX lines."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from tasks.master.loudness_plot import FLOOR_DB, chapter_svg, loudness_curve, time_step

RATE = 24_000


def test_loudness_curve_measures_each_window():
    t = np.arange(RATE) / RATE
    loud = 0.5 * np.sin(2 * np.pi * 440 * t)  # RMS 0.5/√2 → −9.03 dBFS, peak −6.02 dBFS
    samples = np.concatenate([loud, np.zeros(RATE)])
    rms, peak = loudness_curve(samples, RATE, window_s=0.5)
    assert rms.shape == peak.shape == (4,)
    assert rms[:2] == pytest.approx(-9.03, abs=0.02) and peak[:2] == pytest.approx(-6.02, abs=0.02)
    assert list(rms[2:]) == list(peak[2:]) == [FLOOR_DB, FLOOR_DB]  # silence sits on the floor, not at −inf


def test_time_ticks_are_round_and_at_most_ten():
    for seconds in (7.0, 95.0, 1_800.0, 5 * 3600.0):
        step = time_step(seconds)
        assert seconds / step <= 10 and step in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)
    assert time_step(95.0) < time_step(1_800.0)


def test_svg_has_a_time_axis_in_minutes_and_a_legend_naming_every_mark():
    root = ET.fromstring(chapter_svg(np.full(50, -30.0), np.full(50, -10.0), 125.0, "1. Fox"))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"0:00", "1:00", "2:00"} <= set(texts) and "time (m:ss)" in texts
    assert {"RMS", "peak", "ACX RMS window", "ACX peak ceiling"} <= set(texts)


def test_svg_is_well_formed_with_both_curves_and_the_acx_marks():
    rms, peak = np.linspace(-40, -20, 50), np.linspace(-20, -4, 50)
    root = ET.fromstring(chapter_svg(rms, peak, 120.0, "1. Fox & <Grapes>"))
    ns = "{http://www.w3.org/2000/svg}"
    polylines = root.findall(f"{ns}polyline")
    assert len(polylines) == 2 and all(len(p.get("points").split()) == 50 for p in polylines)
    titles = {t.text for t in root.iter(f"{ns}title")}
    assert titles == {"ACX RMS window", "ACX peak ceiling"}
    assert "Fox & <Grapes>" in "".join(root.itertext())
