"""The spine: on the same official-format files, our engine reproduces the reference's tokens.

Greedy decoding (top-k 1 for semantic and coarse, argmax fine) must give identical semantic,
coarse and fine tokens, and audio within 1e-4 of the `encodec` package's decoder. Seeded sampling
must match too: our per-row generator draws in the reference's order.
"""

import numpy as np
import pytest
import torch

from bark_model import BarkEngine, GenerationParams, load_voice
from bark_model.checkpoints import safe_load
from bark_model.random_tiny import write_random_checkpoints
from reference_oracle import reference_bark, reference_encodec

TEXTS = {
    "english": "Hello there, my friend. How are you today?",
    "accented": "Café déjà vu, naïve señor — ¿qué tal?",
    "cjk": "你好，世界。今天天气很好。",
    "cues": "[laughs] well ♪ la la la ♪ [sighs]",
}


class Reference:
    """The reference implementation with its module-level models set to our files."""

    def __init__(self, folder):
        from transformers import BertTokenizer

        bark = reference_bark()
        self.generation = bark.generation
        models = self.generation.models
        models.clear()
        models["text"] = {
            "model": self._gpt(bark.model.GPT, bark.model.GPTConfig, folder / "text.pt"),
            "tokenizer": BertTokenizer(str(folder / "vocab.txt"), do_lower_case=False),
        }
        models["coarse"] = self._gpt(bark.model.GPT, bark.model.GPTConfig, folder / "coarse.pt")
        models["fine"] = self._gpt(bark.model_fine.FineGPT, bark.model_fine.FineGPTConfig, folder / "fine.pt")
        codec = reference_encodec().EncodecModel.encodec_model_24khz(pretrained=False)
        codec.load_state_dict(safe_load(folder / "encodec_24khz-d7cc33bc.th"))
        codec.set_target_bandwidth(6.0)
        models["codec"] = codec.eval()

    @staticmethod
    def _gpt(model_cls, config_cls, path):
        checkpoint = safe_load(path)
        model = model_cls(config_cls(**checkpoint["model_args"]))
        state = {k.removeprefix("_orig_mod."): v for k, v in checkpoint["model"].items()}
        state = {k: v for k, v in state.items() if not k.endswith(".attn.bias")}
        model.load_state_dict(state)
        return model.eval()

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


@pytest.fixture(scope="module")
def no_bias_dir(tmp_path_factory):
    return write_random_checkpoints(tmp_path_factory.mktemp("tiny-nobias"), shape="tiny", bias=False, seed=1)


@pytest.mark.parametrize("voice", [None, "v2/en_speaker_6"])
@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_greedy_tokens_equal_the_reference(tiny_model_dir, text, voice):
    assert_same_generation(*run_both(tiny_model_dir, text, voice, greedy=True, max_seconds=1.0))


def test_greedy_tokens_equal_the_reference_over_many_windows(tiny_model_dir):
    """12 s: several coarse windows with a sliding history, and two fine windows."""
    ours, ref = run_both(tiny_model_dir, TEXTS["english"], "v2/de_speaker_3", greedy=True, max_seconds=12.0)
    assert ours.fine.shape[1] > 1024 - 512  # past the first fine window
    assert_same_generation(ours, ref)


def test_greedy_tokens_equal_the_reference_without_bias(no_bias_dir):
    assert_same_generation(*run_both(no_bias_dir, TEXTS["english"], "v2/en_speaker_1", greedy=True, max_seconds=1.0))


@pytest.mark.parametrize("voice", [None, "v2/fr_speaker_2"])
def test_seeded_sampling_equals_the_reference_under_the_same_seed(tiny_model_dir, voice):
    ours, ref = run_both(tiny_model_dir, TEXTS["accented"], voice, greedy=False, max_seconds=1.5, seed=1234)
    assert_same_generation(ours, ref)


@pytest.mark.slow
def test_greedy_tokens_equal_the_reference_on_small_shapes(tmp_path):
    folder = write_random_checkpoints(tmp_path, shape="small", seed=2)
    for voice in (None, "v2/en_speaker_6"):
        assert_same_generation(*run_both(folder, TEXTS["english"], voice, greedy=True, max_seconds=0.5))
