"""The speech checker's settings, apart from the checker (tasks/qc/speech loads models when imported): the
plan carries them in `RenderSettings` and the cache keys hash them, so they must import lightly."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tasks.core import BarkbookError

ENGINES = ("sphinx", "whisper")


@dataclass(frozen=True)
class SpeechQCSettings:
    """Thresholds chosen on the calibration set's tuning part (docs/speech_qc.md) and the engine."""

    engine: str = "sphinx"            # "sphinx" (bundled, offline) | "whisper" (faster-whisper, hub once)
    whisper_size: str = "small.en"    # Systran/faster-whisper-<size>
    min_word_match: float = 0.80      # share of the expected words heard, in order
    max_missing_run: int = 4          # this many consecutive expected words unheard: a skip
    max_extra_s: float = 1.0          # seconds of speech that is not the text (a hallucinated tail)
    min_voice_similarity: float = 0.67  # cosine to the speaker's reference
    min_running_similarity: float = 0.75  # cosine to the chapter's running voice
    max_gap_s: float = 1.5            # the longest silence inside the take
    cue_gap_s: float = 1.0            # more silence allowed for each cue, dash or ellipsis in the text
    cue_extra_s: float = 1.5          # more non-text sound allowed for each of them (a laugh, a sigh, a hum)
    max_end_step: float = 0.35        # the sound stopping this abruptly (0 faded .. 1 full level): cut
    min_last_word_s: float = 0.15     # the last word unheard and less sound than this after the others: cut
    skip_probability: float = 1e-3    # grammar: the cost of leaving out one expected word
    stop_probability: float = 1e-16   # grammar: the cost of starting late or stopping early (any length)
    phone_probability: float = 1e-7   # grammar: the cost of one garbage phone (at the edges and at cues)
    vad_threshold: float = 0.5        # silero's speech probability
    vad_min_silence_s: float = 0.25   # shorter pauses do not split speech

    def __post_init__(self):
        if self.engine not in ENGINES:
            raise BarkbookError(f"unknown speech QC engine {self.engine!r}; choose from {', '.join(ENGINES)}")

    def as_dict(self) -> dict:
        return asdict(self)
