"""Speaker embeddings with Resemblyzer's pretrained encoder (Apache-2.0; a 3-layer LSTM over
40 mel bands trained on ~1 800 speakers, 17 MB, shipped in its wheel).

Only its weights are used: importing the `resemblyzer` package pulls librosa (numba, llvmlite,
scikit-learn) for one mel spectrogram, and `webrtcvad`, which no longer imports. The network
(its `VoiceEncoder`, ten lines) and its input (power mel frames, 25 ms windows every 10 ms,
partial utterances of 1.6 s averaged) are reproduced here; the VAD's speech stretches replace its
silence trimming. The weights load with `torch.load(weights_only=True)`.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import numpy as np
import torch
from torch import nn

from tasks.core.errors import BarkbookError

RATE = 16000
N_FFT, HOP, N_MELS = 400, 160, 40
PARTIAL_FRAMES, PARTIAL_STEP = 160, 80
TARGET_DBFS = -30.0


def weights_path() -> Path:
    """resemblyzer/pretrained.pt, found without importing the package (see the module doc)."""
    spec = importlib.util.find_spec("resemblyzer")
    if spec is None or not spec.submodule_search_locations:
        raise BarkbookError("the voice check needs resemblyzer's encoder: pip install --no-deps resemblyzer==0.1.4")
    return Path(next(iter(spec.submodule_search_locations))) / "pretrained.pt"


def mel_filters(rate: int = RATE, n_fft: int = N_FFT, n_mels: int = N_MELS) -> np.ndarray:
    """Slaney-style mel filter bank (librosa's default), shape (n_mels, n_fft // 2 + 1)."""
    def hz_to_mel(f):
        f = np.asarray(f, dtype=np.float64)
        return np.where(f < 1000, f * 3 / 200, 15 + np.log(np.maximum(f, 1e-9) / 1000) / (np.log(6.4) / 27))

    def mel_to_hz(m):
        return np.where(m < 15, m * 200 / 3, 1000 * np.exp((m - 15) * np.log(6.4) / 27))

    edges = mel_to_hz(np.linspace(hz_to_mel(0), hz_to_mel(rate / 2), n_mels + 2))
    freqs = np.linspace(0, rate / 2, n_fft // 2 + 1)
    lower = (freqs[None, :] - edges[:-2, None]) / (edges[1:-1, None] - edges[:-2, None])
    upper = (edges[2:, None] - freqs[None, :]) / (edges[2:, None] - edges[1:-1, None])
    weights = np.maximum(0, np.minimum(lower, upper))
    return (weights * (2.0 / (edges[2:] - edges[:-2]))[:, None]).astype(np.float32)


class SpeakerEncoder:
    """Loads the encoder once, lazily; `embed` is thread-safe (the module is read-only)."""

    def __init__(self):
        self._model = None
        self._lock = threading.Lock()
        self._mel = mel_filters()

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                self._model = build_encoder(weights_path())
        return self._model

    def embed(self, audio: np.ndarray) -> np.ndarray:
        """16 kHz mono speech (silences already cut) → unit-norm 256-d embedding."""
        level = 10 * np.log10(np.mean(audio.astype(np.float64) ** 2) + 1e-12)
        audio = audio * 10 ** (max(TARGET_DBFS - level, 0.0) / 20)  # louder only, as Resemblyzer does
        wav = torch.from_numpy(np.ascontiguousarray(audio, dtype=np.float32))
        power = torch.stft(wav, N_FFT, HOP, window=torch.hann_window(N_FFT), center=True,
                           pad_mode="constant", return_complex=True).abs() ** 2
        mels = (torch.from_numpy(self._mel) @ power).T  # (frames, 40)
        if len(mels) < PARTIAL_FRAMES:
            mels = torch.nn.functional.pad(mels, (0, 0, 0, PARTIAL_FRAMES - len(mels)))
        starts = range(0, len(mels) - PARTIAL_FRAMES + 1, PARTIAL_STEP)
        with torch.inference_mode():
            partials = self.model(torch.stack([mels[s:s + PARTIAL_FRAMES] for s in starts]))
        mean = partials.mean(0).numpy()
        return (mean / np.linalg.norm(mean)).astype(np.float32)


def build_encoder(path: Path):
    """Resemblyzer's VoiceEncoder network with its weights."""
    class VoiceEncoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(N_MELS, 256, 3, batch_first=True)
            self.linear = nn.Linear(256, 256)

        def forward(self, mels):  # (partials, frames, 40) → (partials, 256), unit norm
            _, (hidden, _) = self.lstm(mels)
            embeds = torch.relu(self.linear(hidden[-1]))
            return embeds / torch.norm(embeds, dim=1, keepdim=True)

    encoder = VoiceEncoder()
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    state = {k: v for k, v in checkpoint["model_state"].items() if not k.startswith("similarity_")}  # training-only
    encoder.load_state_dict(state)
    return encoder.eval()
