"""EnCodec 24 kHz decoder: 8 codebooks of codes at 75 Hz -> mono float32 audio at 24 kHz.

Our own inference-only port of facebookresearch/encodec (`EncodecModel.encodec_model_24khz`):
residual-VQ decode (sum of codebook embeddings) followed by the causal SEANet decoder, built from
the layer lists of codec_layout.py, which also checks the official state dict and folds its weight
norm once at load, so inference runs plain convolutions. Everything runs in float32: the
decoder is small next to the GPTs, and half precision would only add error to the audio.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .codec_batches import decode_rows
from .codec_layout import CODE_DIM, LSTM_LAYERS, Layer, check_encodec_layout, fold_decoder_weights, seanet_layout
from .constants import CODEBOOK_SIZE, HOP_LENGTH, N_FINE_CODEBOOKS

# ---------------------------------------------------------------------------------------------
# Building blocks (inference-only counterparts of encodec's SConv1d, SConvTranspose1d, SLSTM,
# SEANetResnetBlock). All convs in the decoder have stride 1 and dilation 1.


def pad_left_reflect(x: torch.Tensor, pad: int) -> torch.Tensor:
    """encodec's causal `pad1d(x, (pad, 0), 'reflect')`, guard included.

    Reflection needs more than `pad` samples, so a shorter input is first zero-extended on the
    right and that extension is dropped again afterwards (as encodec does).
    """
    if pad == 0:
        return x
    extra = max(0, pad + 1 - x.shape[-1])
    x = F.pad(x, (0, extra))
    x = F.pad(x, (pad, 0), mode="reflect")
    return x[..., : x.shape[-1] - extra]


class CausalConv1d(nn.Conv1d):
    """Stride-1 conv padded on the left by kernel - 1 (reflect): output length = input length."""

    def __init__(self, c_in: int, c_out: int, kernel: int):
        super().__init__(c_in, c_out, kernel)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(pad_left_reflect(x, self.kernel_size[0] - 1))


class CausalConvTranspose1d(nn.ConvTranspose1d):
    """Upsampling by `stride`; the kernel - stride samples that spill over are trimmed on the right."""

    def __init__(self, c_in: int, c_out: int, kernel: int, stride: int):
        super().__init__(c_in, c_out, kernel, stride)
        self.register_buffer("phase_weight", None, persistent=False)  # set by fold_phases()

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, C_in, T) -> (B, C_out, T * stride)
        if self.kernel_size[0] == 2 * self.stride[0]:  # every SEANet upsampler: the fast exact form
            return self.polyphase(x)
        y = super().forward(x)
        return y[..., : y.shape[-1] - (self.kernel_size[0] - self.stride[0])]

    def fold_phases(self) -> None:
        """Precompute `polyphase`'s kernel-2 conv weight (C_out * s, C_in, 2) from the weights."""
        s, (c_in, c_out, _) = self.stride[0], self.weight.shape
        w = self.weight.view(c_in, c_out, 2, s).permute(1, 3, 0, 2)  # (C_out, s, C_in, [x[t] tap, x[t-1] tap])
        self.phase_weight = w.flip(-1).reshape(c_out * s, c_in, 2)  # conv taps run oldest first: [x[t-1], x[t]]

    def polyphase(self, x: torch.Tensor) -> torch.Tensor:
        """The same transposed conv (kernel 2s, stride s, right spill trimmed) as a kernel-2 conv to
        C_out * s phases, interleaved: out[t*s + j] = W[..., j]·x[t] + W[..., s+j]·x[t-1] + b.
        torch's CPU conv_transpose1d is several times slower than this."""
        if self.phase_weight is None:
            self.fold_phases()
        y = F.conv1d(F.pad(x, (1, 0)), self.phase_weight)  # (B, C_out * s, T)
        b, _, t = y.shape
        y = y.view(b, -1, self.stride[0], t).transpose(2, 3).reshape(b, -1, t * self.stride[0])
        return y + self.bias[None, :, None] if self.bias is not None else y


class SkipLSTM(nn.Module):
    """Multi-layer LSTM over time on conv-layout input, plus a skip connection."""

    def __init__(self, dim: int, num_layers: int = LSTM_LAYERS):
        super().__init__()
        self.lstm = nn.LSTM(dim, dim, num_layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, C, T)
        x = x.permute(2, 0, 1)  # (T, B, C)
        y, _ = self.lstm(x)  # 512 wide: two threads beat one even at batch 1 (0.13 s vs 0.24 s for 11 s)
        return (y + x).permute(1, 2, 0)  # (B, C, T)


class ResidualBlock(nn.Module):
    """ELU, conv k3 to dim/2, ELU, conv k1 back to dim; added to a 1x1-conv shortcut."""

    def __init__(self, dim: int):
        super().__init__()
        hidden = dim // 2
        self.block = nn.Sequential(
            nn.ELU(), CausalConv1d(dim, hidden, 3), nn.ELU(), CausalConv1d(hidden, dim, 1)
        )
        self.shortcut = CausalConv1d(dim, dim, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.shortcut(x) + self.block(x)


# ---------------------------------------------------------------------------------------------
# The decoder


def build_layer(layer: Layer) -> nn.Module:
    """Our inference module for one SEANet entry (parameter names = official ones, unwrapped)."""
    if layer.kind == "conv":
        return CausalConv1d(layer.c_in, layer.c_out, layer.kernel)
    if layer.kind == "convtr":
        return CausalConvTranspose1d(layer.c_in, layer.c_out, layer.kernel, layer.stride)
    if layer.kind == "lstm":
        return SkipLSTM(layer.c_in)
    if layer.kind == "resblock":
        return ResidualBlock(layer.c_in)
    return nn.ELU()


class ResidualVQ(nn.Module):
    """Residual vector-quantizer decode: the sum of each codebook's embedding of its code."""

    def __init__(self, n_q: int = N_FINE_CODEBOOKS, bins: int = CODEBOOK_SIZE, dim: int = CODE_DIM):
        super().__init__()
        self.register_buffer("codebooks", torch.zeros(n_q, bins, dim))

    def forward(self, codes: torch.Tensor) -> torch.Tensor:  # (B, n_q, T) -> (B, dim, T)
        n_q, bins, _ = self.codebooks.shape
        offsets = torch.arange(n_q, device=codes.device)[:, None] * bins  # codebook k -> rows k*bins..
        emb = F.embedding(codes + offsets, self.codebooks.flatten(0, 1))  # (B, n_q, T, dim)
        return emb.sum(1).transpose(1, 2)


class SEANetDecoder(nn.Module):
    """Causal SEANet decoder: (B, 128, T) embeddings at 75 Hz -> (B, 1, 320 * T) audio."""

    N_HEAD_LAYERS = 3  # conv, LSTM, ELU at 75 Hz: run over the whole batch and sequence
    CHUNK_FRAMES = 128  # on CPU the upsampling layers after them run one row, this many frames, at a time
    CONTEXT_FRAMES = 4  # frames before a chunk fed along for the convs' left context (2 suffice: tested)

    def __init__(self):
        super().__init__()
        self.model = nn.Sequential(*[build_layer(layer) for layer in seanet_layout("decoder")])

    def forward(self, z: torch.Tensor, lengths: list[int] | None = None) -> torch.Tensor:
        """`lengths` (frames per row, default all): on CPU, frames past a row's length stay zero."""
        head, upsampler = self.model[: self.N_HEAD_LAYERS], self.model[self.N_HEAD_LAYERS :]
        h = head(z)
        if h.device.type != "cpu":
            return upsampler(h)
        out = h.new_zeros(h.shape[0], 1, h.shape[-1] * HOP_LENGTH)
        for i, length in enumerate(lengths or [h.shape[-1]] * h.shape[0]):
            out[i, :, : length * HOP_LENGTH] = self.upsample_in_chunks(upsampler, h[i : i + 1, :, :length])
        return out

    def upsample_in_chunks(self, upsampler: nn.Module, h: torch.Tensor) -> torch.Tensor:
        """`upsampler(h)` for one row, chunk by chunk: at 24 kHz a whole batch's activations are
        hundreds of MB and every elementwise op streams them through memory; a chunk's stay in cache
        (measured: the codec 2x faster). Each chunk's output is exactly the whole pass's output."""
        pieces = []
        for start in range(0, h.shape[-1], self.CHUNK_FRAMES):
            begin = max(0, start - self.CONTEXT_FRAMES)
            y = upsampler(h[..., begin : start + self.CHUNK_FRAMES])
            pieces.append(y[..., (start - begin) * HOP_LENGTH :])
        return torch.cat(pieces, -1)


class EncodecDecoder(nn.Module):
    """Codes of 8 codebooks at 75 Hz -> mono float32 audio at 24 kHz (EnCodec 24 kHz, 6 kbps)."""

    # Rows at least this many frames long decode identically alone or right-padded in a batch:
    # every layer is causal except the first conv's reflect padding, which reads frames 1..6
    # (and, for shorter rows, encodec's zero-extension guard, which padding would change).
    min_batchable_frames = seanet_layout("decoder")[0].kernel  # 7

    def __init__(self):
        super().__init__()
        self.quantizer = ResidualVQ()
        self.decoder = SEANetDecoder()

    @classmethod
    def from_state_dict(cls, state: dict, source: str = "the EnCodec state dict") -> EncodecDecoder:
        """Build from the official `encodec_24khz-d7cc33bc.th` state dict (encoder keys ignored).

        Raises CheckpointError naming `source` and a few missing/unexpected keys or bad shapes.
        """
        check_encodec_layout(state, source)
        weights = fold_decoder_weights(state)
        with torch.device("meta"):
            model = cls()
        model.load_state_dict(weights, strict=True, assign=True)
        for module in model.modules():
            if isinstance(module, CausalConvTranspose1d):
                module.fold_phases()
        return model.eval()

    def forward(self, codes: torch.Tensor, lengths: list[int] | None = None) -> torch.Tensor:
        """(B, 8, T) -> (B, 1, 320 * T); see SEANetDecoder.forward for `lengths`."""
        return self.decoder(self.quantizer(codes), lengths)

    @torch.inference_mode()
    def decode(self, codes: torch.Tensor, lengths: list[int] | None = None) -> torch.Tensor:
        """Decode int codes (B, 8, T) with values in [0, 1024) to float32 audio (B, 1, 320 * T).
        `lengths`: each row's real frames (the rest is padding, decoded as silence on CPU)."""
        if codes.dim() != 3 or codes.shape[1] != N_FINE_CODEBOOKS:
            raise ValueError(f"codes must be shaped (B, {N_FINE_CODEBOOKS}, T), got {tuple(codes.shape)}")
        if codes.numel() and (codes.min() < 0 or codes.max() >= CODEBOOK_SIZE):
            raise ValueError(f"codes must lie in [0, {CODEBOOK_SIZE}), got {codes.min()}..{codes.max()}")
        device = self.quantizer.codebooks.device
        if codes.shape[-1] == 0:
            return torch.zeros(codes.shape[0], 1, 0, device=device)
        return self(codes.to(device=device, dtype=torch.long), lengths)

    def decode_batch(self, rows: list) -> list[np.ndarray]:
        """Decode several (8, T_i) code arrays to 1-D float32 arrays of 320 * T_i samples, batched
        where that cannot change a row's samples (codec_batches.decode_rows)."""
        return decode_rows(self, rows)
