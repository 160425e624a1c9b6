"""EnCodec 24 kHz checkpoint layout: the official keys and shapes, their check, and weight folding.

The SEANet layer lists, index for index as encodec's nn.Sequential, name the official keys and shapes
(encoder included, for random test files) and are what codec.py builds its decoder from. The official
file stores weight norm (weight = g * v / ||v||); it is folded once at load into plain weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .constants import CODEBOOK_SIZE, N_FINE_CODEBOOKS
from .errors import CheckpointError
from .paths import ENCODEC_FILE

CODE_DIM = 128  # width of a codebook entry and of the decoder's input
N_FILTERS = 32  # channels at audio rate; doubled per upsampling stage going down the stack
RATIOS = (8, 5, 4, 2)  # decoder upsampling strides; product = HOP_LENGTH (320)
LSTM_LAYERS = 2
N_QUANTIZERS_IN_FILE = 32  # the official file holds 32 codebooks (24 kbps); 6 kbps uses 8


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
            f"{source} is not an EnCodec 24 kHz state dict ({ENCODEC_FILE}): "
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
