"""Seeded random-weight Bark checkpoints written in the exact official formats.

They let everything run offline (the `random-tiny` model) and let tests compare us with the
reference on identical files. The audio they make is noise.
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

from .codec import random_encodec_state_dict
from .fine_gpt import FineGPT, FineGPTConfig
from .gpt import GPT, GPTConfig

SHAPES = {
    "tiny": dict(n_layer=2, n_head=2, n_embd=32),
    "small": dict(n_layer=12, n_head=12, n_embd=768),
    "large": dict(n_layer=24, n_head=16, n_embd=1024),
}
VOCABS = {  # (input, output) vocab sizes of the published files
    "text": (129_600, 10_048),
    "coarse": (12_096, 12_096),
    "fine": (1_056, 1_056),
}
RANDOM_TINY_VERSION = "v1"  # bump when the files written here change


def default_cache_dir() -> Path:
    """barkbook's cache: `$BARKBOOK_CACHE_DIR`, else `~/.cache/barkbook`."""
    return Path(os.environ.get("BARKBOOK_CACHE_DIR") or Path.home() / ".cache" / "barkbook")


def random_tiny_folder() -> Path:
    """The `random-tiny` model's folder, written once (atomically) and reused."""
    folder = default_cache_dir() / f"random-tiny-{RANDOM_TINY_VERSION}"
    if not folder.is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".random-tiny-", dir=folder.parent))
        write_random_checkpoints(tmp, shape="tiny", seed=0)
        try:
            os.rename(tmp, folder)
        except OSError:  # another process finished first: theirs is identical
            shutil.rmtree(tmp, ignore_errors=True)
    return folder


def write_random_checkpoints(
    folder: Path | str, *, shape: str = "tiny", bias: bool = True, seed: int = 0, suffix: str = ""
) -> Path:
    """Write text/coarse/fine `.pt` (with `suffix`, e.g. "_2"), the EnCodec `.th` and `vocab.txt`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for offset, stage in enumerate(("text", "coarse", "fine")):
        config = stage_config(stage, shape, bias)
        model = (FineGPT if stage == "fine" else GPT)(config)
        state = random_state(model, seed * 10 + offset)
        if stage != "fine":  # the published causal models carry their mask buffers
            mask = torch.tril(torch.ones(config.block_size, config.block_size))[None, None]
            state |= {f"transformer.h.{i}.attn.bias": mask for i in range(config.n_layer)}
        checkpoint = {
            "model": {f"_orig_mod.{k}": v for k, v in state.items()},
            "model_args": dict(vars(config)),
            "iter_num": 0,
            "best_val_loss": np.float64(1.0 + seed),  # pickled as numpy 1.x did, see LegacyNumpyPickler
            "config": {"random_seed": seed, "shape": shape},
        }
        torch.save(checkpoint, folder / f"{stage}{suffix}.pt", pickle_module=LEGACY_PICKLE)
    torch.save(random_encodec_state_dict(seed), folder / "encodec_24khz-d7cc33bc.th")
    (folder / "vocab.txt").write_text("\n".join(tiny_vocab()) + "\n", encoding="utf-8")
    return folder


def stage_config(stage: str, shape: str, bias: bool) -> GPTConfig:
    n_in, n_out = VOCABS[stage]
    args = dict(SHAPES[shape], block_size=1024, dropout=0.0, bias=bias, input_vocab_size=n_in, output_vocab_size=n_out)
    return FineGPTConfig(**args, n_codes_total=8, n_codes_given=1) if stage == "fine" else GPTConfig(**args)


def random_state(model: torch.nn.Module, seed: int) -> dict[str, torch.Tensor]:
    """Weights ~ N(0, 0.02), embeddings wider, LayerNorms around (1, 0); tied tensors stay tied."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():  # shared (tied) tensors are visited once
            if ".ln" in name or name.startswith("transformer.ln_f"):
                base = 1.0 if name.endswith("weight") else 0.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=g))
            else:
                std = 0.5 if ("wte" in name or "wpe" in name) else 0.02
                p.copy_(std * torch.randn(p.shape, generator=g))
    return {k: v.clone() for k, v in model.state_dict().items()}


class LegacyNumpyPickler(pickle._Pickler):
    """Names numpy's scalar constructor `numpy.core.multiarray.scalar`, as numpy 1.x pickles did
    (numpy 2 says `numpy._core...`), so our files load exactly like Suno's published ones."""

    def save_global(self, obj, name=None):
        if obj is np._core.multiarray.scalar:
            self.write(pickle.GLOBAL + b"numpy.core.multiarray\nscalar\n")
            self.memoize(obj)
            return
        super().save_global(obj, name)


LEGACY_PICKLE = types.SimpleNamespace(Pickler=LegacyNumpyPickler, __name__="legacy_pickle")


def tiny_vocab() -> list[str]:
    """A deterministic cased WordPiece vocab with BERT's special ids: characters (ASCII, Latin-1,
    common CJK, ♪), their `##` continuations and common English words, so any text gets real ids."""
    vocab = ["[PAD]"] + [f"[unused{i}]" for i in range(1, 100)] + ["[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = [chr(c) for c in range(33, 127)] + [chr(c) for c in range(0xC0, 0x180)]
    chars += [chr(c) for c in range(0x4E00, 0x4E00 + 3000)] + list("♪—–…“”‘’«»¿¡€£")
    words = (
        "the and of to a in that is was he for it with as his on be at by I had not are but from or have "
        "an they which one you were her all she there would their we him been has when who will more no "
        "if out so said what up its about into than them can only other new some could time these two may "
        "then do first any my now such like our over man me even most made after also did many before must "
        "through back years where much your way well down should because each just those people Mr how too "
        "little state good very make world still own see men work long get here between both life being "
        "under never day same another know while last might us great old year off come since against go "
        "came right used take three Hello hello world Fox Lion Mouse Hare Tortoise grapes race"
    ).split()
    pieces = ["##" + s for s in "s ed ing ly er est tion ment ness able al ful less ous ive".split()]
    seen, out = set(), []
    for token in vocab + chars + ["##" + c for c in chars] + words + pieces:
        if token not in seen:
            seen.add(token)
            out.append(token)
    return out
