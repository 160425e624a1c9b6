"""Speech QC: hear what a take says and who says it, offline, and judge it against its text.

Three checks, each with a bundled model (see each module for why it was chosen):
- content (`sphinx.py`, or `whisper.py` one option away): the expected words heard or missing,
  extra speech around them, word timings;
- voice (`voice.py`): a speaker embedding against the speaker's reference and the chapter's
  running voice;
- silences and edges (`vad.py`): leading/trailing silence, the longest gap, speech cut at the end.

The thresholds in `SpeechQCSettings` were chosen on the committed fixtures by
`benchmarks/bench_qc.py --calibrate` (tables in docs/speech_qc.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.signal import resample_poly

from tasks.qc.speech.sphinx import SphinxRecognizer
from tasks.qc.speech.vad import RATE, SileroVAD, SpeechTimes
from tasks.qc.speech.voice import SpeakerEncoder
from tasks.qc.speech.words import Comparison, compare, normalize_words
from tasks.qc.settings import ENGINES, SpeechQCSettings

__all__ = ["ENGINES", "SpeechCheck", "SpeechChecker", "SpeechQCSettings", "normalize_words", "speech_only",
           "to_speech_rate"]


@dataclass
class SpeechCheck:
    """What was heard in one take, and what is wrong with it (`problems` empty: passed)."""

    word_match: float
    missing: list[str]
    extra: list[str]
    words: list[tuple[str, float, float]]
    voice_similarity: float | None
    running_similarity: float | None
    lead_s: float
    trail_s: float
    longest_gap_s: float
    speech_s: float
    problems: list[str] = field(default_factory=list)
    extra_s: float = 0.0
    longest_missing_run: int = 0
    cut_at_end: bool = False
    unscored: list[str] = field(default_factory=list)  # words the engine cannot know (not in its dictionary)

    @property
    def passed(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        """JSON-able, stable keys: the QC table's columns."""
        return {
            "passed": self.passed, "problems": list(self.problems),
            "word_match": round(self.word_match, 3), "missing": list(self.missing), "extra": list(self.extra),
            "extra_s": self.extra_s, "longest_missing_run": self.longest_missing_run,
            "voice_similarity": rounded(self.voice_similarity), "running_similarity": rounded(self.running_similarity),
            "lead_s": self.lead_s, "trail_s": self.trail_s, "longest_gap_s": self.longest_gap_s,
            "speech_s": self.speech_s, "cut_at_end": self.cut_at_end, "unscored": list(self.unscored),
            "words": [[w, round(start, 2), round(end, 2)] for w, start, end in self.words],
        }


class SpeechChecker:
    """Owns the three models; each loads once, lazily, on first use. Thread-safe: the content
    engine and the VAD are serialized by locks (they keep decoding state), the encoder is read-only."""

    def __init__(self, settings: SpeechQCSettings = SpeechQCSettings()):
        self.settings = settings
        self.vad = SileroVAD(settings.vad_threshold, settings.vad_min_silence_s)
        self.encoder = SpeakerEncoder()
        if settings.engine == "whisper":
            from tasks.qc.speech.whisper import WhisperRecognizer

            self.recognizer = WhisperRecognizer(settings.whisper_size)
        else:
            self.recognizer = SphinxRecognizer(settings.skip_probability, settings.stop_probability,
                                               settings.phone_probability)

    def embed(self, audio: np.ndarray, sample_rate: int) -> np.ndarray:
        """Speaker embedding (unit norm, 256-d) of the speech in `audio`, for `reference`/`running`."""
        audio = to_speech_rate(audio, sample_rate)
        return self.encoder.embed(speech_only(audio, self.vad.speech(audio)))

    def check(self, audio: np.ndarray, sample_rate: int, text: str, *,
              reference: np.ndarray | None = None, running: np.ndarray | None = None) -> SpeechCheck:
        """Check one take against its spoken text. `reference` and `running` are embeddings from
        `embed` (the speaker's reference; the mean of the chapter's kept takes), or None to skip."""
        audio = to_speech_rate(audio, sample_rate)
        times = self.vad.speech(audio)
        expected, heard, unscored = self.recognizer.hear(audio, text)
        content = compare(expected, heard, unscored)
        embedding = self.encoder.embed(speech_only(audio, times)) if times.intervals else None
        check = SpeechCheck(
            word_match=content.word_match, missing=content.missing, extra=content.extra, words=content.words,
            voice_similarity=cosine(embedding, reference), running_similarity=cosine(embedding, running),
            lead_s=times.lead_s, trail_s=times.trail_s, longest_gap_s=times.longest_gap_s,
            speech_s=times.speech_s, extra_s=content.extra_s, longest_missing_run=content.longest_missing_run,
            cut_at_end=times.cut_at_end(self.settings.edge_s), unscored=sorted(unscored),
        )
        check.problems = judge(check, content, times, self.settings)
        return check


def judge(check: SpeechCheck, content: Comparison, times: SpeechTimes, s: SpeechQCSettings) -> list[str]:
    """The problems a person would hear, one short line each, in order of weight."""
    if not times.intervals:
        return ["no speech heard"]
    problems = []
    if check.word_match < s.min_word_match:
        problems.append(f"words missing: heard {check.word_match:.0%} of the text (missing: {clip(check.missing)})")
    elif content.longest_missing_run >= s.max_missing_run:
        problems.append(f"words skipped: {content.longest_missing_run} in a row (missing: {clip(check.missing)})")
    if check.extra_s > s.max_extra_s:
        problems.append(f"extra speech: {check.extra_s:.1f} s that is not in the text")
    if check.voice_similarity is not None and check.voice_similarity < s.min_voice_similarity:
        problems.append(f"another voice: {check.voice_similarity:.2f} to the speaker's reference "
                        f"(needs ≥ {s.min_voice_similarity:.2f})")
    if check.running_similarity is not None and check.running_similarity < s.min_running_similarity:
        problems.append(f"voice drifts: {check.running_similarity:.2f} to the chapter's voice "
                        f"(needs ≥ {s.min_running_similarity:.2f})")
    if check.cut_at_end:
        problems.append("speech cut at the end")
    if times.lead_s > s.max_lead_s:
        problems.append(f"leading silence {times.lead_s:.1f} s (max {s.max_lead_s:.1f})")
    if times.trail_s > s.max_trail_s:
        problems.append(f"trailing silence {times.trail_s:.1f} s (max {s.max_trail_s:.1f})")
    if times.longest_gap_s > s.max_gap_s:
        problems.append(f"gap of {times.longest_gap_s:.1f} s inside (max {s.max_gap_s:.1f})")
    return problems


def to_speech_rate(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Any mono/stereo float audio → mono float32 at 16 kHz, what all three models hear."""
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim == 2:
        audio = audio.mean(axis=1)
    if sample_rate != RATE:
        g = np.gcd(int(sample_rate), RATE)
        audio = resample_poly(audio, RATE // g, int(sample_rate) // g).astype(np.float32)
    return audio


def speech_only(audio: np.ndarray, times: SpeechTimes) -> np.ndarray:
    """The speech stretches joined (the encoder should hear voice, not room tone)."""
    if not times.intervals:
        return audio
    return np.concatenate([audio[int(a * RATE):int(b * RATE)] for a, b in times.intervals])


def cosine(embedding: np.ndarray | None, other: np.ndarray | None) -> float | None:
    if embedding is None or other is None:
        return None
    other = np.asarray(other, dtype=np.float32)
    return float(embedding @ other / (np.linalg.norm(embedding) * np.linalg.norm(other) + 1e-12))


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def clip(words: list[str], n: int = 8) -> str:
    return " ".join(words[:n]) + (" …" if len(words) > n else "")
