"""Where model files live and what they are called: the official file names, barkbook's cache folder,
and the one global Suno's pickles name (so the loader and the random-file writer agree)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

ENCODEC_FILE = "encodec_24khz-d7cc33bc.th"
VOCAB_FILE = "vocab.txt"
GPT_FILES = {"small": ("text.pt", "coarse.pt", "fine.pt"), "large": ("text_2.pt", "coarse_2.pt", "fine_2.pt")}
FOLDER_LAYOUT = f"text.pt, coarse.pt, fine.pt (or text_2.pt, coarse_2.pt, fine_2.pt), {ENCODEC_FILE} and {VOCAB_FILE}"

NUMPY_SCALAR = (np._core if hasattr(np, "_core") else np.core).multiarray.scalar  # numpy 2 renamed numpy.core
NUMPY_1_SCALAR_NAME = "numpy.core.multiarray.scalar"  # the global Suno's checkpoints name (best_val_loss)


def default_cache_dir() -> Path:
    """barkbook's cache: `$BARKBOOK_CACHE_DIR`, else `~/.cache/barkbook`."""
    return Path(os.environ.get("BARKBOOK_CACHE_DIR") or Path.home() / ".cache" / "barkbook")


RANDOM_TINY_VERSION = "v2"  # bump when the files random_tiny.py writes change (v2: the larger vocab.txt)


def random_tiny_dir() -> Path:
    """Where random_tiny.py writes the `random-tiny` model once: `<barkbook cache>/random-tiny-<version>`."""
    return default_cache_dir() / f"random-tiny-{RANDOM_TINY_VERSION}"
