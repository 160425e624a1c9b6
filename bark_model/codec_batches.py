"""Which codec rows decode together: equal-enough rows batched, big batches split to bound memory."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from .constants import HOP_LENGTH

MAX_DECODE_FRAMES = 3000  # rows × padded frames per decode call: bounds peak memory near 1 GB


def frame_budget_chunks(members: list[int], rows: list[torch.Tensor], max_frames: int) -> list[list[int]]:
    """Split length-sorted row indices into calls of at most `max_frames` padded frames."""
    chunks: list[list[int]] = [[]]
    for i in members:
        if chunks[-1] and (len(chunks[-1]) + 1) * rows[i].shape[-1] > max_frames:
            chunks.append([])
        chunks[-1].append(i)
    return chunks


def decode_rows(codec, rows: list, max_frames: int = MAX_DECODE_FRAMES) -> list[np.ndarray]:
    """Decode several (8, T_i) code arrays with `codec` (an EncodecDecoder); returns 1-D float32
    arrays of 320 * T_i samples.

    Rows are right-padded and decoded together, at most `max_frames` padded frames a call (the
    decoder is causal, so a row's samples do not depend on what follows it); rows shorter than
    `min_batchable_frames` are decoded per length, as their result depends on their exact length.
    """
    rows = [torch.as_tensor(row).long().cpu() for row in rows]
    groups: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        length = row.shape[-1]
        groups.setdefault(length if length < codec.min_batchable_frames else -1, []).append(i)
    out: list[np.ndarray] = [np.zeros(0, np.float32)] * len(rows)
    for members in groups.values():
        for chunk in frame_budget_chunks(sorted(members, key=lambda i: rows[i].shape[-1]), rows, max_frames):
            longest = max(rows[i].shape[-1] for i in chunk)
            batch = torch.stack([F.pad(rows[i], (0, longest - rows[i].shape[-1])) for i in chunk])
            audio = codec.decode(batch, [rows[i].shape[-1] for i in chunk])[:, 0].cpu().numpy()
            for j, i in enumerate(chunk):
                out[i] = audio[j, : HOP_LENGTH * rows[i].shape[-1]].copy()
    return out
