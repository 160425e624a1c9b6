"""What checks a take, by QC mode: `speech` (the signal checks and the speech checker: words heard,
voice), `signal` (duration, silence, clipping, level only) or `off`. The one place the speech checker
of `tasks.qc.speech` is built is `load_speech_checker`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from bark_model import VoicePrompt
from bark_model.constants import SAMPLE_RATE

from tasks.core import BarkbookError
from .signal import QCSettings, inspect_segment
from .settings import SpeechQCSettings
from .takes import Take, TakeCheck

QCMode = Literal["speech", "signal", "off"]
QC_MODES: tuple[str, ...] = get_args(QCMode)
MAX_TAKES = 32  # takes of a segment generated together (--takes)
MAX_ROUNDS = 20  # rounds of takes while a segment fails (--max-attempts)
SILENT_MODELS = {"random-tiny": "random-tiny's random weights cannot speak"}  # speech QC is off for these


def default_qc_mode(model: str) -> QCMode:
    """`speech` for real models; `signal` for a model that cannot speak (its words would never match)."""
    return "signal" if model in SILENT_MODELS else "speech"


def qc_note(mode: str, model: str) -> str:
    """One line for the run summary saying what was checked, and why speech QC is off where it is."""
    if mode == "speech":
        return "speech QC: words heard and voice checked in every take"
    why = SILENT_MODELS.get(model, "--qc " + mode)
    return f"speech QC off ({why}); {'signal checks only' if mode == 'signal' else 'no checks'}"


def speech_qc_library():
    """`tasks.qc.speech`, imported lazily (it loads models); a missing module or dependency is one line."""
    try:
        import tasks.qc.speech as library
    except ImportError as err:
        raise BarkbookError(f"--qc speech: the speech checker cannot load ({err}); "
                            "install it, or render with --qc signal") from err
    return library


def load_speech_checker(settings: SpeechQCSettings | None = None):
    """THE place the real speech checker is constructed: `tasks.qc.speech.SpeechChecker` with `settings`
    (None: its defaults)."""
    return speech_qc_library().SpeechChecker(settings or SpeechQCSettings())


def default_speech_settings() -> SpeechQCSettings:
    """The speech checker's default settings; one line (BarkbookError) where the checker cannot load."""
    speech_qc_library()
    return SpeechQCSettings()


class SpeechQC:
    """A render's speech checker and its speakers' reference embeddings: each voice prompt decoded to
    audio with the model's codec (`decode`) and embedded once, on first use."""

    def __init__(self, checker, decode: Callable[[np.ndarray], np.ndarray]):
        self.checker = checker
        self._decode = decode
        self._references: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def reference(self, voice: VoicePrompt | None) -> np.ndarray | None:
        if voice is None:
            return None
        with self._lock:
            if voice.digest() not in self._references:
                audio = self._decode(voice.fine)
                self._references[voice.digest()] = self.checker.embed(audio, SAMPLE_RATE)
            return self._references[voice.digest()]


@dataclass
class TakeInspector:
    """Checks the takes of one segment: its text, the length the text predicts, its speaker's reference."""

    mode: QCMode
    signal: QCSettings
    spoken: str
    expected_seconds: float
    speech: SpeechQC | None = None
    reference: np.ndarray | None = None

    @property
    def needs_audio(self) -> bool:
        return self.mode != "off"

    def check(self, take: Take) -> TakeCheck:
        """Run in the segment's own thread after its generation returned: the engine meanwhile runs
        the next batch for other segments."""
        check = TakeCheck(take.seed, self.expected_seconds)
        if self.mode == "off":
            return check
        check.signal = inspect_segment(take.audio, take.sample_rate, self.expected_seconds, self.signal)
        if self.speech is not None:
            check.speech = self.speech.checker.check(take.audio, take.sample_rate, self.spoken, reference=self.reference)
        return check


MIN_VOICE_PEERS = 2  # the chapter's voice needs at least this many other takes of the speaker


def flag_voice_drift(kept: list[tuple[str, np.ndarray, TakeCheck]], embed: Callable[[np.ndarray], np.ndarray],
                     min_similarity: float) -> None:
    """The chapter's running voice: each kept take (speaker's voice, audio, its check) against the mean
    voice of the same speaker's other kept takes in the chapter (leave-one-out, so a take cannot vouch
    for itself). A take below `min_similarity` gets `running_similarity` and a "voice drifts" problem in
    its speech check, so it is listed for review (and `--retake` renders it again)."""
    by_voice: dict[str, list[tuple[np.ndarray, TakeCheck]]] = {}
    for voice, audio, check in kept:
        if check.speech is not None:
            by_voice.setdefault(voice, []).append((embed(audio), check))
    for takes in by_voice.values():
        if len(takes) <= MIN_VOICE_PEERS:
            continue
        total = np.sum([e for e, _ in takes], axis=0)
        for embedding, check in takes:
            others = total - embedding
            similarity = float(embedding @ others / max(np.linalg.norm(embedding) * np.linalg.norm(others), 1e-9))
            check.speech.running_similarity = round(similarity, 3)
            if similarity < min_similarity:
                check.speech.problems.append(
                    f"voice drifts: {similarity:.2f} to the chapter's voice (min {min_similarity:.2f})")
