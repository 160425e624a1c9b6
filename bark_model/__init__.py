"""bark_model: our own PyTorch inference engine for Suno's Bark (a library; never imports Prefect)."""

from .batching import BatchingEngine
from .checkpoints import ModelFiles, load_bark_models, load_codec, resolve_model
from .constants import SAMPLE_RATE
from .engine import ENGINE_VERSION, BarkEngine, Generation, GenerationParams
from .errors import BarkModelError, CheckpointError, ModelNotAvailableError, VoiceError
from .voices import VoicePrompt, list_presets, load_voice

__all__ = [
    "ENGINE_VERSION",
    "SAMPLE_RATE",
    "BarkEngine",
    "BarkModelError",
    "BatchingEngine",
    "CheckpointError",
    "Generation",
    "GenerationParams",
    "ModelFiles",
    "ModelNotAvailableError",
    "VoiceError",
    "VoicePrompt",
    "list_presets",
    "load_bark_models",
    "load_codec",
    "load_voice",
    "resolve_model",
]
