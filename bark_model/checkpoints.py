"""Model files: where they come from (hub, torch hub, a folder, random-tiny) and how they load, safely."""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .codec import EncodecDecoder
from .errors import CheckpointError, ModelNotAvailableError
from .fine_gpt import FineGPT, FineGPTConfig
from .gpt import GPT, GPTConfig
from .random_tiny import default_cache_dir, random_tiny_folder
from .tokenizer import TextTokenizer

HUB_REPO = "suno/bark"
VOCAB_REPO = "bert-base-multilingual-cased"
ENCODEC_FILE = "encodec_24khz-d7cc33bc.th"
ENCODEC_URL = f"https://dl.fbaipublicfiles.com/encodec/v0/{ENCODEC_FILE}"
GPT_FILES = {"small": ("text.pt", "coarse.pt", "fine.pt"), "large": ("text_2.pt", "coarse_2.pt", "fine_2.pt")}
MODEL_CHOICES = ("small", "large", "random-tiny", "a folder of checkpoints")


@dataclass(frozen=True)
class ModelFiles:
    """The five files of one Bark model."""

    name: str
    text: Path
    coarse: Path
    fine: Path
    codec: Path
    vocab: Path

    def paths(self) -> list[Path]:
        return [self.text, self.coarse, self.fine, self.codec, self.vocab]

    @property
    def fingerprint(self) -> str:
        """sha256 over the files' contents: names the exact weights behind a model name."""
        digests = [file_digest(p) for p in self.paths()]
        return hashlib.sha256(json.dumps([self.name, digests]).encode()).hexdigest()


@dataclass
class BarkModels:
    text: GPT
    coarse: GPT
    fine: FineGPT
    codec: EncodecDecoder
    tokenizer: TextTokenizer
    files: ModelFiles


def resolve_model(name_or_path: str | Path) -> ModelFiles:
    """`small`, `large` (hub `suno/bark`), `random-tiny`, or a folder holding the official file names."""
    name = str(name_or_path)
    if name == "random-tiny":
        return folder_files(random_tiny_folder(), name)
    if name in GPT_FILES:
        return hub_files(name)
    if Path(name).is_dir():
        return folder_files(Path(name), name)
    raise ModelNotAvailableError(f"unknown model {name!r}: choose {', '.join(MODEL_CHOICES)}")


def folder_files(folder: Path, name: str) -> ModelFiles:
    """A local folder with text/coarse/fine (small or `_2` large names), EnCodec and vocab.txt."""
    for gpt_names in GPT_FILES.values():
        paths = [folder / f for f in gpt_names]
        if all(p.is_file() for p in paths):
            codec, vocab = folder / ENCODEC_FILE, folder / "vocab.txt"
            missing = [p.name for p in (codec, vocab) if not p.is_file()]
            if missing:
                raise CheckpointError(f"{folder}: missing {', '.join(missing)}")
            return ModelFiles(name, *paths, codec, vocab)
    raise CheckpointError(
        f"{folder}: no Bark checkpoints here; expected text.pt, coarse.pt, fine.pt "
        f"(or text_2.pt, coarse_2.pt, fine_2.pt), {ENCODEC_FILE} and vocab.txt"
    )


def hub_files(name: str) -> ModelFiles:
    """Download (or find in the caches) the official files; offline → one error listing what is missing."""
    from huggingface_hub import hf_hub_download

    wanted = [(HUB_REPO, f) for f in GPT_FILES[name]] + [(VOCAB_REPO, "vocab.txt")]
    paths, missing = [], []
    for repo, filename in wanted:
        try:
            paths.append(Path(hf_hub_download(repo, filename)))
        except Exception as err:  # offline, no network, gated, …: all mean "not available here"
            missing.append(f"{repo}/{filename} ({type(err).__name__})")
    codec = Path(torch.hub.get_dir()) / "checkpoints" / ENCODEC_FILE
    if not codec.is_file():
        try:
            codec.parent.mkdir(parents=True, exist_ok=True)
            torch.hub.download_url_to_file(ENCODEC_URL, str(codec), progress=False)
        except Exception as err:
            missing.append(f"{ENCODEC_URL} ({type(err).__name__})")
    if missing:
        raise ModelNotAvailableError(
            f"model {name!r} is not cached and cannot be downloaded: {'; '.join(missing)}. "
            "Run once with network access (files go to the Hugging Face cache, HF_HOME, and the torch "
            "hub cache), or pass --model with a folder holding those files, or use --model random-tiny."
        )
    return ModelFiles(name, *paths[:3], codec, paths[3])


def file_digest(path: Path) -> str:
    """sha256 of a file; a Hugging Face cache blob is named by it already, others are memoized on disk."""
    real = Path(os.path.realpath(path))
    if real.parent.name == "blobs" and re.fullmatch(r"[0-9a-f]{64}", real.name):
        return real.name
    stat = real.stat()
    memo_path = default_cache_dir() / "digests.json"
    key = f"{real}:{stat.st_size}:{stat.st_mtime_ns}"
    memo = json.loads(memo_path.read_text()) if memo_path.is_file() else {}
    if key not in memo:
        h = hashlib.sha256()
        with open(real, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        memo[key] = h.hexdigest()
        memo_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo_path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(memo))
        os.replace(tmp, memo_path)
    return memo[key]


def safe_load(path: Path) -> dict:
    """`torch.load(weights_only=True)` with only the numpy globals Suno's pickles name allowed."""
    allowed = [
        (np._core.multiarray.scalar, "numpy.core.multiarray.scalar"),  # as numpy 1.x wrote it
        np._core.multiarray.scalar,  # as numpy 2 writes it (a checkpoint re-saved here)
        np.dtype,
        type(np.dtype(np.float64)),
    ]
    try:
        with torch.serialization.safe_globals(allowed):
            return torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise CheckpointError(f"{path}: file not found") from None
    except (RuntimeError, EOFError, zipfile.BadZipFile, ValueError, OSError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise CheckpointError(f"{path}: unreadable or truncated checkpoint ({first[:200]})") from None
    except Exception as err:  # weights_only refusals name a global: a file that is not Bark's
        found = re.search(r"Unsupported global: GLOBAL (\S+)", str(err))
        what = f"it pickles {found.group(1)}" if found else str(err).splitlines()[0][:200]
        raise CheckpointError(f"{path}: refused by safe loading, {what}") from None


def load_gpt(path: Path, model_cls, config_cls, device, dtype):
    """An official `.pt` dict → model: `_orig_mod.` stripped, legacy `vocab_size`, strict keys."""
    checkpoint = safe_load(path)
    if not isinstance(checkpoint, dict) or "model" not in checkpoint or "model_args" not in checkpoint:
        raise CheckpointError(f"{path}: not a Bark checkpoint (expected a dict with 'model' and 'model_args')")
    args = dict(checkpoint["model_args"])
    if "input_vocab_size" not in args and "vocab_size" in args:
        args["input_vocab_size"] = args["output_vocab_size"] = args["vocab_size"]
    fields = config_cls.__dataclass_fields__
    model = model_cls(config_cls(**{k: v for k, v in args.items() if k in fields}))
    state = {
        k.removeprefix("_orig_mod."): v for k, v in checkpoint["model"].items() if not k.endswith(".attn.bias")
    }
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as err:
        detail = " ".join(str(err).split())[:400]
        raise CheckpointError(f"{path}: weights do not fit the model_args ({detail})") from None
    return model.to(device=device, dtype=dtype).eval()


def load_bark_models(files: ModelFiles, device: str = "cpu", dtype: torch.dtype = torch.float32) -> BarkModels:
    """The four models and the tokenizer, on `device`; GPTs in `dtype`, the codec in float32."""
    codec_state = safe_load(files.codec)
    if not isinstance(codec_state, dict):
        raise CheckpointError(f"{files.codec}: not an EnCodec state dict")
    return BarkModels(
        text=load_gpt(files.text, GPT, GPTConfig, device, dtype),
        coarse=load_gpt(files.coarse, GPT, GPTConfig, device, dtype),
        fine=load_gpt(files.fine, FineGPT, FineGPTConfig, device, dtype),
        codec=EncodecDecoder.from_state_dict(codec_state, source=str(files.codec)).to(device),
        tokenizer=TextTokenizer.from_vocab(files.vocab),
        files=files,
    )
