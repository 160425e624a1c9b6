"""The speech-QC calibration set: takes derived, in memory and deterministically, from the dry voices
in tests/fixtures/qc_calibration (made by benchmarks/make_qc_calibration.py).

Every reading gives two clean takes, one clean take with Bark's own material (a cue in the text and
its sound in the audio, or a breath or hum with no cue), and five faults. Each take gets its own
recording conditions: lead 0-1 s; tail 0-1.5 s, a third of them trimmed tight into the last sound's
decay; digital silence or a noise floor of -70 to -45 dBFS (white, pink, brown or room tone with
mains hum); mild
reverb on some; speech level -30 to -12 dBFS RMS (peaks kept under -1 dBFS); 16, 24 or 44.1 kHz.
The faults: truncated (cut inside a syllable at 40-80 % of the speech), cut_last_word (cut inside a
syllable of the last word), skipped (the text has a sentence the audio lacks), extra (the audio goes
on 5+ words or a sentence past the text), wrong_text, noise, gap (2.5-4 s of silence inside),
reversed, garbled (syllable-sized pieces shuffled), other_speaker (another speaker reads the text).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.fft import next_fast_len
from scipy.signal import fftconvolve, resample_poly

DRY_RATE = 16000
FRAME = DRY_RATE // 100  # 10 ms
CLEAN_KINDS = ("clean", "bark")
FAULTS = ("truncated", "cut_last_word", "skipped", "extra", "wrong_text", "noise", "gap", "reversed", "garbled",
          "other_speaker")
FAULTS_PER_READING = 5
CUES = ("laughs", "sighs", "music", "dash", "breath", "hum")


@dataclass
class CalibrationTake:
    name: str
    audio: np.ndarray
    rate: int
    text: str
    voice: str  # the voice the take claims: its reference and running voice
    kind: str  # "clean", "bark" (clean with Bark's material) or a fault of FAULTS
    part: str  # "tune" or "held_out": thresholds are chosen on "tune" only
    unseen_voice: bool  # the voice is never in the tuning part
    speaker: str  # who really speaks (another speaker than the voice's in an other_speaker fault)
    conditions: dict = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return self.kind in CLEAN_KINDS


@dataclass(frozen=True)
class Reading:
    voice: str
    family: str
    speaker: str
    part: str
    unseen_voice: bool
    rate: str
    sentences: list[str]
    clips: list[np.ndarray]


def load_voices(folder: Path) -> tuple[list[Reading], dict[str, np.ndarray]]:
    """The dry readings and each voice's reference recording (16 kHz float32)."""
    readings, references = [], {}
    for voice in json.loads((folder / "voices.json").read_text()):
        read = lambda name: sf.read(folder / name, dtype="float32")[0]  # noqa: E731
        references[voice["voice"]] = read(voice["reference"])
        for r in voice["readings"]:
            readings.append(Reading(voice["voice"], voice["family"], voice["speaker"], r["part"],
                                    voice["part"] == "held_out", r["rate"], r["sentences"],
                                    [read(c) for c in r["clips"]]))
    return readings, references


def build(folder: Path, every: int = 1, seed: int = 34) -> tuple[list[CalibrationTake], dict[str, np.ndarray]]:
    """The takes of every `every`-th reading (1: the whole set), in a fixed order, and the references
    (voice -> 16 kHz audio). Each reading has its own random stream: a subset's takes are the full set's."""
    readings, references = load_voices(folder)
    takes = []
    for i, reading in enumerate(readings):
        if i % every:
            continue
        rng = np.random.default_rng([seed, i])
        name = f"{reading.voice}-{i:03d}"
        takes += [make_clean(f"{name}-clean{k}", reading, rng) for k in range(2)]
        takes.append(make_bark(f"{name}-bark", reading, CUES[i % len(CUES)], rng))
        for k in range(FAULTS_PER_READING):
            fault = FAULTS[(i * FAULTS_PER_READING + k) % len(FAULTS)]
            takes.append(make_fault(f"{name}-{fault}", reading, fault, readings, rng))
    return takes, references


def conditions(rng: np.random.Generator) -> dict:
    tight = rng.random() < 0.35
    return {"lead_s": float(rng.uniform(0, 0.05) if rng.random() < 0.25 else rng.uniform(0.05, 1.0)),
            "tail_s": float(rng.uniform(0, 0.05) if tight else rng.uniform(0.05, 1.5)),
            "trim_db": float(rng.uniform(30, 60)) if tight else None,
            "pause_s": float(rng.uniform(0.15, 0.7)),
            "floor_dbfs": float(rng.uniform(-70, -45)),
            "floor": str(rng.choice(["digital", "white", "pink", "brown", "room"], p=[0.2, 0.2, 0.2, 0.2, 0.2])),
            "reverb_rt60_s": float(rng.uniform(0.15, 0.4)) if rng.random() < 0.3 else None,
            "level_dbfs": float(rng.uniform(-30, -12)), "rate": int(rng.choice([16000, 24000, 44100]))}


def take(name: str, reading: Reading, kind: str, text: str, parts: list[np.ndarray], rng: np.random.Generator,
         cond: dict | None = None, voice: str | None = None, cut: str | None = None) -> CalibrationTake:
    """Sounds joined by the condition's pauses, then recorded: reverb, tight trim or a cut, level, lead
    and tail, resampling, the noise floor."""
    cond = cond or conditions(rng)
    pause = np.zeros(int(cond["pause_s"] * DRY_RATE), dtype=np.float32)
    speech = np.concatenate([x for p in parts for x in (p, pause)][:-1] or [np.zeros(0, np.float32)])
    if cond["reverb_rt60_s"]:
        speech = reverb(speech, cond["reverb_rt60_s"], rng)
    if cut:
        speech, cond["cut_s"] = cut_inside_syllable(speech, cut, rng)
    elif cond["trim_db"]:
        speech = trim_end(speech, cond["trim_db"])
    speech = at_level(speech, cond["level_dbfs"]) if len(speech) else speech
    audio = np.concatenate([np.zeros(int(cond["lead_s"] * DRY_RATE)), speech, np.zeros(int(cond["tail_s"] * DRY_RATE))])
    rate = cond["rate"]
    if rate != DRY_RATE:
        g = np.gcd(rate, DRY_RATE)
        audio = resample_poly(audio, rate // g, DRY_RATE // g)
    if cond["floor"] != "digital":  # digital: silence is zeros, as a synthesizer or an editor leaves it
        audio = audio + noise(len(audio), cond["floor"], rate, rng) * 10 ** (cond["floor_dbfs"] / 20)
    return CalibrationTake(name, audio.astype(np.float32), rate, text, voice or reading.voice, kind, reading.part,
                           reading.unseen_voice, reading.speaker, cond)


def make_clean(name: str, reading: Reading, rng: np.random.Generator) -> CalibrationTake:
    return take(name, reading, "clean", " ".join(reading.sentences), reading.clips, rng)


def make_bark(name: str, reading: Reading, cue: str, rng: np.random.Generator) -> CalibrationTake:
    """A clean take with Bark's material: a cue in the text and its sound, or a breath or hum and no cue."""
    (first, second), (a, b) = reading.sentences, reading.clips
    sound, (low, high) = SOUNDS.get(cue, (None, (0, 0)))
    s = sound(rng) * 10 ** (rng.uniform(low, high) / 20) * rms(a) / 0.1 if sound else None  # sounds have RMS 0.1
    if cue == "laughs":
        return take(name, reading, "bark", f"[laughs] {first} {second}", [s, a, b], rng)
    if cue == "sighs":
        return take(name, reading, "bark", f"{first} [sighs] {second}", [a, s, b], rng)
    if cue == "music":
        return take(name, reading, "bark", f"♪ {first} {second} ♪", [s, a, b], rng)
    if cue == "dash":
        cond = conditions(rng) | {"pause_s": float(rng.uniform(0.6, 1.2))}
        return take(name, reading, "bark", f"{first.rstrip('.')} — {second.rstrip('.')}...", [a, b], rng, cond)
    return take(name, reading, "bark", f"{first} {second}", [a, b, s] if rng.random() < 0.5 else [s, a, b], rng)


SOUNDS = {}  # cue -> (its sound, its level range in dB against the speech), filled below the makers


def make_fault(name: str, reading: Reading, fault: str, readings: list[Reading],
               rng: np.random.Generator) -> CalibrationTake:
    text, clips = " ".join(reading.sentences), reading.clips
    same_part = [r for r in readings if r.part == reading.part and r.sentences != reading.sentences]
    other = same_part[int(rng.integers(len(same_part)))]
    if fault == "truncated":
        return take(name, reading, fault, text, clips, rng, cut="middle")
    if fault == "cut_last_word":
        return take(name, reading, fault, text, clips, rng, cut="last_word")
    if fault == "skipped":
        first, second = reading.sentences
        return take(name, reading, fault, f"{first} {other.sentences[0]} {second}", clips, rng)
    if fault == "extra":
        words = reading.sentences[1].split()
        kept = " ".join(words[:len(words) - max(5, len(words) // 2)]) if rng.random() < 0.5 and len(words) >= 9 else ""
        return take(name, reading, fault, f"{reading.sentences[0]} {kept}".strip(), clips, rng)
    if fault == "wrong_text":
        return take(name, reading, fault, " ".join(other.sentences), clips, rng)
    if fault == "noise":
        cond = conditions(rng) | {"floor": str(rng.choice(["white", "pink", "brown", "room"])),
                                  "floor_dbfs": float(rng.uniform(-35, -20)), "lead_s": 0.0,
                                  "tail_s": float(rng.uniform(2, 5)),
                                  "trim_db": None, "reverb_rt60_s": None}
        return take(name, reading, fault, text, [], rng, cond)
    if fault == "gap":
        return take(name, reading, fault, text, [clips[0], np.zeros(int(rng.uniform(2.5, 4) * DRY_RATE), np.float32),
                                                 clips[1]], rng)
    if fault == "reversed":
        return take(name, reading, fault, text, [c[::-1].copy() for c in clips[::-1]], rng)
    if fault == "garbled":
        return take(name, reading, fault, text, [shuffled(np.concatenate(clips), rng)], rng)
    speakers = [r for r in readings if r.speaker != reading.speaker and r.part == reading.part]
    family = [r for r in speakers if r.family == reading.family] or speakers
    stranger = family[int(rng.integers(len(family)))]
    return take(name, stranger, fault, " ".join(stranger.sentences), stranger.clips, rng, voice=reading.voice)


def frame_levels(audio: np.ndarray) -> np.ndarray:
    frames = audio[: len(audio) // FRAME * FRAME].astype(np.float64).reshape(-1, FRAME)
    return 10 * np.log10((frames ** 2).mean(axis=1) + 1e-12)


def trim_end(speech: np.ndarray, trim_db: float) -> np.ndarray:
    """Cut where the last sound has decayed `trim_db` under the loudest 10 ms: a tight, complete end."""
    levels = frame_levels(speech)
    last = np.flatnonzero(levels >= levels.max() - trim_db)[-1]
    return speech[:(last + 1) * FRAME]


def cut_inside_syllable(speech: np.ndarray, where: str, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """Cut at a 10 ms frame within 6 dB of its syllable's peak: inside a sound, never in a pause. `middle`:
    40-80 % of the speech; `last_word`: its last 0.35 s."""
    levels = frame_levels(speech)
    sounding = np.flatnonzero(levels >= levels.max() - 40)
    end = sounding[-1]
    lo, hi = (int(end * 0.4), int(end * 0.8)) if where == "middle" else (end - 35, end - 3)
    local_peak = np.array([levels[max(0, i - 15):i + 15].max() for i in range(len(levels))])
    candidates = [i for i in range(max(lo, 0), hi) if levels[i] >= local_peak[i] - 6]
    frame = candidates[int(rng.integers(len(candidates)))] if candidates else hi
    offset = int(rng.integers(FRAME))
    return speech[:frame * FRAME + offset], round((frame * FRAME + offset) / DRY_RATE, 3)


def at_level(speech: np.ndarray, level_dbfs: float) -> np.ndarray:
    """Speech RMS (over its sounding 10 ms frames) at `level_dbfs`, the peak kept under -1 dBFS."""
    levels = frame_levels(speech)
    active = levels >= levels.max() - 40
    current = 10 * np.log10(np.mean(10 ** (levels[active] / 10)))
    gain = min(10 ** ((level_dbfs - current) / 20), 10 ** (-1 / 20) / (np.abs(speech).max() + 1e-9))
    return speech * gain


def rms(audio: np.ndarray) -> float:
    return float(np.sqrt(np.mean(audio.astype(np.float64) ** 2)))


def noise(n: int, colour: str, rate: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS noise: white, pink (1/f), brown (1/f²) or room tone (pink with 50 Hz mains hum)."""
    size = next_fast_len(n)  # a prime length would make the FFT crawl
    spectrum = np.fft.rfft(rng.standard_normal(size))
    freqs = np.maximum(np.fft.rfftfreq(size, 1 / rate), 20.0)
    power = {"white": 0, "pink": 1, "brown": 2, "room": 1}[colour]
    shaped = np.fft.irfft(spectrum / freqs ** (power / 2), n=size)[:n]
    shaped /= rms(shaped) + 1e-12
    if colour == "room":
        t = np.arange(n) / rate
        shaped += sum(0.5 / k * np.sin(2 * np.pi * 50 * k * t + k) for k in (1, 2, 3))
        shaped /= rms(shaped) + 1e-12
    return shaped


def reverb(speech: np.ndarray, rt60_s: float, rng: np.random.Generator) -> np.ndarray:
    """A small room: the dry sound plus an exponentially decaying noise response 6-12 dB under it."""
    t = np.arange(int(rt60_s * DRY_RATE)) / DRY_RATE
    response = rng.standard_normal(len(t)) * np.exp(-6.9 * t / rt60_s)
    response *= 10 ** (-rng.uniform(6, 12) / 20) / np.sqrt(np.sum(response ** 2))
    response[0] += 1.0
    return fftconvolve(speech, response).astype(np.float32)


def shuffled(speech: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Syllable-sized pieces (120-250 ms) in a random order: speech sounds, no words."""
    bounds = np.cumsum(rng.integers(int(0.12 * DRY_RATE), int(0.25 * DRY_RATE), size=len(speech) // 1920 + 2))
    pieces = [p for p in np.split(speech, bounds[bounds < len(speech)]) if len(p)]
    return np.concatenate([pieces[i] for i in rng.permutation(len(pieces))])


def envelope(n: int, attack: float) -> np.ndarray:
    t = np.linspace(0, 1, n)
    return np.where(t < attack, np.sin(np.pi / 2 * t / attack), np.cos(np.pi / 2 * (t - attack) / (1 - attack))) ** 2


def breath(rng: np.random.Generator) -> np.ndarray:
    """An in- or out-breath: 0.25-0.8 s of noise in the 400-3500 Hz band, swelling and fading."""
    n = next_fast_len(int(rng.uniform(0.25, 0.8) * DRY_RATE))
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / DRY_RATE)
    spectrum[(freqs < 400) | (freqs > 3500)] = 0
    sound = np.fft.irfft(spectrum, n=n) * envelope(n, rng.uniform(0.3, 0.6))
    return (sound / (rms(sound) + 1e-12) * 0.1).astype(np.float32)


def voiced(f0: float, seconds: float, formants: tuple[float, ...], rng: np.random.Generator) -> np.ndarray:
    """A vowel-like sound: harmonics of `f0` (with a slow vibrato) weighted by formant peaks."""
    t = np.arange(int(seconds * DRY_RATE)) / DRY_RATE
    phase = 2 * np.pi * np.cumsum(f0 * (1 + 0.02 * np.sin(2 * np.pi * 5 * t))) / DRY_RATE
    sound = np.zeros_like(t)
    for k in range(1, int(3500 / f0)):
        gain = sum(np.exp(-((k * f0 - f) / 150) ** 2) for f in formants) + 0.05 / k
        sound += gain * np.sin(k * phase + rng.uniform(0, 2 * np.pi))
    return sound


def hum(rng: np.random.Generator) -> np.ndarray:
    """A hummed note or two ("mmm"): 0.4-0.9 s, nasal (energy under 1 kHz)."""
    n_notes = int(rng.integers(1, 3))
    notes = [voiced(rng.uniform(110, 240), rng.uniform(0.2, 0.45), (250, 900), rng) for _ in range(n_notes)]
    sound = np.concatenate(notes)
    sound *= envelope(len(sound), 0.2)
    return (sound / (rms(sound) + 1e-12) * 0.1).astype(np.float32)


def laugh(rng: np.random.Generator) -> np.ndarray:
    """Three to five breathy "ha"s, 90-140 ms each, 60-110 ms apart."""
    pieces = []
    for _ in range(int(rng.integers(3, 6))):
        seconds = rng.uniform(0.09, 0.14)
        ha = voiced(rng.uniform(200, 280), seconds, (750, 1200), rng)
        ha = ha / (rms(ha) + 1e-12) * 0.1 + 0.6 * breath(rng)[:len(ha)]  # a breath lasts 0.25 s or more
        pieces += [ha * envelope(len(ha), 0.2), np.zeros(int(rng.uniform(0.06, 0.11) * DRY_RATE))]
    sound = np.concatenate(pieces)
    return (sound / (rms(sound) + 1e-12) * 0.1).astype(np.float32)


SOUNDS.update({"laughs": (laugh, (-10, -3)), "sighs": (breath, (-22, -10)), "music": (hum, (-10, -3)),
               "breath": (breath, (-22, -10)), "hum": (hum, (-14, -6))})
