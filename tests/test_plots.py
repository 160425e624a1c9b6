"""Loudness plots: the curve measures what it should, the SVG is well-formed and shows the ACX lines."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from tasks.plots import FLOOR_DB, chapter_svg, loudness_curve, sparkline

RATE = 24_000


def test_loudness_curve_measures_each_window():
    t = np.arange(RATE) / RATE
    loud = 0.5 * np.sin(2 * np.pi * 440 * t)  # RMS 0.5/√2 → −9.03 dBFS, peak −6.02 dBFS
    samples = np.concatenate([loud, np.zeros(RATE)])
    rms, peak = loudness_curve(samples, RATE, window_s=0.5)
    assert rms.shape == peak.shape == (4,)
    assert rms[:2] == pytest.approx(-9.03, abs=0.02) and peak[:2] == pytest.approx(-6.02, abs=0.02)
    assert list(rms[2:]) == list(peak[2:]) == [FLOOR_DB, FLOOR_DB]  # silence sits on the floor, not at −inf


def test_sparkline_rises_with_level_and_keeps_its_width():
    line = sparkline(np.array([FLOOR_DB, -60.0, -30.0, 0.0]))
    assert line[0] == "▁" and line[-1] == "█" and list(line) == sorted(line)
    assert len(sparkline(np.linspace(-80, 0, 1000), width=60)) == 60
    assert sparkline(np.array([])) == ""


def test_svg_is_well_formed_with_both_curves_and_the_acx_marks():
    rms, peak = np.linspace(-40, -20, 50), np.linspace(-20, -4, 50)
    root = ET.fromstring(chapter_svg(rms, peak, 120.0, "1. Fox & <Grapes>"))
    ns = "{http://www.w3.org/2000/svg}"
    polylines = root.findall(f"{ns}polyline")
    assert len(polylines) == 2 and all(len(p.get("points").split()) == 50 for p in polylines)
    titles = {t.text for t in root.iter(f"{ns}title")}
    assert titles == {"ACX RMS window", "ACX peak ceiling"}
    assert "Fox & <Grapes>" in "".join(root.itertext())
