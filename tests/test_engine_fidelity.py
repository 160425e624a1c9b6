"""End to end through BarkEngine: text in, tokens and audio out, as the reference gives them.

tests/test_fidelity.py holds the stage-by-stage token identity; here the whole engine (whitespace
normalization, tokenizer, three stages, our EnCodec decoder) meets the reference's pipeline
(BertTokenizer, its stages, the `encodec` package's decoder): identical tokens, audio within 1e-4.
"""

import numpy as np
import pytest
import torch

from bark_model import BarkEngine, GenerationParams, load_voice
from reference_oracle import reference_bark, reference_models

TEXTS = {
    "english": "Hello there, my friend. How are you today?",
    "accented": "Café déjà vu, naïve señor — ¿qué tal?",
    "cjk": "你好，世界。今天天气很好。",
    "cues": "[laughs] well ♪ la la la ♪ [sighs]",
}


class Reference:
    """The reference implementation with its module-level models set to our files."""

    def __init__(self, folder):
        self.generation = reference_bark().generation
        self.generation.models.clear()
        self.generation.models.update(reference_models(folder, codec=True))

    def generate(self, text, voice, greedy, max_seconds, seed):
        g, k = self.generation, (1 if greedy else None)
        torch.manual_seed(seed)
        semantic = g.generate_text_semantic(
            text, voice, top_k=k, max_gen_duration_s=max_seconds, silent=True, use_kv_caching=True
        )
        coarse = g.generate_coarse(semantic, voice, top_k=k, silent=True, use_kv_caching=True)
        fine = g.generate_fine(coarse, voice, temp=None if greedy else 0.5)
        return semantic, coarse, fine, g.codec_decode(fine)


def as_reference_voice(name):
    if name is None:
        return None
    voice = load_voice(name)
    return {"semantic_prompt": voice.semantic, "coarse_prompt": voice.coarse, "fine_prompt": voice.fine}


def assert_same_generation(ours, ref):
    semantic, coarse, fine, audio = ref
    np.testing.assert_array_equal(ours.semantic, semantic)
    np.testing.assert_array_equal(ours.coarse, coarse)
    np.testing.assert_array_equal(ours.fine, fine)
    assert ours.audio.shape == audio.shape
    np.testing.assert_allclose(ours.audio, audio, atol=1e-4)


def run_both(folder, text, voice_name, greedy, max_seconds, seed=0):
    engine = BarkEngine.load(str(folder))
    params = GenerationParams.greedy() if greedy else GenerationParams()
    voice = load_voice(voice_name) if voice_name else None
    ours = engine.generate(text, voice, params.replace(max_semantic_seconds=max_seconds), seed)
    ref = Reference(folder).generate(text, as_reference_voice(voice_name), greedy, max_seconds, seed)
    return ours, ref


CASES = [("english", None, True), ("cues", "v2/en_speaker_6", True), ("cjk", "v2/zh_speaker_1", False)]


@pytest.mark.parametrize("text, voice, greedy", CASES, ids=[c[0] for c in CASES])
def test_engine_tokens_and_audio_equal_the_reference(tiny_model_dir, text, voice, greedy):
    assert_same_generation(*run_both(tiny_model_dir, TEXTS[text], voice, greedy, max_seconds=1.5, seed=7))
