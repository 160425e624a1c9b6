"""Seeded random-weight Bark checkpoints written in the exact official formats.

They let everything run offline (the `random-tiny` model), let tests compare us with the
reference on identical files, and give benchmarks the real shapes. The audio they make is noise.
The state dicts are built from the official key/shape layout, not from our model classes, so a
mistake in our models cannot hide behind files written by those same models.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import types
from pathlib import Path

import numpy as np
import torch

from .codec_layout import official_encodec_shapes
from .constants import CONTEXT_WINDOW_SIZE, MODEL_SHAPES, N_FINE_CODEBOOKS, STAGE_VOCABS
from .paths import ENCODEC_FILE, NUMPY_1_SCALAR_NAME, NUMPY_SCALAR, VOCAB_FILE, random_tiny_dir
from .paths import default_cache_dir  # noqa: F401  also imported from here (flows/render_book.py) until switched

N_CODES_GIVEN = 1


def random_tiny_folder() -> Path:
    """The `random-tiny` model's folder: written once into a temp sibling, renamed into place, reused.

    Concurrent first calls each write their own temp folder; the first rename wins and the others
    discard theirs (the contents are identical), so no process ever sees a half-written folder.
    """
    folder = random_tiny_dir()
    if folder.is_dir():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        write_random_checkpoints(tmp, shape="tiny", seed=0)
        os.replace(tmp, folder)  # a directory rename; fails if another process's folder is already there
    except OSError:
        if not folder.is_dir():
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


def write_random_checkpoints(
    folder: Path | str, *, shape: str = "tiny", bias: bool = True, seed: int = 0, suffix: str = ""
) -> Path:
    """Write `text{suffix}.pt`, `coarse{suffix}.pt`, `fine{suffix}.pt` (suffix "_2": the large
    names), the EnCodec `.th` and a small `vocab.txt` into `folder`; the same seed gives the same bytes."""
    if shape not in MODEL_SHAPES:
        raise ValueError(f"unknown shape {shape!r}: choose {', '.join(MODEL_SHAPES)}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for offset, stage in enumerate(STAGE_VOCABS):
        args = model_args(stage, shape, bias)
        generator = torch.Generator().manual_seed(seed * 10 + offset)
        checkpoint = {
            "model": {f"_orig_mod.{k}": v for k, v in random_state_dict(stage, args, generator).items()},
            "model_args": args,
            "iter_num": 0,
            "best_val_loss": np.float64(1.0 + seed),  # pickled under its numpy 1.x name, see LegacyNumpyPickler
            "config": {"random_seed": seed, "shape": shape},
        }
        torch.save(checkpoint, folder / f"{stage}{suffix}.pt", pickle_module=LEGACY_NUMPY_PICKLE)
    torch.save(random_encodec_state_dict(seed), folder / ENCODEC_FILE)
    (folder / VOCAB_FILE).write_text("\n".join(tiny_vocab()) + "\n", encoding="utf-8")
    return folder


def model_args(stage: str, shape: str, bias: bool) -> dict:
    """The `model_args` dict of a published file (GPTConfig fields; fine adds the codebook counts)."""
    n_in, n_out = STAGE_VOCABS[stage]
    n_layer, n_head, n_embd = MODEL_SHAPES[shape]
    args = dict(block_size=CONTEXT_WINDOW_SIZE, input_vocab_size=n_in, output_vocab_size=n_out,
                n_layer=n_layer, n_head=n_head, n_embd=n_embd, dropout=0.0, bias=bias)
    if stage == "fine":
        args |= dict(n_codes_total=N_FINE_CODEBOOKS, n_codes_given=N_CODES_GIVEN)
    return args


def official_layout(stage: str, args: dict) -> dict[str, tuple[int, ...]]:
    """Key -> shape of a published state dict (without `_orig_mod.`), in the models' module order.

    Causal stages carry the `.attn.bias` mask buffer. The fine stage has one embedding per codebook,
    LayerNorms that always have a bias, and `lm_heads.i` stored beside (tied to) `wtes.{i+1}`.
    """
    fine = stage == "fine"
    C, L, bias = args["n_embd"], args["n_layer"], args["bias"]

    def linear(name: str, n_out: int, n_in: int) -> dict:
        return {f"{name}.weight": (n_out, n_in)} | ({f"{name}.bias": (n_out,)} if bias else {})

    def norm(name: str) -> dict:
        return {f"{name}.weight": (C,)} | ({f"{name}.bias": (C,)} if bias or fine else {})

    n_tables = args.get("n_codes_total", 1)
    wte = [f"transformer.wtes.{i}" for i in range(n_tables)] if fine else ["transformer.wte"]
    layout = {f"{name}.weight": (args["input_vocab_size"], C) for name in wte}
    layout["transformer.wpe.weight"] = (args["block_size"], C)
    for i in range(L):
        h = f"transformer.h.{i}"
        layout |= norm(f"{h}.ln_1") | linear(f"{h}.attn.c_attn", 3 * C, C) | linear(f"{h}.attn.c_proj", C, C)
        if not fine:
            layout[f"{h}.attn.bias"] = (1, 1, args["block_size"], args["block_size"])
        layout |= norm(f"{h}.ln_2") | linear(f"{h}.mlp.c_fc", 4 * C, C) | linear(f"{h}.mlp.c_proj", C, 4 * C)
    layout |= norm("transformer.ln_f")
    if fine:
        layout |= {f"lm_heads.{i}.weight": (args["output_vocab_size"], C) for i in range(n_tables - N_CODES_GIVEN)}
    else:
        layout["lm_head.weight"] = (args["output_vocab_size"], C)
    return layout


def random_state_dict(stage: str, args: dict, generator: torch.Generator) -> dict[str, torch.Tensor]:
    """Random tensors on the official layout: linears ~ N(0, 0.02), embeddings wider (0.5) so that
    inputs matter, LayerNorms around (1, 0); causal masks are lower-triangular ones; tied heads share."""
    state = {}
    mask = None
    for key, shape in official_layout(stage, args).items():
        if key.endswith(".attn.bias"):
            mask = mask if mask is not None else torch.tril(torch.ones(shape[-2:])).view(shape)
            state[key] = mask  # one tensor for every layer: saved once
        elif key.startswith("lm_heads."):
            state[key] = state[f"transformer.wtes.{int(key.split('.')[1]) + N_CODES_GIVEN}.weight"]
        elif ".ln_" in key:
            base = 1.0 if key.endswith(".weight") else 0.0
            state[key] = base + 0.1 * torch.randn(shape, generator=generator)
        else:
            std = 0.5 if (".wte" in key or ".wpe" in key) else 0.02
            state[key] = std * torch.randn(shape, generator=generator)
    return state


class LegacyNumpyPickler(pickle._Pickler):
    """Names numpy's scalar constructor `numpy.core.multiarray.scalar`, as numpy 1.x pickles did
    (numpy 2 says `numpy._core...`), so our files load exactly like Suno's published ones.
    (The pure-Python pickler, because the C one does not route globals through save_global.)"""

    def save_global(self, obj, name=None):
        if obj is NUMPY_SCALAR:
            module, name = NUMPY_1_SCALAR_NAME.rsplit(".", 1)
            self.write(pickle.GLOBAL + f"{module}\n{name}\n".encode())
            self.memoize(obj)
        else:
            super().save_global(obj, name)


LEGACY_NUMPY_PICKLE = types.ModuleType("legacy_numpy_pickle")  # torch.save(pickle_module=...) needs .Pickler
LEGACY_NUMPY_PICKLE.Pickler = LegacyNumpyPickler


SCRIPTS = [  # (first, last) code points given single-character tokens
    (0x21, 0x7E), (0xA1, 0x17F),  # printable ASCII, Latin-1, Latin Extended-A
    (0x370, 0x3FF), (0x400, 0x4FF), (0x900, 0x97F),  # Greek, Cyrillic, Devanagari
    (0x2010, 0x2027), (0x266A, 0x266B),  # dashes, quotes, ellipsis; ♪ ♫
    (0x3001, 0x303F), (0x3041, 0x30FF), (0xFF01, 0xFF5E),  # CJK punctuation, kana, full-width forms
    (0xAC00, 0xD7A3),  # Hangul syllables
]
CJK_IDEOGRAPHS = (0x4E00, 0x9FFF)  # BERT splits these one per word: no `##` forms needed


def tiny_vocab() -> list[str]:
    """A deterministic cased WordPiece vocab with mBERT's special ids ([PAD] 0, [UNK] 100, [CLS] 101,
    [SEP] 102, [MASK] 103): the characters of the scripts Bark speaks (all CJK ideographs), their
    `##` continuations, and a few hundred common English words and suffixes, so any text in those
    scripts gets real ids and common words whole ones (about 46,000 entries; mBERT has 119,547)."""
    specials = ["[PAD]"] + [f"[unused{i}]" for i in range(1, 100)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = [chr(c) for first, last in SCRIPTS for c in range(first, last + 1) if chr(c).isprintable()]
    ideographs = [chr(c) for c in range(CJK_IDEOGRAPHS[0], CJK_IDEOGRAPHS[1] + 1)]
    words = (
        "the and of to a in that is was he for it with as his on be at by I had not are but from or have "
        "an they which one you were her all she there would their we him been has when who will more no "
        "if out so said what up its about into than them can only other new some could time these two may "
        "then do first any my now such like our over man me even most made after also did many before must "
        "through back years where much your way well down should because each just those people Mr Mrs how "
        "too little state good very make world still own see men work long get here between both life being "
        "under never day same another know while last might us great old year off come since against go "
        "came right used take three four five six seven eight nine ten hundred thousand Hello hello Hi yes "
        "It The This That He She They We You And But What When Where Why How Chapter chapter Well Oh "
        "night morning house door room hand eyes face voice head heart mother father friend sea river "
        "looked turned asked thought felt heard knew saw went told called began seemed "
        "laughter laughs sighs music gasps clears throat MAN WOMAN Fox Lion Mouse Hare Tortoise grapes race"
    ).split()
    suffixes = ["##" + s for s in "s es ed ing ly er est tion ment ness able al ful less ous ive ity ism ist".split()]
    tokens = specials + chars + ideographs + ["##" + c for c in chars] + words + suffixes
    return list(dict.fromkeys(tokens))  # first occurrence wins: ids are stable


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
