"""Which model files this machine has, found without the network or torch, and whether the hub answers.

The official files are the hub's GPTs (`suno/bark`; the reference's own cache, `$XDG_CACHE_HOME/suno/bark_v0`,
first), mBERT's `vocab.txt` (`bert-base-multilingual-cased`) in the Hugging Face cache, and EnCodec in the
torch hub cache. `model_cache` says where each one is, or that it is missing, in milliseconds: a command
checks a model before it imports torch. `hub_unreachable` asks the hub once, with a short timeout: a machine
without network learns it at once, where huggingface_hub's downloads retry each file for ~25 s.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from huggingface_hub import constants, try_to_load_from_cache
from huggingface_hub.utils import get_session

from .paths import ENCODEC_FILE, FOLDER_LAYOUT, GPT_FILES, VOCAB_FILE, random_tiny_dir

HUB_REPO = "suno/bark"
VOCAB_REPO = "bert-base-multilingual-cased"
ENCODEC_URL = f"https://dl.fbaipublicfiles.com/encodec/v0/{ENCODEC_FILE}"
MODEL_NAMES = ("small", "large", "random-tiny")  # what a model may be called; else a folder of its files
HUB_TIMEOUT_S = 5.0  # one request to the hub; an unreachable one fails at once (DNS) or after this


@dataclass(frozen=True)
class WantedFile:
    """One file a model needs: where it comes from (`suno/bark/text.pt`, a URL) and where it is here (None: not)."""

    source: str
    path: Path | None


@dataclass(frozen=True)
class ModelCache:
    """What this machine has of a hub model: its five files in ModelFiles' order (text, coarse, fine, codec, vocab)."""

    name: str
    files: tuple[WantedFile, ...]

    @property
    def complete(self) -> bool:
        return all(f.path is not None for f in self.files)

    @property
    def missing(self) -> list[str]:
        return [f.source for f in self.files if f.path is None]

    @property
    def size_bytes(self) -> int:
        """Bytes of the files that are here."""
        return sum(f.path.stat().st_size for f in self.files if f.path is not None)


def model_cache(name: str) -> ModelCache:
    """The cache of `small` or `large`: each file found (or not) without a network request."""
    gpts = [WantedFile(f"{HUB_REPO}/{f}", cached_hub_file(HUB_REPO, f)) for f in GPT_FILES[name]]
    codec = torch_hub_dir() / "checkpoints" / ENCODEC_FILE
    return ModelCache(name, (*gpts, WantedFile(ENCODEC_URL, codec if codec.is_file() else None),
                             WantedFile(f"{VOCAB_REPO}/{VOCAB_FILE}", cached_hub_file(VOCAB_REPO, VOCAB_FILE))))


def folder_cache(folder: Path) -> ModelCache:
    """A model folder's files by their official names (the small or the `_2` large GPT names, whichever it holds
    more of); a file missing is named as it should be called."""
    layouts = [[*gpts, ENCODEC_FILE, VOCAB_FILE] for gpts in GPT_FILES.values()]
    names = max(layouts, key=lambda layout: sum((folder / n).is_file() for n in layout))
    return ModelCache(str(folder), tuple(WantedFile(n, folder / n if (folder / n).is_file() else None) for n in names))


def not_available(name: str, why: str, missing: list[str]) -> str:
    """The one line a person reads when a hub model cannot be had: what is missing and three ways out."""
    return (f"model {name!r} is not cached and {why}; missing: {'; '.join(missing)}. Run once with network "
            f"access (files go to the Hugging Face cache, HF_HOME, and the torch hub cache, TORCH_HOME), "
            f"or pass a folder holding {FOLDER_LAYOUT}, or use random-tiny.")


def random_tiny_cached() -> Path | None:
    """random-tiny's folder if it has been written (it is made on first use, without a download)."""
    folder = random_tiny_dir()
    return folder if folder.is_dir() else None


def cached_hub_file(repo: str, filename: str) -> Path | None:
    """A hub file already here: the reference's own copy (suno/bark only), else the Hugging Face cache's."""
    if repo == HUB_REPO:
        reference_copy = xdg_cache_home() / "suno" / "bark_v0" / filename
        if reference_copy.is_file():
            return reference_copy
    found = try_to_load_from_cache(repo, filename, cache_dir=hf_cache_dir())
    return Path(found) if isinstance(found, str) else None  # else None or "known not to exist"


def hub_unreachable(timeout_s: float = HUB_TIMEOUT_S) -> str | None:
    """Why the Hugging Face hub cannot be used now (`ConnectError: …`), or None when it answers: one request,
    through huggingface_hub's own session (its endpoint, proxies and headers), never retried."""
    try:
        response = get_session().head(f"{constants.ENDPOINT}/api/models/{HUB_REPO}", timeout=timeout_s)
    except Exception as err:  # noqa: BLE001 — DNS, refused, timeout, proxy, TLS: all mean "not reachable now"
        reason = str(err).strip().splitlines()[0][:120] if str(err).strip() else ""
        return f"{type(err).__name__}: {reason}" if reason else type(err).__name__
    return f"HTTP {response.status_code}" if response.status_code >= 500 else None


def env_offline() -> bool:
    """HF_HUB_OFFLINE read now (huggingface_hub reads it once, at import)."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def hf_cache_dir() -> Path | None:
    """HF_HUB_CACHE or HF_HOME/hub read now; None leaves huggingface_hub's default."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    return None


def xdg_cache_home() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def torch_hub_dir() -> Path:
    """torch.hub.get_dir()'s folder, by its documented rule ($TORCH_HOME/hub, else $XDG_CACHE_HOME/torch/hub),
    without importing torch."""
    return Path(os.environ.get("TORCH_HOME") or xdg_cache_home() / "torch").expanduser() / "hub"
