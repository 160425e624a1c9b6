"""EncodecDecoder: our EnCodec 24 kHz decoder against the reference `encodec` package."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from bark_model.codec import EncodecDecoder
from bark_model.codec_batches import decode_rows
from bark_model.random_tiny import random_encodec_state_dict
from bark_model.errors import CheckpointError
from reference_oracle import reference_encodec

# the reference builds its convs with torch.nn.utils.weight_norm, which torch deprecates
pytestmark = pytest.mark.filterwarnings("ignore:.*weight_norm.*is deprecated:FutureWarning")


@pytest.fixture(scope="module")
def state():
    return random_encodec_state_dict(seed=0)


@pytest.fixture(scope="module")
def reference(state):
    """The reference 24 kHz model holding the same random weights, at 6 kbps (8 codebooks)."""
    model = reference_encodec().EncodecModel.encodec_model_24khz(pretrained=False)
    model.load_state_dict(state, strict=True)
    model.set_target_bandwidth(6.0)
    return model.eval()


@pytest.fixture(scope="module")
def codec(state):
    return EncodecDecoder.from_state_dict(state)


def random_codes(*shape, seed=0):
    return torch.randint(0, 1024, shape, generator=torch.Generator().manual_seed(seed))


def test_random_state_dict_has_the_official_keys_and_shapes(reference, state):
    official = reference_encodec().EncodecModel.encodec_model_24khz(pretrained=False).state_dict()
    assert list(state) == list(official)
    assert {k: tuple(v.shape) for k, v in state.items()} == {k: tuple(v.shape) for k, v in official.items()}


def test_random_state_dict_is_seeded_and_has_nonzero_codebooks():
    a, b, c = random_encodec_state_dict(0), random_encodec_state_dict(0), random_encodec_state_dict(1)
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not torch.equal(a["decoder.model.0.conv.conv.weight_v"], c["decoder.model.0.conv.conv.weight_v"])
    for i in range(32):
        assert a[f"quantizer.vq.layers.{i}._codebook.embed"].abs().min() > 0


@pytest.mark.parametrize("frames", [1, 2, 7, 75, 150])
def test_decode_matches_reference(reference, codec, frames):
    codes = random_codes(2, 8, frames, seed=frames)
    with torch.no_grad():
        expected = reference.decode([(codes, None)])
    audio = codec.decode(codes)
    assert audio.dtype == torch.float32 and audio.shape == (2, 1, 320 * frames)
    assert expected.std() > 1e-2  # a silent decoder would match a silent reference
    torch.testing.assert_close(audio, expected, atol=1e-4, rtol=0)


@pytest.mark.parametrize("chunk_frames", [1, 5, 64])
def test_chunked_upsampling_matches_reference_across_chunk_boundaries(reference, codec, monkeypatch, chunk_frames):
    """On CPU the upsampling layers run chunk by chunk with CONTEXT_FRAMES of left context."""
    monkeypatch.setattr(codec.decoder, "CHUNK_FRAMES", chunk_frames)
    codes = random_codes(2, 8, 150, seed=11)
    with torch.no_grad():
        expected = reference.decode([(codes, None)])
    torch.testing.assert_close(codec.decode(codes), expected, atol=1e-4, rtol=0)


def test_padding_frames_decode_to_silence_and_do_not_change_the_row(codec):
    codes = random_codes(2, 8, 40, seed=5)
    audio = codec.decode(codes, lengths=[40, 25])
    assert torch.equal(audio[1, 0, 320 * 25 :], torch.zeros(320 * 15))
    torch.testing.assert_close(audio[1:, :, : 320 * 25], codec.decode(codes[1:, :, :25]), atol=1e-5, rtol=0)
    torch.testing.assert_close(audio[:1], codec.decode(codes[:1]), atol=1e-5, rtol=0)


def test_random_weights_give_audio_of_moderate_amplitude(codec):
    audio = codec.decode(random_codes(2, 8, 150))
    assert 0.02 < audio.std() < 0.5 and audio.abs().max() < 1.5


def test_decode_batch_equals_decoding_each_row_alone(codec):
    lengths = [40, 1, 75, 3, 7, 8, 6]
    rows = [random_codes(8, n, seed=i).numpy() for i, n in enumerate(lengths)]
    batch = codec.decode_batch(rows)
    for row, audio in zip(rows, batch):
        alone = codec.decode(torch.from_numpy(row)[None])[0, 0].numpy()
        assert audio.dtype == np.float32 and audio.shape == (320 * row.shape[-1],)
        np.testing.assert_allclose(audio, alone, atol=1e-5, rtol=0)


def test_right_padding_changes_only_rows_shorter_than_min_batchable_frames(codec):
    """Why decode_batch groups short rows: encodec's reflect padding reads a row's first frames."""
    n = EncodecDecoder.min_batchable_frames
    for frames, changes in [(n - 1, True), (n, False)]:
        row = random_codes(1, 8, frames, seed=frames)
        padded = F.pad(row, (0, 20), value=5)
        alone, in_padding = codec.decode(row), codec.decode(padded)[..., : 320 * frames]
        assert ((alone - in_padding).abs().max() > 1e-3) == changes


def test_from_state_dict_needs_only_decoder_and_first_eight_codebooks(codec, state):
    needed = {k: v for k, v in state.items() if k.startswith("decoder.")}
    needed |= {f"quantizer.vq.layers.{i}._codebook.embed": state[f"quantizer.vq.layers.{i}._codebook.embed"]
               for i in range(8)}
    codes = random_codes(1, 8, 10)
    torch.testing.assert_close(EncodecDecoder.from_state_dict(needed).decode(codes), codec.decode(codes))


def test_missing_key_raises_checkpoint_error_naming_it(state):
    broken = dict(state)
    del broken["decoder.model.3.convtr.convtr.weight_g"]
    expected = r"encodec\.th .*missing keys: decoder\.model\.3\.convtr\.convtr\.weight_g"
    with pytest.raises(CheckpointError, match=expected):
        EncodecDecoder.from_state_dict(broken, source="encodec.th")


def test_wrong_shape_raises_checkpoint_error_with_both_shapes(state):
    broken = dict(state)
    broken["quantizer.vq.layers.2._codebook.embed"] = torch.zeros(1024, 64)
    expected = r"layers\.2\._codebook\.embed \(1024, 64\) \(expected \(1024, 128\)\)"
    with pytest.raises(CheckpointError, match=expected):
        EncodecDecoder.from_state_dict(broken)


def test_foreign_state_dict_raises_checkpoint_error_listing_a_few_keys(state):
    foreign = {"_orig_mod." + k: v for k, v in state.items()}
    with pytest.raises(CheckpointError) as err:
        EncodecDecoder.from_state_dict(foreign, source="coarse.pt")
    message = str(err.value)
    assert message.startswith("coarse.pt ") and "unexpected keys: _orig_mod." in message
    assert "more)" in message and len(message) < 1000


def test_decode_rejects_codes_outside_the_codebooks(codec):
    with pytest.raises(ValueError, match="1024"):
        codec.decode(torch.full((1, 8, 3), 1024))
    with pytest.raises(ValueError, match=r"\(B, 8, T\)"):
        codec.decode(torch.zeros(1, 2, 3, dtype=torch.long))


def test_zero_frames_decode_to_no_samples(codec):
    assert codec.decode(torch.zeros(2, 8, 0, dtype=torch.long)).shape == (2, 1, 0)
    rows = [np.zeros((8, 0), np.int64), np.zeros((8, 2), np.int32)]
    assert [audio.shape for audio in codec.decode_batch(rows)] == [(0,), (640,)]


def test_decode_batch_splits_big_batches_and_still_equals_each_row_alone(codec):
    rng = np.random.default_rng(3)
    rows = [rng.integers(0, 1024, (8, t)) for t in (30, 9, 25, 12, 40)]
    for row, audio in zip(rows, decode_rows(codec, rows, max_frames=60)):  # several decode calls
        np.testing.assert_allclose(audio, codec.decode(torch.from_numpy(row)[None])[0, 0].numpy(), atol=1e-5)
