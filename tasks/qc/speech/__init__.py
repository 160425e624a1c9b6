"""Speech QC: hear what a take says and who says it, offline, and judge it against its text.

Three checks, each with a bundled model (see each module for why it was chosen):
- content (`sphinx.py`, or `whisper.py` one option away): the expected words heard or missing,
  extra speech around them, word timings;
- voice (`voice.py`): a speaker embedding against the speaker's reference and the chapter's
  running voice;
- silences and edges (`vad.py`): leading/trailing silence (measures the mastering trims, never
  failures), the longest gap inside;
- the end (`ending.py` and the last word heard): whether the take stops inside a word.

The thresholds in `SpeechQCSettings` were chosen on the tuning part of the calibration set
(`benchmarks/qc_calibration_set.py`) and checked on its held-out part (docs/speech_qc.md).
"""

from __future__ import annotations

import numpy as np
from scipy.signal import resample_poly

from tasks.qc.speech.ending import ending
from tasks.qc.speech.sphinx import SphinxRecognizer
from tasks.qc.speech.vad import RATE, SileroVAD, SpeechTimes
from tasks.qc.speech.voice import SpeakerEncoder
from tasks.qc.speech.words import compare, normalize_words, pause_marks
from tasks.qc.settings import ENGINES, SpeechQCSettings
from tasks.qc.speech_check import SpeechCheck

__all__ = ["ENGINES", "SpeechCheck", "SpeechChecker", "SpeechQCSettings", "cut_at_end", "judge", "normalize_words",
           "speech_only", "to_speech_rate"]


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
        heard = self.recognizer.hear(audio, text)
        content = compare(heard.expected, heard.words, heard.unscored, times.intervals)
        end = ending(audio)
        embedding = self.encoder.embed(speech_only(audio, times)) if times.intervals else None
        check = SpeechCheck(
            word_match=content.word_match, missing=content.missing, extra=content.extra, words=content.words,
            voice_similarity=cosine(embedding, reference), running_similarity=cosine(embedding, running),
            lead_s=times.lead_s, trail_s=times.trail_s, longest_gap_s=times.longest_gap_s,
            speech_s=times.speech_s, extra_s=content.extra_s, longest_missing_run=content.longest_missing_run,
            unscored=sorted(heard.unscored), end_step=end.step, last_word_heard=content.last_heard,
            sound_after_words_s=round(end.end_s - content.words[-1][2], 3) if content.words else None,
            pause_marks=pause_marks(text),
        )
        check.cut_at_end = cut_at_end(check, self.settings)
        check.problems = judge(check, self.settings)
        return check


def cut_at_end(check: SpeechCheck, s: SpeechQCSettings) -> bool:
    """The take stops inside a word: its sound stops at full level, or it stops where its last word should
    start (the last word not heard, and no sound after the last word that was)."""
    if check.end_step is not None and check.end_step > s.max_end_step:
        return True
    return not check.last_word_heard and (check.sound_after_words_s or 0.0) < s.min_last_word_s


def judge(check: SpeechCheck, s: SpeechQCSettings) -> list[str]:
    """The problems a person would hear, one short line each, "kind: detail", in order of weight.
    Leading and trailing silence are not among them: the mastering trims both."""
    if not check.speech_s:
        return ["no speech heard"]
    problems = []
    if check.word_match < s.min_word_match:
        problems.append(f"words missing: heard {check.word_match:.0%} of the text (missing: {clip(check.missing)})")
    elif check.longest_missing_run >= s.max_missing_run:
        problems.append(f"words skipped: {check.longest_missing_run} in a row (missing: {clip(check.missing)})")
    allowed_extra = s.max_extra_s + s.cue_extra_s * check.pause_marks
    if check.extra_s > allowed_extra:
        problems.append(f"extra speech: {check.extra_s:.1f} s that is not in the text (max {allowed_extra:.1f})")
    if check.voice_similarity is not None and check.voice_similarity < s.min_voice_similarity:
        problems.append(f"another voice: {check.voice_similarity:.2f} to the speaker's reference "
                        f"(needs ≥ {s.min_voice_similarity:.2f})")
    if check.running_similarity is not None and check.running_similarity < s.min_running_similarity:
        problems.append(f"voice drifts: {check.running_similarity:.2f} to the chapter's voice "
                        f"(needs ≥ {s.min_running_similarity:.2f})")
    if check.cut_at_end:
        problems.append("speech cut at the end: " + ("it stops where its last word should be"
                                                     if not check.last_word_heard else "the sound stops inside a word"))
    allowed_gap = s.max_gap_s + s.cue_gap_s * check.pause_marks
    if check.longest_gap_s > allowed_gap:
        problems.append(f"gap inside: {check.longest_gap_s:.1f} s of silence (max {allowed_gap:.1f})")
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


def clip(words: list[str], n: int = 8) -> str:
    return " ".join(words[:n]) + (" …" if len(words) > n else "")
