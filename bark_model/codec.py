"""EnCodec 24 kHz decoder: 8 codebooks of codes at 75 Hz -> mono float32 audio at 24 kHz.

Our own inference-only port of facebookresearch/encodec (`EncodecModel.encodec_model_24khz`):
residual-VQ decode (sum of codebook embeddings) followed by the causal SEANet decoder. It reads
the official `encodec_24khz-d7cc33bc.th` state dict; weight norm (weight = g * v / ||v||) is
folded once at load, so inference runs plain convolutions. Everything runs in float32: the
decoder is small next to the GPTs, and half precision would only add error to the audio.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .constants import CODEBOOK_SIZE, HOP_LENGTH, N_FINE_CODEBOOKS
from .errors import CheckpointError

CODE_DIM = 128  # width of a codebook entry and of the decoder's input
N_FILTERS = 32  # channels at audio rate; doubled per upsampling stage going down the stack
RATIOS = (8, 5, 4, 2)  # decoder upsampling strides; product = HOP_LENGTH (320)
LSTM_LAYERS = 2
N_QUANTIZERS_IN_FILE = 32  # the official file holds 32 codebooks (24 kbps); 6 kbps uses 8


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
# The SEANet layer lists, index for index as encodec's nn.Sequential: they name the official
# keys and shapes (encoder included, for random test files) and build our decoder.


@dataclass(frozen=True)
class Layer:
    """One entry of a SEANet `model` Sequential."""

    kind: str  # "conv" | "convtr" | "lstm" | "resblock" | "elu"
    c_in: int = 0
    c_out: int = 0
    kernel: int = 1
    stride: int = 1  # used by "convtr" only (strided encoder convs need no stride for shapes)

    def official_shapes(self) -> dict[str, tuple[int, ...]]:
        """Keys (relative to the layer) and shapes in encodec's weight-norm parametrisation."""
        if self.kind == "conv":  # weight (out, in, k); weight norm over dim 0 = out
            return _weight_norm_shapes("conv.conv.", (self.c_out, self.c_in, self.kernel), self.c_out)
        if self.kind == "convtr":  # weight (in, out, k); weight norm over dim 0 = in
            return _weight_norm_shapes("convtr.convtr.", (self.c_in, self.c_out, self.kernel), self.c_out)
        if self.kind == "lstm":
            dim = self.c_in
            return {
                f"lstm.{name}_l{i}": shape
                for i in range(LSTM_LAYERS)
                for name, shape in [
                    ("weight_ih", (4 * dim, dim)),
                    ("weight_hh", (4 * dim, dim)),
                    ("bias_ih", (4 * dim,)),
                    ("bias_hh", (4 * dim,)),
                ]
            }
        if self.kind == "resblock":
            dim, hidden = self.c_in, self.c_in // 2
            parts = {
                "block.1.": Layer("conv", dim, hidden, 3),
                "block.3.": Layer("conv", hidden, dim, 1),
                "shortcut.": Layer("conv", dim, dim, 1),
            }
            return {p + k: s for p, layer in parts.items() for k, s in layer.official_shapes().items()}
        return {}

    def build(self) -> nn.Module:
        """Our inference module for this entry (parameter names = official ones, unwrapped)."""
        if self.kind == "conv":
            return CausalConv1d(self.c_in, self.c_out, self.kernel)
        if self.kind == "convtr":
            return CausalConvTranspose1d(self.c_in, self.c_out, self.kernel, self.stride)
        if self.kind == "lstm":
            return SkipLSTM(self.c_in)
        if self.kind == "resblock":
            return ResidualBlock(self.c_in)
        return nn.ELU()


def _weight_norm_shapes(prefix: str, weight: tuple[int, ...], c_out: int) -> dict:
    # registration order of torch's weight_norm: bias, then weight_g, weight_v
    return {
        prefix + "bias": (c_out,),
        prefix + "weight_g": (weight[0], 1, 1),
        prefix + "weight_v": weight,
    }


def seanet_layout(part: str) -> list[Layer]:
    """encodec's SEANetDecoder (or SEANetEncoder) layers for the 24 kHz model, in order."""
    widths = [N_FILTERS * 2**i for i in range(len(RATIOS) + 1)]  # 32 64 128 256 512
    elu = Layer("elu")
    if part == "decoder":
        layers = [Layer("conv", CODE_DIM, widths[-1], 7), Layer("lstm", widths[-1])]
        for ratio, width in zip(RATIOS, reversed(widths)):
            upsample = Layer("convtr", width, width // 2, 2 * ratio, ratio)
            layers += [elu, upsample, Layer("resblock", width // 2)]
        return layers + [elu, Layer("conv", N_FILTERS, 1, 7)]
    layers = [Layer("conv", 1, N_FILTERS, 7)]
    for ratio, width in zip(reversed(RATIOS), widths):
        layers += [Layer("resblock", width), elu, Layer("conv", width, 2 * width, 2 * ratio)]
    return layers + [Layer("lstm", widths[-1]), elu, Layer("conv", widths[-1], CODE_DIM, 7)]


def official_encodec_shapes() -> dict[str, tuple[int, ...]]:
    """Every key of `EncodecModel.encodec_model_24khz().state_dict()` with its shape, in order."""
    return _seanet_shapes("encoder") | _quantizer_shapes() | _seanet_shapes("decoder")


def _seanet_shapes(part: str) -> dict[str, tuple[int, ...]]:
    return {
        f"{part}.model.{index}.{key}": shape
        for index, layer in enumerate(seanet_layout(part))
        for key, shape in layer.official_shapes().items()
    }


def _quantizer_shapes() -> dict[str, tuple[int, ...]]:
    shapes = {}
    for i in range(N_QUANTIZERS_IN_FILE):
        p = f"quantizer.vq.layers.{i}._codebook."
        shapes |= {
            p + "inited": (1,),
            p + "cluster_size": (CODEBOOK_SIZE,),
            p + "embed": (CODEBOOK_SIZE, CODE_DIM),
            p + "embed_avg": (CODEBOOK_SIZE, CODE_DIM),
        }
    return shapes


def _codebook_key(i: int) -> str:
    return f"quantizer.vq.layers.{i}._codebook.embed"


def check_encodec_layout(state: dict, source: str) -> None:
    """Raise CheckpointError unless `state` holds the decoder and 6 kbps codebooks, shaped right.

    Other official keys (encoder, codebooks 8..31, EMA buffers) may be present or not.
    """
    expected = official_encodec_shapes()
    needed = [k for k in expected if k.startswith("decoder.")]
    needed += [_codebook_key(i) for i in range(N_FINE_CODEBOOKS)]
    shape = {k: tuple(getattr(v, "shape", ())) for k, v in state.items()}
    missing = [k for k in needed if k not in state]
    unexpected = [k for k in state if k not in expected]
    wrong = [
        f"{k} {shape[k]} (expected {expected[k]})" for k in state if k in expected and shape[k] != expected[k]
    ]
    problems = [
        f"{label}: {', '.join(keys[:3])}" + (f" (and {len(keys) - 3} more)" if len(keys) > 3 else "")
        for label, keys in [("missing keys", missing), ("unexpected keys", unexpected), ("wrong shapes", wrong)]
        if keys
    ]
    if problems:
        raise CheckpointError(
            f"{source} is not an EnCodec 24 kHz state dict (encodec_24khz-d7cc33bc.th): "
            + "; ".join(problems)
        )


def fold_decoder_weights(state: dict) -> dict[str, torch.Tensor]:
    """Our decoder's float32 state dict from the official one: weight norm folded, wrappers unnamed.

    `decoder.model.3.convtr.convtr.weight_g/_v` -> `decoder.model.3.weight` = g * v / ||v||
    (norm over all dims but 0); codebooks 0..7 stacked as `quantizer.codebooks` (8, 1024, 128).
    """
    codebooks = [state[_codebook_key(i)] for i in range(N_FINE_CODEBOOKS)]
    weights = {"quantizer.codebooks": torch.stack(codebooks)}
    for key, value in state.items():
        if not key.startswith("decoder.") or key.endswith("_v"):
            continue
        ours = key.replace("convtr.convtr.", "").replace("conv.conv.", "")
        if key.endswith("_g"):
            v = state[key.removesuffix("_g") + "_v"].double()
            value = value.double() * v / v.norm(dim=(1, 2), keepdim=True)
            ours = ours.removesuffix("_g")
        weights[ours] = value
    return {k: v.detach().float().cpu() for k, v in weights.items()}


# ---------------------------------------------------------------------------------------------
# The decoder


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
        self.model = nn.Sequential(*[layer.build() for layer in seanet_layout("decoder")])

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
        """Decode several (8, T_i) code arrays; returns 1-D float32 arrays of 320 * T_i samples.

        Rows are right-padded and decoded in one call (the decoder is causal, so a row's samples
        do not depend on what follows it); rows shorter than `min_batchable_frames` are decoded
        per length, as their result depends on their exact length.
        """
        rows = [torch.as_tensor(row).long().cpu() for row in rows]
        groups: dict[int, list[int]] = {}
        for i, row in enumerate(rows):
            length = row.shape[-1]
            groups.setdefault(length if length < self.min_batchable_frames else -1, []).append(i)
        out: list[np.ndarray] = [np.zeros(0, np.float32)] * len(rows)
        for members in groups.values():
            for chunk in frame_budget_chunks(sorted(members, key=lambda i: rows[i].shape[-1]), rows):
                longest = max(rows[i].shape[-1] for i in chunk)
                batch = torch.stack([F.pad(rows[i], (0, longest - rows[i].shape[-1])) for i in chunk])
                audio = self.decode(batch, [rows[i].shape[-1] for i in chunk])[:, 0].cpu().numpy()
                for j, i in enumerate(chunk):
                    out[i] = audio[j, : HOP_LENGTH * rows[i].shape[-1]].copy()
        return out


MAX_DECODE_FRAMES = 3000  # rows × padded frames per decode call: bounds peak memory near 1 GB


def frame_budget_chunks(members: list[int], rows: list[torch.Tensor]) -> list[list[int]]:
    """Split length-sorted row indices into calls of at most MAX_DECODE_FRAMES padded frames."""
    chunks: list[list[int]] = [[]]
    for i in members:
        if chunks[-1] and (len(chunks[-1]) + 1) * rows[i].shape[-1] > MAX_DECODE_FRAMES:
            chunks.append([])
        chunks[-1].append(i)
    return chunks


def random_encodec_state_dict(seed: int = 0) -> dict[str, torch.Tensor]:
    """A seeded random state dict with exactly the official keys and shapes (for test files).

    Codebooks are random (untrained EnCodec codebooks are zeros, which would test nothing), and
    weight norms are chosen so that the decoded audio has a moderate amplitude.
    """
    gen = torch.Generator().manual_seed(seed)
    state = {}
    for key, shape in official_encodec_shapes().items():
        name = key.rsplit(".", 1)[-1]
        if name == "inited":
            value = torch.ones(shape)
        elif name == "cluster_size":
            value = torch.rand(shape, generator=gen) + 1.0
        elif name == "embed_avg":
            value = state[key.removesuffix("_avg")].clone()
        elif name == "weight_g":
            value = torch.rand(shape, generator=gen) * 0.3 + 0.65  # audio std ~0.1, peaks < 1
        elif name.startswith(("weight_ih", "weight_hh", "bias_ih", "bias_hh")):
            bound = (shape[0] // 4) ** -0.5  # torch's LSTM init: U(-1/sqrt(hidden), 1/sqrt(hidden))
            value = (torch.rand(shape, generator=gen) * 2 - 1) * bound
        elif name == "bias":
            value = torch.randn(shape, generator=gen) * 0.01
        else:  # weight_v, embed
            value = torch.randn(shape, generator=gen)
        state[key] = value
    return state
