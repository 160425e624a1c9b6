"""Errors the engine raises for problems a person can fix; each message says what and where."""


class BarkModelError(Exception):
    """Base class: the message is meant for a person, not a stack trace."""


class CheckpointError(BarkModelError):
    """A model file is missing, truncated or does not match the expected layout."""


class ModelNotAvailableError(BarkModelError):
    """Weights are not cached and cannot be downloaded (offline, no network)."""


class VoiceError(BarkModelError):
    """A voice prompt is unknown or malformed."""


class CompileError(BarkModelError):
    """torch.compile cannot build the decode steps on this machine (no C++ compiler, no Triton…)."""
