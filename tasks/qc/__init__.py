"""Checks of one take: the signal checks, the speech checker (words heard, voice; `qc.speech`, loaded only
when used), the take inspector by QC mode, and choosing the best of a segment's takes."""

from .inspect import (MAX_ROUNDS, MAX_TAKES, QC_MODES, QCMode, SpeechQC, TakeInspector, default_qc_mode,
                      flag_voice_drift, load_speech_checker, qc_note, speech_qc_library)
from .settings import SpeechQCSettings
from .speech_check import SpeechCheck
from .signal import QCResult, QCSettings, inspect_segment, problem_kind, window_levels
from .takes import SeedPlan, Take, TakeCheck, choose_take

__all__ = ["MAX_ROUNDS", "MAX_TAKES", "QC_MODES", "QCMode", "QCResult", "QCSettings", "SeedPlan", "SpeechCheck", "SpeechQC",
           "SpeechQCSettings", "Take", "TakeCheck", "TakeInspector", "choose_take", "default_qc_mode",
           "flag_voice_drift", "inspect_segment", "problem_kind", "load_speech_checker", "qc_note", "speech_qc_library",
           "window_levels"]
