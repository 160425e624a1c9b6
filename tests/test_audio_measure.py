"""Measuring encoded files: levels, room tone and noise floor from known signals, loudness against an
independent meter, and the MP3 bitrate mode from the frames when no header says it."""

import dataclasses
import subprocess

import numpy as np
import pyloudnorm
import pytest
import soundfile
from mutagen.mp3 import MP3, BitrateMode
from scipy.signal import upfirdn

from tasks.master import measure as audio_measure
from tasks.master.audio import FFMPEG
from tasks.master.measure import INTERPOLATOR, measure_file, measure_samples, oversampled_peak
from tasks.core.errors import BarkbookError

RATE = 44_100


def tone(seconds, amplitude=0.5, hz=440.0):
    t = np.arange(int(seconds * RATE)) / RATE
    return amplitude * np.sin(2 * np.pi * hz * t)


def noise(seconds, dbfs, seed=0):
    return np.random.default_rng(seed).standard_normal(int(seconds * RATE)) * 10 ** (dbfs / 20)


@pytest.fixture(scope="module")
def known(tmp_path_factory):
    """1 s of −70 dB noise, 3 s of a 0.5 tone, 2.5 s of the same noise, as a 24-bit WAV."""
    audio = np.concatenate([noise(1.0, -70.0, 1), tone(3.0), noise(2.5, -70.0, 2)])
    path = tmp_path_factory.mktemp("known") / "known.wav"
    soundfile.write(path, audio, RATE, subtype="PCM_24")
    return path, audio


def test_rms_and_peak_of_a_known_signal(known):
    path, audio = known
    levels = measure_file(path).levels
    assert levels.peak_dbfs == pytest.approx(20 * np.log10(0.5), abs=0.01)
    assert levels.rms_dbfs == pytest.approx(10 * np.log10(np.mean(audio**2)), abs=0.01)
    assert levels.seconds == pytest.approx(6.5, abs=0.001)


def test_head_and_tail_are_the_room_tone_around_the_sound(known):
    levels = measure_file(known[0]).levels
    assert levels.head_s == pytest.approx(1.0, abs=0.05)
    assert levels.tail_s == pytest.approx(2.5, abs=0.05)


def test_noise_floor_is_the_level_of_the_pauses(known):
    levels = measure_file(known[0]).levels
    assert levels.noise_floor_dbfs == pytest.approx(-70.0, abs=0.3)


def test_one_quiet_pause_does_not_hide_noisy_ones():
    """Digital silence at the head, −50 dB noise in the other pauses: ACX Check's quietest window passes,
    the pauses' level does not."""
    parts = [np.zeros(RATE)]
    for i in range(6):
        parts += [tone(1.5), noise(0.8, -50.0, i)]
    levels = measure_samples(np.concatenate(parts), RATE)
    assert levels.quietest_dbfs < -100
    assert levels.noise_floor_dbfs == pytest.approx(-50.0, abs=0.5)


def test_loudness_matches_an_independent_bs1770_meter():
    rng = np.random.default_rng(4)
    audio = np.concatenate([tone(4.0, 0.3, 1000.0), noise(1.0, -40.0), rng.standard_normal(3 * RATE) * 0.1])
    expected = pyloudnorm.Meter(RATE).integrated_loudness(audio)
    assert measure_samples(audio, RATE).lufs == pytest.approx(expected, abs=0.05)


def test_stereo_file_measures_both_channels(tmp_path):
    left, right = tone(2.0, 0.5), np.zeros(2 * RATE)
    path = tmp_path / "stereo.flac"
    soundfile.write(path, np.stack([left, right], axis=1), RATE, subtype="PCM_24")
    measure = measure_file(path)
    assert (measure.channels, measure.codec, measure.bitrate_mode) == (2, "flac", "lossless")
    assert measure.levels.rms_dbfs == pytest.approx(10 * np.log10(0.125 / 2), abs=0.02)


def encode(source, target, *args):
    subprocess.run([FFMPEG, "-v", "error", "-y", "-i", str(source), "-c:a", "libmp3lame", *args, str(target)],
                   check=True)
    return target


@pytest.mark.parametrize(("args", "mode"), [(["-b:a", "192k"], "CBR"), (["-q:a", "4"], "VBR")])
def test_mp3_bitrate_mode_is_counted_from_frames_without_a_lame_header(known, tmp_path, args, mode):
    mp3 = encode(known[0], tmp_path / "bare.mp3", *args, "-write_xing", "0")
    assert MP3(mp3).info.bitrate_mode == BitrateMode.UNKNOWN  # no header tells it: the frames must
    assert measure_file(mp3).bitrate_mode == mode


def test_mp3_is_decoded_at_its_own_rate_and_layout(known, tmp_path):
    mp3 = encode(known[0], tmp_path / "48k.mp3", "-b:a", "192k", "-ar", "48000", "-ac", "2")
    measure = measure_file(mp3)
    assert (measure.sample_rate, measure.channels, measure.codec, measure.bitrate_kbps) == (48_000, 2, "mp3", 192)
    assert measure.levels.seconds == pytest.approx(6.5, abs=0.03)


@pytest.mark.parametrize("name", ["notes.mp3", "notes.flac", "missing.m4b"])
def test_a_file_that_is_not_audio_is_one_clear_error(tmp_path, name):
    path = tmp_path / name
    if not name.startswith("missing"):
        path.write_text("not audio at all\n" * 50)
    with pytest.raises(BarkbookError, match=name):
        measure_file(path)


def test_a_file_of_room_tone_alone_is_all_head_and_tail():
    levels = measure_samples(noise(3.0, -65.0), RATE)
    assert levels.head_s == levels.tail_s == pytest.approx(3.0)
    assert levels.noise_floor_dbfs == pytest.approx(-65.0, abs=0.3)


def test_blocks_are_measured_as_one_stream(known):
    """A K-weighting filter or a 50 ms unit cut at a block edge would shift the numbers."""
    audio = np.concatenate([known[1], tone(2.0, 0.5, 50.0)])  # low notes: where the high-pass's state matters
    whole = dataclasses.astuple(measure_samples(audio, RATE))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(audio_measure, "BLOCK_FRAMES", 997)  # prime: no block edge meets a unit edge
        assert dataclasses.astuple(measure_samples(audio, RATE)) == pytest.approx(whole, abs=0.011)


def test_true_peak_finds_the_peak_between_samples():
    """A sine at a quarter of the rate, sampled 45° off its crests: every sample is at 0.707 of its peak."""
    t = np.arange(2 * RATE)
    audio = 0.5 * np.sin(2 * np.pi * t / 4 + np.pi / 4)
    levels = measure_samples(audio, RATE)
    assert levels.peak_dbfs == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.01)
    assert levels.true_peak_dbtp == pytest.approx(20 * np.log10(0.5), abs=0.1)


def every_output_peak(samples):
    """The ×4 interpolator's largest |output| over every output whose inputs are all known."""
    up = upfirdn(INTERPOLATOR.astype(np.float32), samples, up=4, axis=0)
    known = up[len(INTERPOLATOR) - 1 : (len(samples) - 1) * 4 + 1]
    return max(float(known.max()), -float(known.min()))


@pytest.mark.parametrize("frames", [13, 14, 50, 4_000])
@pytest.mark.parametrize("channels", [1, 2])
def test_the_true_peak_computed_near_loud_samples_is_that_of_every_output(frames, channels):
    """Speech-like noise with a few loud clicks (few outputs computed), and a tone (all of them)."""
    rng = np.random.default_rng(frames * channels)
    noisy = (rng.standard_normal((frames, channels)) * 0.05).astype(np.float32)
    noisy[rng.integers(0, frames, 3), rng.integers(0, channels, 3)] = [0.9, -0.8, 0.7]
    sine = np.repeat(tone(frames / RATE, 0.5, RATE / 4 * 0.9)[:, None], channels, axis=1).astype(np.float32)
    for samples in (noisy, sine):
        sample_peak = float(np.abs(samples).max())
        assert oversampled_peak(samples, sample_peak) == pytest.approx(max(sample_peak, every_output_peak(samples)), abs=1e-6)
        assert oversampled_peak(samples, 0.0) == pytest.approx(every_output_peak(samples), abs=1e-6)

