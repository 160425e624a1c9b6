"""The stronger content engine, one option away: Whisper through faster-whisper (an optional
extra, `pip install 'barkbook[whisper]'`), its CTranslate2 model downloaded once from the Hugging
Face hub (`Systran/faster-whisper-<size>`) like the Bark weights; `HF_HUB_OFFLINE=1` uses only
the local copy and says so in one line when there is none."""

from __future__ import annotations

import threading

import numpy as np

from huggingface_hub import snapshot_download

from bark_model.checkpoints import env_offline, hf_cache_dir
from tasks.core.errors import BarkbookError
from tasks.qc.speech.words import Heard, normalize_words


def whisper_model_path(size: str) -> str:
    """The local folder of Systran/faster-whisper-SIZE, downloading it once when allowed."""
    repo, offline = f"Systran/faster-whisper-{size}", env_offline()
    try:
        return snapshot_download(repo, cache_dir=hf_cache_dir(), local_files_only=offline)
    except Exception as err:  # not cached offline, no network, unknown size: all one line for a person
        why = "HF_HUB_OFFLINE is set" if offline else f"it could not be downloaded ({type(err).__name__})"
        raise BarkbookError(f"the whisper engine needs {repo}: it is not in the Hugging Face cache and {why}; "
                            "run once with network access, or use engine 'sphinx'") from err


class WhisperRecognizer:
    """Transcribes a take with word timestamps; the model loads once, lazily."""

    def __init__(self, size: str):
        self.size = size
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                try:
                    from faster_whisper import WhisperModel
                except ImportError as err:
                    raise BarkbookError(
                        "engine 'whisper' needs faster-whisper: pip install 'barkbook[whisper]'") from err
                self._model = WhisperModel(whisper_model_path(self.size), device="auto", compute_type="default")
        return self._model

    def hear(self, audio: np.ndarray, text: str) -> Heard:
        """16 kHz mono float audio → the expected words, heard (word, start_s, end_s), no unscored words
        (Whisper gives no phones: the end check goes by the sound alone)."""
        segments, _ = self.model.transcribe(audio.astype(np.float32), language="en", word_timestamps=True,
                                            condition_on_previous_text=False, vad_filter=False)
        heard = [(word, w.start, w.end) for seg in segments for w in (seg.words or [])
                 for word in normalize_words(w.word)]
        return Heard(normalize_words(text), heard, set())
