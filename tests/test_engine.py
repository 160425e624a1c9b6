"""BarkEngine on random-tiny checkpoints: seeded, batch-invariant, voices round-trip."""

import numpy as np
import pytest

from bark_model import BarkEngine, GenerationParams, load_voice
from bark_model.constants import HOP_LENGTH, SAMPLE_RATE

SHORT = GenerationParams(max_semantic_seconds=1.0)


@pytest.fixture(scope="module")
def engine(tiny_model_dir):
    return BarkEngine.load(str(tiny_model_dir))


def test_generation_is_audio_of_the_decoded_fine_tokens(engine):
    gen = engine.generate("Hello there.", params=SHORT, seed=1)
    assert gen.semantic.ndim == 1 and len(gen.semantic) > 0
    assert gen.coarse.shape[0] == 2 and gen.fine.shape == (8, gen.coarse.shape[1])
    assert gen.audio.dtype == np.float32 and len(gen.audio) == HOP_LENGTH * gen.fine.shape[1]
    assert gen.sample_rate == SAMPLE_RATE and np.isfinite(gen.audio).all() and gen.audio.std() > 0


def test_same_seed_same_audio_other_seed_other_audio(engine):
    a = engine.generate("Hello there.", params=SHORT, seed=3)
    b = engine.generate("Hello there.", params=SHORT, seed=3)
    c = engine.generate("Hello there.", params=SHORT, seed=4)
    assert np.array_equal(a.audio, b.audio)
    assert not np.array_equal(a.semantic, c.semantic)


def test_a_row_of_a_batch_equals_its_generation_alone(engine):
    voice = load_voice("v2/en_speaker_6")
    texts = ["One.", "Two words here, and a few more.", "Three [laughs]!"]
    voices = [voice, None, voice]
    batch = engine.generate_batch(texts, voices, SHORT, seeds=[7, 8, 9], max_seconds=[0.5, 1.0, 0.8])
    for text, v, seed, cap, row in zip(texts, voices, [7, 8, 9], [0.5, 1.0, 0.8], batch):
        alone = engine.generate(text, v, SHORT.replace(max_semantic_seconds=cap), seed)
        assert np.array_equal(row.fine, alone.fine)
        np.testing.assert_allclose(row.audio, alone.audio, atol=1e-5)


def test_a_generation_saved_as_a_voice_conditions_the_next(engine, tmp_path):
    gen = engine.generate("Lock this voice.", params=SHORT, seed=5)
    gen.as_voice().save(tmp_path / "locked.npz")
    voice = load_voice(str(tmp_path / "locked.npz"))
    assert np.array_equal(voice.semantic, gen.semantic) and np.array_equal(voice.fine, gen.fine)
    with_voice = engine.generate("Next line.", voice, SHORT, seed=5)
    without = engine.generate("Next line.", None, SHORT, seed=5)
    assert not np.array_equal(with_voice.fine, without.fine)


def test_fingerprint_names_the_checkpoint_bytes_and_numerics(engine, tiny_model_dir):
    again = BarkEngine.load(str(tiny_model_dir))
    assert engine.fingerprint == again.fingerprint
    assert BarkEngine.load(str(tiny_model_dir), dtype="bfloat16").fingerprint != engine.fingerprint


def test_unknown_dtype_is_refused_with_the_choices(tiny_model_dir):
    with pytest.raises(ValueError, match="float32"):
        BarkEngine.load(str(tiny_model_dir), dtype="float8")


def test_bf16_fast_mode_is_a_param_that_reaches_cache_keys_and_still_decodes(engine):
    fast = SHORT.replace(autocast="bfloat16")
    assert fast.as_dict()["autocast"] == "bfloat16" and fast != SHORT
    gen = engine.generate("Hello there.", params=fast, seed=1)
    assert np.isfinite(gen.audio).all() and len(gen.audio) == HOP_LENGTH * gen.fine.shape[1]


def test_compile_is_off_by_default_and_accepted(engine, tiny_model_dir):
    assert engine.compiled is False
    compiled = BarkEngine.load(str(tiny_model_dir), compile=True)  # torch.compile is lazy: nothing runs yet
    assert compiled.compiled is True and compiled.fingerprint != engine.fingerprint
    assert set(compiled.static) == {"text", "coarse"} and engine.static == {}


def test_decode_gives_the_audio_generation_gave(engine):
    gen = engine.generate("Hello there.", params=SHORT, seed=2)
    np.testing.assert_array_equal(engine.decode([gen.fine])[0], gen.audio)


def test_on_stage_hears_each_stage_of_every_batch_in_order(tiny_model_dir):
    heard = []
    timed = BarkEngine.load(str(tiny_model_dir))
    timed.on_stage = lambda stage, seconds: heard.append((stage, seconds))
    timed.generate_batch(["One.", "Two."], [None, None], SHORT, seeds=[1, 2])
    timed.generate("Three.", params=SHORT, seed=3)
    assert [stage for stage, _ in heard] == ["semantic", "coarse", "fine", "codec"] * 2
    assert all(seconds > 0 for _, seconds in heard)
