"""What a delivered audio file measures, decoded from the file itself (the MP3 or M4B a platform receives,
not our lossless master): levels, room tone at the edges, noise floor in the pauses, and the stream's format.

Decoding streams in blocks (ffmpeg of the `imageio-ffmpeg` wheel → float32 PCM on a pipe for MP3/AAC,
soundfile blocks for WAV/FLAC); only running sums and one mean square per 50 ms unit are kept, so a
40-hour book costs ~23 MB, never its samples. Measured (benchmarks/bench_delivery_checks.py, 2-core box at
load ~10): a 4-hour MP3 or M4B checked at 22 CPU s per hour of audio, peak RSS 185 MB, ~160 MB of it imports.
Method, per file:
- RMS: of every sample of every channel; peak: the largest |sample| decoded (sample peak, what ACX checks);
  true peak: the largest |sample| oversampled ×4 (BS.1770's method; a 49-tap Kaiser interpolator of our
  own design stands in for its table of coefficients).
- Speech: a 50 ms unit louder than the file's RMS − 20 dB and than −50 dBFS. Head/tail room tone: the
  seconds before the first / after the last speech unit.
- Noise floor: ACX measures it as the RMS of room tone. Room tone is measured where there is no speech:
  the 0.4 s windows (every 0.1 s, the windows of Audacity's ACX Check) that hold no speech unit; the noise
  floor is the median of their RMS levels, so one quiet pause cannot hide noisy ones. ACX Check's own
  figure, the quietest window anywhere, is reported beside it (`quietest_dbfs`); it stands in when the
  file has no pause of 0.4 s.
- Loudness (LUFS): ITU-R BS.1770 integrated loudness (K-weighting, 400 ms blocks, −70/−10 gates),
  computed from the same units with pyloudnorm's K-weighting filters.
"""

from __future__ import annotations

import dataclasses
import math
import mmap
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import mutagen
import numpy as np
import soundfile
from mutagen.mp3 import MP3, BitrateMode
from mutagen.mp4 import MP4
from pyloudnorm.iirfilter import IIRfilter
from numpy.lib.stride_tricks import sliding_window_view
from scipy.signal import firwin, sosfilt, upfirdn

from tasks.core import BarkbookError

from .audio import FFMPEG
from .formats import LOSSLESS

UNIT_S = 0.05  # level resolution: head, tail and speech are judged on 50 ms units
FLOOR_WINDOW_UNITS, FLOOR_HOP_UNITS = 8, 2  # noise-floor windows: 0.4 s every 0.1 s (ACX Check's)
SPEECH_BELOW_RMS_DB = 20.0  # a unit within 20 dB of the file's RMS is speech,
SPEECH_MIN_DBFS = -50.0  # and louder than this: a file of room tone alone holds none
BLOCK_FRAMES = 1 << 16  # decoded frames per block (~1.5 s at 44.1 kHz)
SILENCE_DB = -240.0
OVERSAMPLE = 4  # true peak: ×4, through a 49-tap interpolator cut at the input's Nyquist
INTERPOLATOR = firwin(12 * OVERSAMPLE + 1, 1 / OVERSAMPLE, window=("kaiser", 5.0)) * OVERSAMPLE  # odd: whole delay
TRUE_PEAK_HISTORY = -(-(len(INTERPOLATOR) - 1) // OVERSAMPLE) + 1  # input frames an output needs
TAPS_PER_PHASE = TRUE_PEAK_HISTORY  # 13: the inputs one output sums
PHASES = np.pad(INTERPOLATOR, (0, OVERSAMPLE * TAPS_PER_PHASE - len(INTERPOLATOR))).reshape(
    TAPS_PER_PHASE, OVERSAMPLE).T.astype(np.float32)  # (4 phases, 13 taps): output 4q+p = Σ_t PHASES[p, t]·x[q−t]
PHASE_GAIN = float(np.abs(PHASES).sum(axis=1).max())  # ≈ 1.92: the most an output exceeds its largest input


def db(power: float) -> float:
    """Mean square (1.0 = full scale) → dBFS, SILENCE_DB for digital silence."""
    return round(10 * math.log10(power), 2) if power > 0 else SILENCE_DB


@dataclass(frozen=True)
class Levels:
    """What the samples measure (see the module's docstring for how)."""

    seconds: float
    rms_dbfs: float
    peak_dbfs: float  # sample peak
    true_peak_dbtp: float  # oversampled ×4
    noise_floor_dbfs: float  # median RMS of the 0.4 s windows without speech
    quietest_dbfs: float  # RMS of the quietest 0.4 s window (ACX Check's noise floor)
    head_s: float  # room tone before the first speech
    tail_s: float  # and after the last
    lufs: float


@dataclass(frozen=True)
class FileMeasure:
    """One encoded file: its stream's format and what its decoded samples measure."""

    sample_rate: int
    channels: int
    codec: str  # "mp3", "aac", "flac", "wav", or what the container names
    bitrate_kbps: float | None  # None for lossless files
    bitrate_mode: str  # "CBR", "VBR", "ABR", "lossless" or "unknown"
    levels: Levels

    def as_dict(self) -> dict:
        fields = {k: v for k, v in dataclasses.asdict(self).items() if k != "levels"}
        return {**fields, **dataclasses.asdict(self.levels)}


class LevelMeter:
    """Running sums over blocks of float samples (frames, channels); `levels()` when all are fed."""

    def __init__(self, sample_rate: int, channels: int):
        self.rate, self.channels, self.unit = sample_rate, channels, max(1, round(UNIT_S * sample_rate))
        self.frames, self.sum_squares, self.peak, self.true_peak = 0, 0.0, 0.0, 0.0
        self.history = np.zeros((0, channels), np.float32)  # the last input frames, for the interpolator
        self.k_sos = np.array([np.concatenate([f.b, f.a]) for f in k_weighting(sample_rate)])  # 2 biquads
        self.k_state = np.zeros((len(self.k_sos), 2, channels))  # the filters at rest
        self.carry = np.zeros((2, 0))  # ([mean square, K-weighted square], frames) short of a unit
        self.units, self.n_units = np.empty((1 << 12, 2), np.float32), 0  # (units, 2): 23 MB for 40 h

    def feed(self, block: np.ndarray) -> None:
        """Add a block of (frames, channels) float samples, in order."""
        wide = block.astype(np.float64)  # (frames, channels)
        squares = wide * wide
        self.frames += len(wide)
        self.sum_squares += float(squares.sum())
        self.peak = max(self.peak, float(np.abs(block).max(initial=0.0)))
        self.feed_true_peak(block.astype(np.float32, copy=False))
        weighted, self.k_state = sosfilt(self.k_sos, wide, axis=0, zi=self.k_state)  # K-weighting, across blocks
        per_frame = np.empty((2, len(wide)))  # ([mean square, K-weighted square summed], frames)
        per_frame[0] = squares.mean(axis=1) if self.channels > 1 else squares[:, 0]
        per_frame[1] = np.einsum("fc,fc->f", weighted, weighted)
        per_frame = np.concatenate([self.carry, per_frame], axis=1)
        whole = per_frame.shape[1] // self.unit * self.unit
        self.keep_units(per_frame[:, :whole].reshape(2, -1, self.unit).mean(axis=2).T)
        self.carry = per_frame[:, whole:].copy()  # a copy: a view would keep the whole block's buffer alive

    def feed_true_peak(self, block: np.ndarray) -> None:
        """Largest |sample| ×4 oversampled, counting only outputs whose inputs are all known (the blocks overlap
        by TRUE_PEAK_HISTORY frames, so none is missed at a block edge)."""
        samples = np.concatenate([self.history, block])
        if len(samples) >= TRUE_PEAK_HISTORY:
            self.true_peak = oversampled_peak(samples, max(self.peak, self.true_peak))
        self.history = samples[-TRUE_PEAK_HISTORY:].copy()

    def keep_units(self, new: np.ndarray) -> None:
        """Append to one buffer that doubles when full: no trail of small arrays between the blocks' big
        temporaries, which let the heap grow with the file's length."""
        end = self.n_units + len(new)
        if end > len(self.units):
            grown = np.empty((max(end, 2 * len(self.units)), 2), np.float32)
            grown[: self.n_units] = self.units[: self.n_units]
            self.units = grown
        self.units[self.n_units : end] = new
        self.n_units = end

    def levels(self) -> Levels:
        units = self.units[: self.n_units].astype(np.float64)
        power, k_power = units[:, 0], units[:, 1]  # (units,) each
        seconds = self.frames / self.rate
        rms = self.sum_squares / max(1, self.frames * self.channels)  # mean square
        gate = max(rms * 10 ** (-SPEECH_BELOW_RMS_DB / 10), 10 ** (SPEECH_MIN_DBFS / 10))
        speech = np.flatnonzero(power > gate)
        windows, quiet = floor_windows(power, speech)
        quietest = float(windows.min()) if len(windows) else 0.0
        floor = float(np.median(windows[quiet])) if quiet.any() else quietest
        head = speech[0] * UNIT_S if len(speech) else seconds
        tail = seconds - (speech[-1] + 1) * UNIT_S if len(speech) else seconds
        return Levels(seconds=round(seconds, 3), rms_dbfs=db(rms), peak_dbfs=db(self.peak**2),
                      true_peak_dbtp=db(max(self.peak, self.true_peak) ** 2),
                      noise_floor_dbfs=db(floor), quietest_dbfs=db(quietest),
                      head_s=round(float(head), 2), tail_s=round(float(tail), 2), lufs=integrated_loudness(k_power))


def oversampled_peak(samples: np.ndarray, floor: float) -> float:
    """The largest |output| of the ×4 interpolator over (frames, channels) float32 samples, or `floor` when
    none is larger. Outputs 4q…4q+3 sum inputs q−12…q; only those whose inputs all lie in `samples`
    count. An output is at most PHASE_GAIN × its largest |input|, so only the outputs within 12 frames
    after an input above floor / PHASE_GAIN are computed: a few percent of speech. Where most could
    be (a tone), all are, by the polyphase filter."""
    frames = len(samples)
    loud = np.flatnonzero(np.abs(samples).max(axis=1) * PHASE_GAIN > floor)
    reached = np.zeros(frames + TAPS_PER_PHASE, bool)
    for tap in range(TAPS_PER_PHASE):
        reached[loud + tap] = True
    candidates = np.flatnonzero(reached[TAPS_PER_PHASE - 1 : frames]) + TAPS_PER_PHASE - 1  # q
    if not len(candidates):
        return floor
    if len(candidates) > frames // 4:
        up = upfirdn(INTERPOLATOR.astype(np.float32), samples, up=OVERSAMPLE, axis=0)
        known = up[len(INTERPOLATOR) - 1 : (frames - 1) * OVERSAMPLE + 1]
        return max(floor, float(known.max()), -float(known.min()))
    windows = sliding_window_view(samples, TAPS_PER_PHASE, axis=0)[candidates - TAPS_PER_PHASE + 1]  # (q, ch, 13): q−12…q
    outputs = np.abs(windows @ PHASES[:, ::-1].T)  # (q, channels, 4 phases)
    outputs[candidates == frames - 1, :, 1:] = 0.0  # the last input's later phases need the next input
    return max(floor, float(outputs.max()))


def floor_windows(power: np.ndarray, speech: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean square of each 0.4 s window (every 0.1 s), and which windows hold no speech unit."""
    if len(power) < FLOOR_WINDOW_UNITS:
        return np.array([power.mean()]) if len(power) else np.zeros(0), np.zeros(min(1, len(power)), bool)
    starts = np.arange(0, len(power) - FLOOR_WINDOW_UNITS + 1, FLOOR_HOP_UNITS)
    total = np.concatenate([[0.0], np.cumsum(power)])
    is_speech = np.zeros(len(power) + 1, np.int64)
    is_speech[speech + 1] = 1
    speech_count = np.cumsum(is_speech)
    ends = starts + FLOOR_WINDOW_UNITS
    return (total[ends] - total[starts]) / FLOOR_WINDOW_UNITS, speech_count[ends] == speech_count[starts]


def k_weighting(sample_rate: int) -> list[IIRfilter]:
    """BS.1770's K-weighting at any rate, as pyloudnorm's Meter builds it: a high shelf, then a high-pass."""
    return [IIRfilter(4.0, 1 / math.sqrt(2), 1500.0, sample_rate, "high_shelf"),
            IIRfilter(0.0, 0.5, 38.0, sample_rate, "high_pass")]


def integrated_loudness(k_power: np.ndarray) -> float:
    """BS.1770 gated loudness from K-weighted mean squares per 50 ms unit (channels summed)."""
    steps = k_power[: len(k_power) // 2 * 2].reshape(-1, 2).mean(axis=1)  # 100 ms
    if len(steps) < 4:
        return SILENCE_DB
    blocks = np.convolve(steps, np.ones(4) / 4, mode="valid")  # 400 ms, 75 % overlap
    with np.errstate(divide="ignore"):
        loudness = -0.691 + 10 * np.log10(blocks)
    gated = blocks[loudness > -70.0]
    if not len(gated):
        return SILENCE_DB
    relative = -0.691 + 10 * np.log10(gated.mean()) - 10.0
    kept = blocks[(loudness > -70.0) & (loudness > relative)]
    return round(float(-0.691 + 10 * np.log10(kept.mean())), 2)


def measure_samples(samples: np.ndarray, sample_rate: int) -> Levels:
    """Levels of audio in memory, (frames,) or (frames, channels), through the same meter as files."""
    samples = samples.reshape(len(samples), -1)
    meter = LevelMeter(sample_rate, samples.shape[1])
    for start in range(0, len(samples), BLOCK_FRAMES):
        meter.feed(samples[start : start + BLOCK_FRAMES])
    return meter.levels()


def measure_file(path: Path) -> FileMeasure:
    """Format and levels of an encoded audio file, decoded in blocks; a file that cannot be read is a
    BarkbookError naming it."""
    path = Path(path)
    if not path.is_file():
        raise BarkbookError(f"cannot measure {path}: no such file")
    rate, channels, codec, kbps, mode = stream_format(path)
    meter = LevelMeter(rate, channels)
    for block in decoded_blocks(path, rate, channels):
        meter.feed(block)
    return FileMeasure(rate, channels, codec, kbps, mode, meter.levels())


def stream_format(path: Path) -> tuple[int, int, str, float | None, str]:
    """(sample rate, channels, codec, bitrate kbps, bitrate mode) from the file's headers."""
    if path.suffix.lower().lstrip(".") in LOSSLESS:
        try:
            info = soundfile.info(path)
        except (RuntimeError, soundfile.LibsndfileError) as err:
            kind = path.suffix[1:].upper()
            raise BarkbookError(f"cannot measure {path.name}: not a readable {kind} file ({err})") from None
        return info.samplerate, info.channels, info.format.lower(), None, "lossless"
    try:
        file = mutagen.File(path)
    except mutagen.MutagenError as err:
        raise BarkbookError(f"cannot measure {path.name}: unreadable audio ({err})") from None
    if file is None or not getattr(file.info, "sample_rate", 0):
        raise BarkbookError(f"cannot measure {path.name}: not an audio file barkbook reads (MP3, M4B/M4A, WAV, FLAC)")
    info, kbps = file.info, round(file.info.bitrate / 1000, 1)
    if isinstance(file, MP3):
        return info.sample_rate, info.channels, "mp3", kbps, mp3_bitrate_mode(path, info.bitrate_mode)
    codec = getattr(info, "codec", type(file).__name__.lower())
    codec = "aac" if isinstance(file, MP4) and codec.startswith("mp4a.40") else codec
    return info.sample_rate, info.channels, codec, kbps, "unknown"


def decoded_blocks(path: Path, rate: int, channels: int) -> Iterator[np.ndarray]:
    """The file's samples as float32 blocks of (frames, channels), never all at once."""
    if path.suffix.lower().lstrip(".") in LOSSLESS:
        yield from soundfile.blocks(path, blocksize=BLOCK_FRAMES, dtype="float32", always_2d=True)
        return
    args = [FFMPEG, "-v", "error", "-nostdin", "-i", str(path), "-map", "0:a:0", "-ar", str(rate), "-ac", str(channels),
            "-f", "f32le", "-acodec", "pcm_f32le", "pipe:1"]  # the layout its headers declare, so blocks reshape
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a corrupt stream's many errors cannot stall us
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors)
        try:
            with proc.stdout:
                while chunk := proc.stdout.read(BLOCK_FRAMES * channels * 4):
                    yield np.frombuffer(chunk, "<f4").reshape(-1, channels)
        except BaseException:  # the reader stopped early (an error, or the generator closed): stop ffmpeg too
            proc.kill()
            proc.wait()
            raise
        if proc.wait():
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()[-300:]
            raise BarkbookError(f"cannot measure {path.name}: ffmpeg could not decode it: {message}")


# MPEG audio Layer III: bitrates (kbps) by index, MPEG-1 and MPEG-2/2.5; sample rates of MPEG-1
MP3_KBPS = {1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
            2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}
MP3_RATES = (44_100, 48_000, 32_000)


def mp3_bitrate_mode(path: Path, reported: BitrateMode) -> str:
    """mutagen's bitrate mode when its headers tell it (a LAME/Xing header); otherwise every frame's
    bitrate is counted: one bitrate throughout is CBR."""
    if reported != BitrateMode.UNKNOWN:
        return str(reported).rsplit(".", 1)[-1]  # mutagen's BitrateMode prints as BitrateMode.CBR
    rates = mp3_frame_bitrates(path)
    return "unknown" if not rates else "CBR" if len(rates) == 1 else "VBR"


def mp3_frame_bitrates(path: Path) -> set[int]:
    """The bitrates (kbps) of an MP3's audio frames, walked header to header (an Xing/Info frame skipped)."""
    if not path.stat().st_size:
        return set()
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        pos, found, first = id3v2_size(data[:10]), set(), True
        while pos + 4 <= len(data):
            b1, b2 = data[pos + 1], data[pos + 2]
            version, layer, index, rate_index = (b1 >> 3) & 3, (b1 >> 1) & 3, b2 >> 4, (b2 >> 2) & 3
            synced = data[pos] == 0xFF and b1 & 0xE0 == 0xE0
            if not synced or version == 1 or layer != 1 or index in (0, 15) or rate_index == 3:
                break  # not a Layer III frame header: the audio ended (an ID3v1 tag, or junk)
            mpeg1 = version == 3
            kbps = MP3_KBPS[1 if mpeg1 else 2][index]
            rate = MP3_RATES[rate_index] // (1 if mpeg1 else 2 if version == 2 else 4)
            length = (144_000 if mpeg1 else 72_000) * kbps // rate + ((b2 >> 1) & 1)
            if not (first and data.find(b"Xing", pos, pos + 64) + data.find(b"Info", pos, pos + 64) > -2):
                found.add(kbps)
            pos, first = pos + length, False
    return found


def id3v2_size(header: bytes) -> int:
    """Bytes taken by an ID3v2 tag at the start of a file (0 when there is none)."""
    if len(header) < 10 or header[:3] != b"ID3":
        return 0
    size = (header[6] << 21) | (header[7] << 14) | (header[8] << 7) | header[9]
    return 10 + size + (10 if header[5] & 0x10 else 0)
