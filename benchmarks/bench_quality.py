"""Quality of one run against another: share of identical tokens per stage, log-mel L1 of the audio."""

from __future__ import annotations

import numpy as np
import torch

from bark_model.constants import SAMPLE_RATE


def log_mel(audio: np.ndarray, n_fft: int = 1024, hop: int = 256, n_mels: int = 80) -> torch.Tensor:
    """(frames, n_mels) natural-log mel spectrogram of 24 kHz audio."""
    x = torch.from_numpy(np.asarray(audio, dtype=np.float32))
    spec = torch.stft(x, n_fft, hop, window=torch.hann_window(n_fft), return_complex=True).abs() ** 2
    hz = np.linspace(0, SAMPLE_RATE / 2, n_fft // 2 + 1)
    mel = lambda f: 2595 * np.log10(1 + f / 700)  # noqa: E731
    edges = 700 * (10 ** (np.linspace(mel(0), mel(SAMPLE_RATE / 2), n_mels + 2) / 2595) - 1)
    bank = np.maximum(0, np.minimum((hz - edges[:-2, None]) / np.diff(edges)[:-1, None],
                                    (edges[2:, None] - hz) / np.diff(edges)[1:, None]))
    return torch.log(torch.from_numpy(bank).float() @ spec + 1e-5).T


def mel_l1(a: np.ndarray, b: np.ndarray) -> float:
    ma, mb = log_mel(a), log_mel(b)
    n = min(len(ma), len(mb))
    return float((ma[:n] - mb[:n]).abs().mean())


def token_agreement(a: np.ndarray, b: np.ndarray) -> float:
    """Share of positions holding the same token; extra length on either side counts as different."""
    n = min(a.shape[-1], b.shape[-1])
    same = (a[..., :n] == b[..., :n]).sum()
    return float(same / max(a.size, b.size)) if max(a.size, b.size) else 1.0


def compare(path_a: str, path_b: str, n: int) -> dict:
    """Token agreement per stage and mean log-mel L1 of run b against run a."""
    with np.load(path_a) as a, np.load(path_b) as b:
        out = {f"{k}_tokens_identical": round(float(np.mean([token_agreement(a[f"{k}_{i}"], b[f"{k}_{i}"])
                                                               for i in range(n)])), 4)
               for k in ("semantic", "coarse", "fine")}
        out["log_mel_l1"] = round(float(np.mean([mel_l1(a[f"audio_{i}"], b[f"audio_{i}"]) for i in range(n)])), 4)
    return out


def unrelated_baseline(path: str, n: int) -> float:
    """log-mel L1 between neighbouring sentences of one run: the distance of unrelated audio."""
    if n < 2:
        return None
    with np.load(path) as a:
        return round(float(np.mean([mel_l1(a[f"audio_{i}"], a[f"audio_{i + 1}"]) for i in range(n - 1)])), 4)
