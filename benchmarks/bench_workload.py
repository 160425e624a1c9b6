"""The engine benchmark's workload: sentences of a manuscript, each with its own speech length and seed,
and the random-weight checkpoints (official formats, real shapes) both implementations read."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from bark_model.random_tiny import write_random_checkpoints

VOICE = "v2/en_speaker_6"
MODES = {  # name -> (autocast dtype, coarse history, torch.compile); exact is the reference computation
    "exact": (None, 630, False),
    "bf16": ("bfloat16", 630, False),
    "fp16": ("float16", 630, False),
    "short-history": (None, None, False),  # history from --short-history
    "bf16+short-history": ("bfloat16", None, False),
    "bf16+compile": ("bfloat16", 630, True),
}


def chapter_sentences(path: Path, n: int) -> list[str]:
    """The first `n` sentences of a manuscript's body (front matter and headings skipped), cycled."""
    body = re.sub(r"\A---.*?---", "", path.read_text(encoding="utf-8"), flags=re.S)
    prose = " ".join(line for line in body.splitlines() if line.strip() and not line.startswith("#"))
    sentences = [s for s in re.split(r"(?<=[.!?\"])\s+", prose) if len(s.split()) >= 4]
    return [sentences[i % len(sentences)] for i in range(n)]


def workload(text: Path, sentences: int, min_seconds: float, max_seconds: float) -> list[dict]:
    """One row per sentence: its text, its speech length in seconds and its seed. Random weights rarely
    emit end-of-speech, so each row's length is fixed by its own cap: both implementations do the same work."""
    rng = np.random.default_rng(0)
    texts = chapter_sentences(text, sentences)
    seconds = rng.uniform(min_seconds, max_seconds, len(texts)).round(1)
    return [dict(text=t, seconds=float(s), seed=1000 + i) for i, (t, s) in enumerate(zip(texts, seconds))]


def model_folder(cache: Path, shape: str) -> Path:
    """Seeded random-weight checkpoints of `shape` in the official formats, written once."""
    folder = cache / f"bench-{shape}"
    suffix = "_2" if shape == "large" else ""  # the published large file names
    if not (folder / f"fine{suffix}.pt").exists():
        write_random_checkpoints(folder, shape=shape, seed=3, suffix=suffix)
    return folder
