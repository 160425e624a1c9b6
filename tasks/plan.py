"""Plan: everything a render needs decided up front — voices, model fingerprint, params — and checked.

The plan is plain, validated data (pydantic), so chapter flows and segment tasks receive only
texts, names and hashes; a bad voice or model fails here, before any audio is generated.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd
from prefect import task
from pydantic import BaseModel

from bark_model import GenerationParams, load_voice, resolve_model
from bark_model.engine import engine_fingerprint

from .book import Book
from .qc import QCSettings
from .take_qc import QCMode, default_speech_settings
from .voice import GENERATE, lock_generated_voices

DEFAULT_VOICE = "v2/en_speaker_6"
NARRATOR = "narrator"


class SegmentPlan(BaseModel):
    id: str
    text: str  # as the book has it: subtitles and read-along show this
    spoken: str  # as it is read (normalized): what Bark is given
    seconds: float
    pause_after: float
    voice: str
    voice_digest: str
    seed_offset: int = 0  # added to the render's seed: where its takes' seeds start (a retake moves it)


class RenderSettings(BaseModel):
    """What determines a segment's audio besides its text and voice (plus batch size, which does not)."""

    model: str
    model_fingerprint: str
    device: str
    dtype: str
    seed: int
    params: dict
    qc: dict  # QCSettings.as_dict(): the signal checks
    qc_mode: QCMode = "signal"
    speech_qc: dict = {}  # SpeechQCSettings.as_dict() when qc_mode is speech
    max_attempts: int = 3  # rounds of takes at most
    takes: int = 1  # takes per round, generated together
    batch_size: int | None = None  # None: as many as fit in free memory (bark_model.memory)
    compile: bool = False  # torch.compile the decode steps; named by model_fingerprint


class ChapterPlan(BaseModel):
    index: int
    title: str
    slug: str
    segments: list[SegmentPlan]
    settings: RenderSettings
    formats: list[str]
    tags: dict[str, str]

    @property
    def pauses_after(self) -> list[float]:
        return [s.pause_after for s in self.segments]

    @property
    def seconds(self) -> float:
        return sum(s.seconds + s.pause_after for s in self.segments)

    def content_key(self, *extra) -> str:
        """Hash of everything that shapes this chapter's files (batch size excluded: it changes nothing;
        compile too, as model_fingerprint names it: keys of uncompiled renders stay as they were)."""
        data = self.model_dump(mode="json", exclude={"settings": {"batch_size", "compile"}})
        return hashlib.sha256(json.dumps([data, *extra], sort_keys=True, default=str).encode()).hexdigest()


class BookPlan(BaseModel):
    title: str
    author: str
    narrator: str | None
    cover: Path | None
    chapters: list[ChapterPlan]
    formats: list[str]

    def content_key(self, chapter_keys: list[str]) -> str:
        """Hash of the chapters' keys and the book-level choices: unchanged → nothing to rebuild."""
        data = self.model_dump(mode="json", exclude={"chapters"})
        return hashlib.sha256(json.dumps([data, chapter_keys], sort_keys=True, default=str).encode()).hexdigest()

    @property
    def segment_count(self) -> int:
        return sum(len(c.segments) for c in self.chapters)

    @property
    def seconds(self) -> float:
        return sum(c.seconds for c in self.chapters)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "untitled"


def voice_map(book: Book, voice: str | None, voices: dict[str, str] | None) -> dict[str, str]:
    """Speaker → voice name or .npz path; the narrator's comes from the call, the book, or the default."""
    mapping = {NARRATOR: voice or book.voice or DEFAULT_VOICE}
    mapping.update(voices or {})
    return mapping


def voice_digests(names: set[str]) -> dict[str, str]:
    """Each voice's content digest; an unknown name fails here with a VoiceError."""
    return {name: load_voice(name).digest() for name in names}


def plan_chapters(
    book: Book, manifest: pd.DataFrame, voices: dict[str, str], digests: dict[str, str], settings: RenderSettings,
    formats: list[str], seed_offsets: dict[str, int] | None = None,
) -> list[ChapterPlan]:
    tags = {"album": book.title, "artist": book.author}
    chapters = []
    for index, rows in manifest.groupby("chapter_index", sort=True):
        segments = [
            SegmentPlan(
                id=row.id,
                text=row.text,
                spoken=row.spoken,
                seconds=row.seconds,
                pause_after=row.pause_after,
                voice=voices.get(row.speaker, voices[NARRATOR]),
                voice_digest=digests[voices.get(row.speaker, voices[NARRATOR])],
                seed_offset=(seed_offsets or {}).get(row.id, 0),
            )
            for row in rows.sort_values("segment_index").itertuples()
        ]
        title = rows.iloc[0].chapter_title
        chapters.append(
            ChapterPlan(
                index=int(index) + 1,
                title=title,
                slug=f"{int(index) + 1:02d}-{slugify(title)}",
                segments=segments,
                settings=settings,
                formats=formats,
                tags=tags | {"title": title, "track": str(int(index) + 1)},
            )
        )
    return chapters


@task(name="plan")
def plan_book(
    book: Book,
    manifest: pd.DataFrame,
    voice: str | None,
    voices: dict[str, str] | None,
    model: str,
    device: str,
    dtype: str,
    seed: int,
    batch_size: int | None,
    formats: list[str],
    output_dir: Path,
    params: GenerationParams = GenerationParams(),
    qc: QCSettings = QCSettings(),
    compile: bool = False,
    qc_mode: QCMode = "signal",
    takes: int = 1,
    max_attempts: int = 3,
    seed_offsets: dict[str, int] | None = None,
) -> BookPlan:
    """Resolve voices and model files (failing fast on unknown ones, and on a speech checker that cannot
    load) and lay out every chapter; a speaker whose voice is `generate` gets a voice generated once and
    locked in `output_dir`. `seed_offsets`: segment id → where its seeds start (retakes)."""
    settings = RenderSettings(
        model=model,
        model_fingerprint=engine_fingerprint(resolve_model(model), device, dtype, compile),
        device=device,
        dtype=dtype,
        seed=seed,
        params=params.as_dict(),
        qc=qc.as_dict(),
        qc_mode=qc_mode,
        speech_qc=default_speech_settings() if qc_mode == "speech" else {},
        max_attempts=max_attempts,
        takes=takes,
        batch_size=batch_size,
        compile=compile,
    )
    mapping = voice_map(book, voice, voices)
    digests = voice_digests(set(mapping.values()) - {GENERATE})  # before a generated voice costs anything
    if GENERATE in mapping.values():  # its own task, with the engine of the book run's pool
        mapping = lock_generated_voices(mapping, output_dir, settings)
    digests |= voice_digests(set(mapping.values()) - set(digests))
    chapters = plan_chapters(book, manifest, mapping, digests, settings, formats, seed_offsets)
    return BookPlan(
        title=book.title,
        author=book.author,
        narrator=book.narrator,
        cover=book.cover,
        chapters=chapters,
        formats=formats,
    )


# Seconds of compute per second of audio at the default batch size, by (model, device, autocast), and the
# machine it was measured on: README's benchmark tables (benchmarks/bench_engine.py). For --dry-run only.
MEASURED_RTF = {
    ("random-tiny", "cpu", None): (0.5, "the sample book on a 2-core Xeon"),
    ("small", "cpu", None): (5.6, "a 2-core Xeon with AMX, batch 8, 2026-12-01"),
    ("small", "cpu", "bfloat16"): (2.0, "a 2-core Xeon with AMX, batch 8, 2026-12-01; ~6x slower without bf16 units"),
    ("large", "cpu", None): (50.0, "a 2-core AMD EPYC, batch 2, 2026-11-25"),
    ("large", "cuda", "bfloat16"): (0.95, "an H200, batch 8, 2026-11-30"),
}


def estimated_render_seconds(
    audio_seconds: float, model: str, device: str, autocast: str | None = None
) -> tuple[float, str] | None:
    """Rough wall time to render `audio_seconds` of speech and where the rate was measured, or None
    where nothing was measured for this model, device and mode."""
    measured = MEASURED_RTF.get((model, device, autocast))
    return None if measured is None else (audio_seconds * measured[0], measured[1])
