"""What the desk plays, as WAV files under `OUT/.review/` (served with range requests, so a player seeks):
a take decoded from its cached tokens with the model's codec and mastered as its chapter is (trimmed,
resampled, brought to the chapter's loudness under the limiter), and a segment in context — the sentence
before, this one and the one after — cut from the chapter's lossless master. Each file is made once."""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import numpy as np
import soundfile
from prefect.results import ResultStore

from bark_model import load_codec, resolve_model
from tasks.core import BarkbookError, atomic_path
from tasks.master import MASTERING
from tasks.master.mastering import master_chapter

from .book import ChapterView, SegmentView, TakeView

REVIEW_FOLDER = ".review"  # OUT/.review/: the desk's decoded takes and context clips, never delivered
PREVIEW = dataclasses.replace(MASTERING, head_s=0.2, tail_s=0.3)  # the chapter's levels; short room tone around


class TakeAudio:
    """Decodes and masters takes, cuts context clips; the codec loads on first use (the model's EnCodec only,
    never its GPTs) and decodes one take at a time."""

    def __init__(self, output_dir: Path, store: ResultStore, model: str, device: str = "cpu"):
        self.folder = Path(output_dir) / REVIEW_FOLDER
        self.store, self.model, self.device = store, model, device
        self._codec = None
        self._lock = threading.Lock()

    def decode(self, fine: np.ndarray) -> np.ndarray:
        with self._lock:
            if self._codec is None:
                self._codec = load_codec(resolve_model(self.model).codec, self.device)
            return self._codec.decode_batch([fine])[0]

    def take_file(self, take: TakeView) -> Path:
        """The take, mastered, as a 16-bit WAV at the delivery rate."""
        path = self.folder / "takes" / f"{take.key}.wav"
        if not path.is_file():
            if not self.store.exists(take.key):
                raise BarkbookError(f"take {take.seed} is no longer in the render's cache")
            tokens = self.store.read(take.key).result.fine
            master = master_chapter([(self.decode(tokens), 0.0)], PREVIEW)
            write_wav(path, master.audio.raw_data, PREVIEW.sample_rate)
        return path

    def context_file(self, segment: SegmentView, chapter: ChapterView) -> Path:
        """The sentence before, this one and the one after, as they sit in the chapter's master."""
        if segment.context is None or chapter.result is None:
            raise BarkbookError(f"segment {segment.id} is not in its chapter's master yet: render the book again")
        start_s, end_s = segment.context
        path = self.folder / "context" / f"{chapter.plan.slug}-{segment.id}-{chapter.result.key[:16]}.wav"
        if not path.is_file():
            with soundfile.SoundFile(chapter.result.master) as master:
                master.seek(int(start_s * master.samplerate))
                frames = master.read(int((end_s - start_s) * master.samplerate), dtype="int16")
                write_wav(path, frames.tobytes(), master.samplerate)
        return path


def write_wav(path: Path, pcm16: bytes, sample_rate: int) -> Path:
    """Mono 16-bit PCM as a WAV file, written atomically (a player never gets half of one)."""
    with atomic_path(path) as tmp:
        soundfile.write(tmp, np.frombuffer(pcm16, "<i2"), sample_rate, format="WAV", subtype="PCM_16")
    return path
