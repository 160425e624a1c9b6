"""Intra-op threads sized to the work: models narrower than 256 run their stages on one thread.

An op on a (B, 32) tensor takes microseconds; spreading it over cores costs a thread wake-up and a
barrier that take longer (measured on a shared 2-core machine: a 32-wide linear 4.5 µs on one
thread, 23–500 µs on two, depending on the other load). Wide models' matmuls keep all threads.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

import torch

NARROW_WIDTH = 256  # models narrower than this run single-threaded: their ops are too small to split


@contextlib.contextmanager
def single_thread(enabled: bool = True) -> Iterator[None]:
    """torch's intra-op threads set to 1 inside the block (restored after); a no-op if not `enabled`."""
    before = torch.get_num_threads()
    if not enabled or before == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def sized_to_model(stage):
    """Decorate a stage `stage(model, ...)`: run it single-threaded when `model` is narrow."""

    @functools.wraps(stage)
    def run(model, *args, **kwargs):
        with single_thread(model.config.n_embd < NARROW_WIDTH):
            return stage(model, *args, **kwargs)

    return run
