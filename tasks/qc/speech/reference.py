"""A Bark voice as a reference recording: its prompt's fine tokens decoded by the model's codec,
so a take's voice can be compared with the voice it was conditioned on."""

from __future__ import annotations

import numpy as np

from bark_model import SAMPLE_RATE, BarkModelError, load_codec, load_voice, resolve_model
from tasks.core import BarkbookError


def voice_audio(voice: str, model: str) -> tuple[np.ndarray, int]:
    """Preset name (`v2/en_speaker_6`) or .npz → (24 kHz float32 audio, 24000), with `model`'s codec (the engine's public `load_codec`)
    (`small`, `large`, `random-tiny` or a folder; hub files downloaded once like a render's)."""
    try:
        prompt = load_voice(voice)
        codec = load_codec(resolve_model(model).codec, "cpu")
    except BarkModelError as err:
        raise BarkbookError(f"reference voice {voice!r}: {err}") from None
    return codec.decode_batch([np.array(prompt.fine)])[0], SAMPLE_RATE
