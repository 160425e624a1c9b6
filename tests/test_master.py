"""Mastering: a chapter lands in the ACX window at 44.1 kHz, with pauses and room tone."""

import numpy as np
import pytest
import soundfile

from tasks.package.assemble import export_chapter
from tasks.master.audio import to_array
from tasks.master.measure import measure_samples
from tasks.core.errors import BarkbookError
from scipy.ndimage import minimum_filter1d, uniform_filter1d

from tasks.master.mastering import MasteringSettings, level, limit, master_chapter, prepare_clip, trim_silence

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
    return clips, master_chapter(clips, MasteringSettings()).audio


def test_chapter_is_mono_16_bit_at_44_1_khz(chapter):
    _, audio = chapter
    assert (audio.frame_rate, audio.channels, audio.sample_width) == (44_100, 1, 2)


def test_chapter_meets_the_acx_window(chapter):
    acx = measure_samples(to_array(chapter[1]), 44_100)
    assert -23.0 <= acx.rms_dbfs <= -18.0
    assert acx.peak_dbfs <= -3.0
    assert acx.noise_floor_dbfs <= -60.0


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


def test_written_chapter_file_measures_inside_the_acx_window(chapter, tmp_path):
    """Measured from the WAV on disk, from first principles (not through tasks.master.measure)."""
    data, rate = soundfile.read(export_chapter(chapter[1], tmp_path / "01.wav", "wav", {}), dtype="float64")
    db = lambda x: 20 * np.log10(x)  # noqa: E731
    windows = data[: len(data) // (rate // 2) * (rate // 2)].reshape(-1, rate // 2)
    assert rate == 44_100 and data.ndim == 1
    assert -23.0 <= db(np.sqrt(np.mean(data**2))) <= -18.0
    assert db(np.abs(data).max()) <= -3.0
    assert db(np.sqrt((windows**2).mean(axis=1)).min()) <= -60.0


def test_peaky_loud_input_is_limited_under_the_ceiling_and_still_leveled():
    rng = np.random.default_rng(3)
    clip = rng.standard_normal(3 * RATE) * 0.02
    clip[rng.integers(0, len(clip), 40)] = 0.99  # isolated clicks, 34 dB above the body
    acx = measure_samples(to_array(master_chapter([(clip.astype(np.float32), 0.5)], MasteringSettings()).audio), 44_100)
    assert -23.0 <= acx.rms_dbfs <= -18.0, acx
    assert acx.peak_dbfs <= MasteringSettings().peak_ceiling_dbfs + 0.1


def dense_limit(audio, ceiling, window):
    """The limiter's formula over every sample: what `limit` computes only near the peaks."""
    need = np.minimum(1.0, ceiling / np.maximum(np.abs(audio), 1e-12))
    return audio * uniform_filter1d(minimum_filter1d(need, 2 * window + 1, mode="nearest"), window + 1, mode="nearest")


@pytest.mark.parametrize("window", [1, 7, 220])
def test_the_limiter_near_the_peaks_equals_it_over_every_sample(window):
    """Peaks at both ends, lone ones, and pairs just inside and just outside the distance at which their
    stretches merge: the gain computed near them only is the gain computed everywhere."""
    rng = np.random.default_rng(window)
    audio = (rng.standard_normal(200_000) * 0.05).astype(np.float32)
    reach = 2 * window + 2
    places = [0, 3, len(audio) - 1, len(audio) - 5, 50_000, 90_000, 90_000 + 2 * reach, 90_000 + 2 * reach + 2,
              120_000, 120_000 + 2 * reach + 1, *rng.integers(0, len(audio), 60)]
    audio[places] = rng.choice([-0.95, 0.9, 1.3], len(places))
    ceiling = 10 ** (-3.5 / 20)
    assert np.allclose(limit(audio, ceiling, window), dense_limit(audio, ceiling, window), rtol=0, atol=1e-6)
    quiet = audio * np.float32(0.1)
    assert np.array_equal(limit(quiet, ceiling, window), quiet)  # nothing above the ceiling: unchanged


def test_leveling_gives_the_same_samples_as_the_dense_limiter_and_mean_of_squares():
    """Byte for byte what mastering gave before the limiter worked near peaks only: a re-mastered chapter
    of an existing book does not change."""
    settings, rng = MasteringSettings(), np.random.default_rng(5)
    audio = (rng.standard_normal(300_000) * rng.uniform(0.02, 0.3, 300_000)).astype(np.float32)
    target, ceiling = 10 ** (settings.target_rms_dbfs / 20), 10 ** (settings.peak_ceiling_dbfs / 20)
    window, expected = int(settings.limiter_ms / 1000 * settings.sample_rate), audio
    for _ in range(4):
        expected = dense_limit(expected * (target / float(np.sqrt(np.mean(expected**2)))), ceiling, window)
    assert np.array_equal(level(audio, settings), expected)



def test_a_short_pause_becomes_a_crossfade_and_a_long_one_a_pause():
    clips = [speechlike(1.0, 1), speechlike(1.0, 2)]
    settings = MasteringSettings(head_s=0.5, tail_s=1.0, crossfade_ms=40)
    joined = master_chapter([(clips[0], 0.0), (clips[1], 0.0)], settings).audio.duration_seconds
    paused = master_chapter([(clips[0], 0.5), (clips[1], 0.0)], settings).audio.duration_seconds
    assert paused - joined == pytest.approx(0.5 + 0.040, abs=0.005)


@pytest.mark.parametrize("bad", [{"target_rms_dbfs": -16.0}, {"peak_ceiling_dbfs": -1.0}, {"room_tone_dbfs": -55.0}])
def test_settings_outside_the_acx_window_are_refused(bad):
    with pytest.raises(BarkbookError):
        MasteringSettings(**bad)
