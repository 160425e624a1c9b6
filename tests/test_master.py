"""Mastering: a chapter lands in the ACX window at 44.1 kHz, with pauses and room tone."""

import numpy as np
import pytest

from tasks.master import MasteringSettings, master_chapter, measure_acx, trim_silence

RATE = 24_000


def speechlike(seconds, seed):
    """Noise bursts with a syllable-like envelope and silent edges (what trimming must remove)."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t) ** 2
    body = rng.standard_normal(len(t)) * envelope * rng.uniform(0.05, 0.6)
    edge = np.zeros(int(0.4 * RATE))
    return np.concatenate([edge, body, edge]).astype(np.float32)


@pytest.fixture(scope="module")
def chapter():
    clips = [(speechlike(s, i), p) for i, (s, p) in enumerate([(3.0, 0.35), (4.5, 0.9), (2.0, 0.35), (5.0, 0.0)])]
    return clips, master_chapter(clips, MasteringSettings())


def test_chapter_is_mono_16_bit_at_44_1_khz(chapter):
    _, audio = chapter
    assert (audio.frame_rate, audio.channels, audio.sample_width) == (44_100, 1, 2)


def test_chapter_meets_the_acx_window(chapter):
    acx = measure_acx(chapter[1])
    assert -23.0 <= acx["rms_dbfs"] <= -18.0
    assert acx["peak_dbfs"] <= -3.0
    assert acx["noise_floor_dbfs"] <= -60.0


def test_pauses_are_room_tone_not_digital_silence(chapter):
    samples = np.array(chapter[1].get_array_of_samples())
    head = samples[: int(0.5 * 44_100)]
    assert head.any() and np.abs(head).max() < 32768 * 10 ** (-50 / 20)


def test_length_is_trimmed_speech_plus_pauses_plus_head_and_tail(chapter):
    clips, audio = chapter
    settings = MasteringSettings()
    speech = sum(len(trim_silence(a, RATE, settings.trim_below_db)) / RATE for a, _ in clips)
    pauses = sum(p for _, p in clips)
    expected = speech + pauses + settings.head_s + settings.tail_s
    assert audio.duration_seconds == pytest.approx(expected, abs=0.05)
    assert audio.duration_seconds < sum(len(a) / RATE for a, _ in clips) + pauses + settings.head_s + settings.tail_s - 2.0


def test_trimming_removes_quiet_edges_only():
    audio = speechlike(2.0, 9)
    trimmed = trim_silence(audio, RATE, 35.0)
    assert len(audio) - len(trimmed) == pytest.approx(0.8 * RATE, abs=0.03 * RATE)
