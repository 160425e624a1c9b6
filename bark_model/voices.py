"""Voices: history prompts that fix a speaker — the official presets, or any validated .npz."""

from __future__ import annotations

import difflib
import hashlib
import importlib.resources
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .atomic import atomic_path
from .constants import CODEBOOK_SIZE, N_COARSE_CODEBOOKS, N_FINE_CODEBOOKS, SEMANTIC_VOCAB_SIZE
from .errors import VoiceError

PRESETS = importlib.resources.files("bark_model") / "presets"
KEYS = ("semantic_prompt", "coarse_prompt", "fine_prompt")


@dataclass(frozen=True, eq=False)
class VoicePrompt:
    """The three token streams of an earlier generation; Bark continues in its voice."""

    semantic: np.ndarray  # (S,) int64, < 10,000
    coarse: np.ndarray  # (2, T) int64, < 1024
    fine: np.ndarray  # (8, T) int64, < 1024

    def __post_init__(self):
        for name, array in zip(("semantic", "coarse", "fine"), self.arrays(), strict=True):
            object.__setattr__(self, name, np.ascontiguousarray(array, dtype=np.int64))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.semantic, self.coarse, self.fine

    def save(self, path: Path | str) -> Path:
        """Write as .npz with the official keys (atomically)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp, open(tmp, "wb") as f:
            np.savez(f, **dict(zip(KEYS, self.arrays())))
        return path

    def digest(self) -> str:
        """sha256 over dtype, shape and bytes of the three arrays: what a cache key needs."""
        h = hashlib.sha256()
        for a in self.arrays():
            h.update(f"{a.dtype.str}{a.shape}".encode())
            h.update(a.tobytes())
        return h.hexdigest()


def list_presets() -> list[str]:
    """Names of the shipped presets: `announcer`, `en_speaker_0`, …, `v2/en_speaker_0`, …"""
    names = [p.name[:-4] for p in PRESETS.iterdir() if p.name.endswith(".npz")]
    names += [f"v2/{p.name[:-4]}" for p in (PRESETS / "v2").iterdir() if p.name.endswith(".npz")]
    return sorted(names)


def load_voice(name_or_path: str | Path) -> VoicePrompt:
    """A preset by name (`v2/en_speaker_6`, `en_speaker_6`) or any .npz file with the three prompts."""
    text = str(name_or_path)
    if text.endswith(".npz") or Path(text).exists():
        return read_voice(Path(text))
    presets = list_presets()
    if text not in presets:
        close = difflib.get_close_matches(text, presets, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see list_presets()"
        raise VoiceError(f"unknown voice {text!r}: not a preset nor an .npz file{hint}")
    return read_voice(Path(str(PRESETS.joinpath(*f"{text}.npz".split("/")))))


def read_voice(path: Path) -> VoicePrompt:
    """Load and validate an .npz voice (never unpickles)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = [k for k in KEYS if k not in data.files]
            if missing:
                raise VoiceError(f"{path}: not a voice, it lacks {', '.join(missing)}")
            arrays = [data[k] for k in KEYS]
    except VoiceError:
        raise
    except FileNotFoundError:
        raise VoiceError(f"{path}: no such voice file") from None
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as err:
        raise VoiceError(f"{path}: unreadable voice file ({err})") from None
    validate(path, *arrays)
    return VoicePrompt(*arrays)


def validate(path: Path, semantic: np.ndarray, coarse: np.ndarray, fine: np.ndarray) -> None:
    """Shapes, integer dtypes and value ranges the three stages rely on."""
    checks = [
        (semantic.ndim == 1 and len(semantic) > 0, "semantic_prompt must be a non-empty 1-D array"),
        (coarse.ndim == 2 and coarse.shape[0] == N_COARSE_CODEBOOKS, "coarse_prompt must be 2×T"),
        (fine.ndim == 2 and fine.shape[0] == N_FINE_CODEBOOKS, "fine_prompt must be 8×T"),
        (all(np.issubdtype(a.dtype, np.integer) for a in (semantic, coarse, fine)), "prompts must be integers"),
    ]
    for ok, problem in checks:
        if not ok:
            raise VoiceError(f"{path}: {problem}")
    ranges = [(semantic, SEMANTIC_VOCAB_SIZE, "semantic_prompt"), (coarse, CODEBOOK_SIZE, "coarse_prompt"),
              (fine, CODEBOOK_SIZE, "fine_prompt")]
    for array, limit, name in ranges:
        if array.size and (array.min() < 0 or array.max() >= limit):
            raise VoiceError(f"{path}: {name} values must lie in 0..{limit - 1}")
    if coarse.shape[1] > 0 and round(coarse.shape[1] / len(semantic), 1) != 1.5:
        raise VoiceError(f"{path}: coarse_prompt ({coarse.shape[1]} frames) does not match semantic_prompt "
                         f"({len(semantic)} tokens); expected about 1.5 frames per token")
