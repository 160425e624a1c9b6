"""Model files: where they come from (hub, torch hub, a folder, random-tiny) and how they load, safely.

`resolve_model` finds (or downloads) the five files of a model; `load_bark_models` turns them into
eval-mode modules. Every way a file can be wrong ends in one CheckpointError naming the file and
the problem; a model that cannot be had offline ends in one ModelNotAvailableError saying how to get it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from huggingface_hub import hf_hub_download

from .atomic import atomic_path
from .cache import (ENCODEC_URL, env_offline, folder_cache, hf_cache_dir, hub_unreachable, model_cache,
                    not_available, torch_hub_dir)
from .digests import file_sha256
from .codec import EncodecDecoder
from .constants import TEXT_ENCODING_OFFSET, TEXT_PAD_TOKEN
from .errors import CheckpointError, ModelNotAvailableError
from .fine_gpt import FineGPT, FineGPTConfig
from .gpt import GPT, GPTConfig
from .paths import (
    ENCODEC_FILE,
    FOLDER_LAYOUT,
    GPT_FILES,
    NUMPY_1_SCALAR_NAME,
    NUMPY_SCALAR,
    default_cache_dir,
)
from .random_tiny import random_tiny_folder
from .tokenizer import TextTokenizer

ENCODEC_HASH_PREFIX = "d7cc33bc"  # the file name's promise, checked on download as the reference does
MODEL_CHOICES = f"small, large, random-tiny, or a folder holding {FOLDER_LAYOUT}"
GPT_ARGS = ("block_size", "input_vocab_size", "output_vocab_size", "n_layer", "n_head", "n_embd", "dropout", "bias")
FINE_ARGS = GPT_ARGS + ("n_codes_total", "n_codes_given")
MAX_TEXT_VOCAB = TEXT_PAD_TOKEN - TEXT_ENCODING_OFFSET  # 119,547: mBERT's size, what the text model embeds

SAFE_GLOBALS = [  # everything Suno's pickles name besides tensors: the numpy scalar of best_val_loss
    (NUMPY_SCALAR, NUMPY_1_SCALAR_NAME),  # as numpy 1.x wrote it
    NUMPY_SCALAR,  # as numpy 2 writes it (a checkpoint re-saved here)
    np.dtype,
    type(np.dtype(np.float64)),  # np.dtypes.Float64DType
]


@dataclass(frozen=True)
class ModelFiles:
    """The five files of one Bark model; `name` is what the user asked for (display only)."""

    name: str
    text: Path
    coarse: Path
    fine: Path
    codec: Path
    vocab: Path

    def paths(self) -> tuple[Path, Path, Path, Path, Path]:
        return self.text, self.coarse, self.fine, self.codec, self.vocab

    @property
    def fingerprint(self) -> str:
        """`<name>-<sha256 over the five files' sha256>`: names the exact weights behind a model name."""
        digest = hashlib.sha256(json.dumps([file_digest(p) for p in self.paths()]).encode()).hexdigest()
        return f"{Path(self.name).name or self.name}-{digest}"


@dataclass
class BarkModels:
    """Everything generation needs, loaded once: three GPTs, the codec and the tokenizer."""

    text: GPT
    coarse: GPT
    fine: FineGPT
    codec: EncodecDecoder
    tokenizer: TextTokenizer
    files: ModelFiles


def resolve_model(name_or_path: str | Path, *, offline: bool | None = None) -> ModelFiles:
    """`small`, `large` (hub `suno/bark`), `random-tiny`, or a folder holding the official file names.

    `offline=None` follows HF_HUB_OFFLINE; offline, only cached files are used.
    """
    name = str(name_or_path)
    if name == "random-tiny":
        return folder_files(random_tiny_folder(), name)
    if name in GPT_FILES:
        return hub_files(name, env_offline() if offline is None else offline)
    folder = Path(name).expanduser()
    if folder.is_dir():
        return folder_files(folder, name)
    raise ModelNotAvailableError(f"unknown model {name!r} (no such folder either): choose {MODEL_CHOICES}")


def folder_files(folder: Path, name: str) -> ModelFiles:
    """A local folder with text/coarse/fine (small or `_2` large names), the EnCodec `.th` and vocab.txt."""
    cache = folder_cache(folder)
    if cache.complete:
        return ModelFiles(name, *(f.path for f in cache.files))
    raise CheckpointError(f"{folder}: missing {', '.join(cache.missing)}; a model folder holds {FOLDER_LAYOUT}")


def hub_files(name: str, offline: bool) -> ModelFiles:
    """The official files from the caches (bark_model/cache.py), the missing ones downloaded unless offline or
    the hub does not answer (asked once: no retry loop); whatever cannot be had is reported in one error."""
    cache = model_cache(name)
    if cache.complete:
        return ModelFiles(name, *(f.path for f in cache.files))
    unreachable = None if offline else hub_unreachable()
    if offline or unreachable:
        why = "we are offline (HF_HUB_OFFLINE)" if offline else f"the hub does not answer ({unreachable})"
        raise ModelNotAvailableError(not_available(name, why, cache.missing))
    found, missing = [], []
    for wanted in cache.files:
        try:
            found.append(wanted.path or download(wanted.source))
        except Exception as err:  # no network, HTTP errors, …: all mean "not available here"
            missing.append(f"{wanted.source} ({type(err).__name__})")
    if missing:
        raise ModelNotAvailableError(not_available(name, "could not be downloaded", missing))
    return ModelFiles(name, *found)


def download(source: str) -> Path:
    """One official file: EnCodec from its URL into the torch hub cache (checked against the hash its name
    promises, written beside and renamed), a hub file through hf_hub_download."""
    if source == ENCODEC_URL:
        codec = torch_hub_dir() / "checkpoints" / ENCODEC_FILE
        codec.parent.mkdir(parents=True, exist_ok=True)
        torch.hub.download_url_to_file(ENCODEC_URL, str(codec), hash_prefix=ENCODEC_HASH_PREFIX, progress=False)
        return codec
    repo, _, filename = source.rpartition("/")
    return Path(hf_hub_download(repo, filename, cache_dir=hf_cache_dir()))


_digests: dict[str, str] = {}


def file_digest(path: Path) -> str:
    """sha256 of a file, memoized per (real path, size, mtime) in memory and in barkbook's cache;
    a Hugging Face cache blob is named by its sha256 already."""
    real = Path(os.path.realpath(path))
    if real.parent.name == "blobs" and re.fullmatch(r"[0-9a-f]{64}", real.name):
        return real.name
    stat = real.stat()
    key = f"{real}:{stat.st_size}:{stat.st_mtime_ns}"
    if key in _digests:
        return _digests[key]
    memo_path = default_cache_dir() / "digests.json"
    try:
        memo = json.loads(memo_path.read_text())
    except (OSError, ValueError):  # no memo yet, or a damaged one: start afresh
        memo = {}
    if key not in memo:
        memo[key] = file_sha256(real)
        with atomic_path(memo_path) as tmp:
            tmp.write_text(json.dumps(memo))
    _digests[key] = memo[key]
    return memo[key]


def safe_load(path: Path) -> object:
    """`torch.load(weights_only=True)` allowing only the numpy globals Suno's pickles name."""
    try:
        with torch.serialization.safe_globals(SAFE_GLOBALS):
            return torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise CheckpointError(f"{path}: file not found") from None
    except Exception as err:  # torch.load fails on damaged input in many ways; all mean "cannot use this file"
        refused = re.search(r"GLOBAL ([\w.]+)", str(err)) if isinstance(err, pickle.UnpicklingError) else None
        if refused:  # weights_only met a global outside the allow-list: not a file of Bark's
            raise CheckpointError(f"{path}: refused by safe loading, it pickles {refused.group(1)}") from None
        raise CheckpointError(f"{path}: unreadable or truncated checkpoint ({first_line(err)})") from None


def first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:200] if text else type(err).__name__


def read_checkpoint(path: Path, arg_names: tuple[str, ...]) -> tuple[dict, dict[str, torch.Tensor]]:
    """An official `.pt` → (model_args, state dict): `_orig_mod.` stripped, `.attn.bias` masks
    dropped, a legacy single `vocab_size` used for both vocabularies."""
    checkpoint = safe_load(path)
    if not isinstance(checkpoint, dict) or not isinstance(checkpoint.get("model"), dict) \
            or not isinstance(checkpoint.get("model_args"), dict):
        raise CheckpointError(f"{path}: not a Bark checkpoint (expected a dict with 'model' and 'model_args')")
    args = dict(checkpoint["model_args"])
    if "input_vocab_size" not in args and "vocab_size" in args:
        args["input_vocab_size"] = args["output_vocab_size"] = args.pop("vocab_size")
    absent = [a for a in arg_names if a not in args]
    if absent:
        raise CheckpointError(f"{path}: model_args lacks {', '.join(absent)}")
    if args["n_embd"] % args["n_head"]:
        raise CheckpointError(f"{path}: model_args n_embd {args['n_embd']} is not a multiple of n_head {args['n_head']}")
    state = {k.removeprefix("_orig_mod."): v for k, v in checkpoint["model"].items() if not k.endswith(".attn.bias")}
    return {a: args[a] for a in arg_names}, state


def fit_weights(model: torch.nn.Module, state: dict[str, torch.Tensor], path: Path) -> None:
    """Strict load, with a person's account of missing/unexpected keys and wrong shapes first."""
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    wrong = [f"{k} {tuple(state[k].shape)} (expected {tuple(v.shape)})"
             for k, v in expected.items() if k in state and state[k].shape != v.shape]
    problems = [f"{label} {len(keys)} keys: {', '.join(keys[:3])}{', …' if len(keys) > 3 else ''}"
                for label, keys in (("missing", missing), ("unexpected", unexpected), ("wrong shapes for", wrong))
                if keys]
    if problems:
        raise CheckpointError(f"{path}: weights do not fit its model_args; " + "; ".join(problems))
    model.load_state_dict(state, strict=True)


def load_stage(path: Path, model_cls, config_cls, arg_names: tuple[str, ...], device: str, dtype: torch.dtype):
    """One GPT stage from its official file, in eval mode on `device` in `dtype`."""
    args, state = read_checkpoint(path, arg_names)
    model = model_cls(config_cls(**args))
    fit_weights(model, state, path)
    return model.to(device=device, dtype=dtype).eval()


def load_codec(path: Path, device: str) -> EncodecDecoder:
    """The EnCodec decoder in float32 (a plain state dict, checked key by key by codec.py)."""
    state = safe_load(path)
    if not isinstance(state, dict):
        raise CheckpointError(f"{path}: not an EnCodec state dict")
    try:
        codec = EncodecDecoder.from_state_dict(state)
    except CheckpointError as err:
        raise CheckpointError(f"{path}: {err}") from None
    return codec.to(device).eval()


def load_tokenizer(path: Path) -> TextTokenizer:
    """The WordPiece tokenizer; its ids must fit the text model's embedding."""
    tokenizer = TextTokenizer.from_vocab(path)
    if tokenizer.vocab_size > MAX_TEXT_VOCAB:
        raise CheckpointError(f"{path}: {tokenizer.vocab_size:,} entries, but the text model embeds at most "
                              f"{MAX_TEXT_VOCAB:,} (bert-base-multilingual-cased's vocab.txt)")
    return tokenizer


def load_bark_models(files: ModelFiles, device: str = "cpu", dtype: torch.dtype = torch.float32) -> BarkModels:
    """The three GPTs in `dtype`, the codec in float32, all eval mode on `device`, and the tokenizer."""
    return BarkModels(
        text=load_stage(files.text, GPT, GPTConfig, GPT_ARGS, device, dtype),
        coarse=load_stage(files.coarse, GPT, GPTConfig, GPT_ARGS, device, dtype),
        fine=load_stage(files.fine, FineGPT, FineGPTConfig, FINE_ARGS, device, dtype),
        codec=load_codec(files.codec, device),
        tokenizer=load_tokenizer(files.vocab),
        files=files,
    )
