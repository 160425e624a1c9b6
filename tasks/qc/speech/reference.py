"""A Bark voice as a reference recording: its prompt's fine tokens decoded by the model's codec,
so a take's voice can be compared with the voice it was conditioned on."""

from __future__ import annotations

import numpy as np

from tasks.core.errors import BarkbookError


def voice_audio(voice: str, model: str) -> tuple[np.ndarray, int]:
    """Preset name (`v2/en_speaker_6`) or .npz → (24 kHz float32 audio, 24000), with `model`'s codec
    (`small`, `large`, `random-tiny` or a folder; hub files downloaded once like a render's)."""
    from bark_model.checkpoints import load_codec, resolve_model
    from bark_model.constants import SAMPLE_RATE
    from bark_model.errors import BarkModelError
    from bark_model.voices import load_voice

    try:
        prompt = load_voice(voice)
        codec = load_codec(resolve_model(model).codec, "cpu")
    except BarkModelError as err:
        raise BarkbookError(f"reference voice {voice!r}: {err}") from None
    return codec.decode_batch([np.array(prompt.fine)])[0], SAMPLE_RATE
