"""bark_model: our own PyTorch inference engine for Suno's Bark (a library; never imports Prefect).

Its public names load on first use (PEP 562): `import bark_model.voices` or `bark_model.cache` costs numpy
at most, so a command line can check a voice or a model's cache before torch is imported (~2-7 s)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what each public name is, for readers, type checkers and tests/test_layers.py's import graph
    from .batching import BatchingEngine
    from .checkpoints import ModelFiles, load_bark_models, load_codec, resolve_model
    from .constants import SAMPLE_RATE
    from .engine import ENGINE_VERSION, BarkEngine, Generation, GenerationParams
    from .errors import BarkModelError, CheckpointError, ModelNotAvailableError, VoiceError
    from .voices import VoicePrompt, list_presets, load_voice

_HOMES = {  # public name -> the module that defines it
    "BatchingEngine": "batching",
    "ModelFiles": "checkpoints", "load_bark_models": "checkpoints", "load_codec": "checkpoints",
    "resolve_model": "checkpoints",
    "SAMPLE_RATE": "constants",
    "ENGINE_VERSION": "engine", "BarkEngine": "engine", "Generation": "engine", "GenerationParams": "engine",
    "BarkModelError": "errors", "CheckpointError": "errors", "ModelNotAvailableError": "errors", "VoiceError": "errors",
    "VoicePrompt": "voices", "list_presets": "voices", "load_voice": "voices",
}

__all__ = ["ENGINE_VERSION", "SAMPLE_RATE", "BarkEngine", "BarkModelError", "BatchingEngine", "CheckpointError",
           "Generation", "GenerationParams", "ModelFiles", "ModelNotAvailableError", "VoiceError", "VoicePrompt",
           "list_presets", "load_bark_models", "load_codec", "load_voice", "resolve_model"]  # _HOMES's keys


def __getattr__(name: str):
    """A public name, imported from its module on first use (a submodule name falls through to the import system)."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
