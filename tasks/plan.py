"""Plan: everything a render needs decided up front — voices, model fingerprint, params — and checked.

The plan is plain, validated data (pydantic), so chapter flows and segment tasks receive only
texts, names and hashes; a bad voice or model fails here, before any audio is generated.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Literal

import pandas as pd
from prefect import task
from pydantic import BaseModel, ConfigDict, field_serializer, field_validator, model_validator

from bark_model import GenerationParams, load_voice, resolve_model
from bark_model.engine import engine_fingerprint

from .book import Book, given_isbn
from .credits import CLOSING, OPENING, CreditWording, credit_texts, credits_book
from .defaults import (DEFAULT_DEVICE, DEFAULT_DTYPE, DEFAULT_MAX_ATTEMPTS, DEFAULT_SAMPLE_MINUTES, DEFAULT_SEED,
                       DEFAULT_TAKES, DEFAULT_TARGET, DEFAULT_VOICE)
from .lexicon import load_lexicon
from .qc import QCSettings
from .segment import segment_book
from .speakers import NARRATOR
from .speech_qc_settings import SpeechQCSettings
from .take_qc import QCMode, speech_qc_library
from .voice import GENERATE, lock_generated_voices


class SegmentPlan(BaseModel):
    id: str
    text: str  # as the book has it: subtitles and read-along show this
    spoken: str  # as it is read (normalized): what Bark is given
    paragraph: int = 0  # the chapter's paragraph it starts in: the read-along lays its text out by them
    seconds: float
    pause_after: float
    voice: str
    voice_digest: str
    seed_offset: int = 0  # added to the render's seed: where its takes' seeds start (a retake moves it)


class RenderSettings(BaseModel):
    """What determines a segment's audio besides its text and voice (plus batch size, which does not): what
    the render was asked for, and the model files it was planned with (`model_fingerprint`, pinned by the
    plan). The cache keys hash its `model_dump`: the settings objects in it are validated again when it is
    built (an int threshold becomes the float a JSON round trip makes of it, so both key alike)."""

    model_config = ConfigDict(revalidate_instances="always")

    model: str
    model_fingerprint: str = ""  # set by plan_book: render refuses a model that is not these files
    device: str = DEFAULT_DEVICE
    dtype: str = DEFAULT_DTYPE
    seed: int = DEFAULT_SEED
    params: GenerationParams = GenerationParams()
    qc: QCSettings = QCSettings()  # the signal checks
    qc_mode: QCMode = "signal"
    speech_qc: SpeechQCSettings | None = None  # the speech checker's, when qc_mode is speech (its defaults if not given)
    max_attempts: int = DEFAULT_MAX_ATTEMPTS  # rounds of takes at most
    takes: int = DEFAULT_TAKES  # takes per round, generated together
    batch_size: int | None = None  # None: as many as fit in free memory (bark_model.memory)
    compile: bool = False  # torch.compile the decode steps; named by model_fingerprint

    @model_validator(mode="after")
    def _speech_settings_with_speech_qc(self) -> RenderSettings:
        if self.qc_mode == "speech" and self.speech_qc is None:
            self.speech_qc = SpeechQCSettings()
        return self

    @field_validator("speech_qc", mode="before")
    @classmethod
    def _none_from_empty(cls, value):
        return value or None  # `{}`: what a dump of None reads back as

    @field_serializer("speech_qc")
    def _empty_for_none(self, value: SpeechQCSettings | None) -> dict:
        """None dumps as `{}`, as it did when this was a dict: the cache keys of signal renders stay."""
        return {} if value is None else value.as_dict()


ChapterKind = Literal["chapter", "opening-credits", "closing-credits"]


class ChapterPlan(BaseModel):
    """A chapter, or a credit rendered like one: its segments, mastered into one lossless file. How it is
    encoded, named and tagged for a platform is the book's packaging (tasks/package.py), not the chapter's."""

    index: int
    title: str
    slug: str
    segments: list[SegmentPlan]
    settings: RenderSettings
    tags: dict[str, str]  # album, artist, title, track: the chapter's identity (run names, the package's tags)
    kind: ChapterKind = "chapter"

    @property
    def text(self) -> str:
        """The chapter's written text, segment by segment (the credits' words in manifest.json)."""
        return " ".join(s.text for s in self.segments)

    @property
    def pauses_after(self) -> list[float]:
        return [s.pause_after for s in self.segments]

    @property
    def paragraph_ends(self) -> list[bool]:
        """Per pair of neighbouring segments: whether a paragraph ends between them."""
        return [a.paragraph != b.paragraph for a, b in zip(self.segments, self.segments[1:])]

    @property
    def seconds(self) -> float:
        return sum(s.seconds + s.pause_after for s in self.segments)

    def content_key(self, *extra) -> str:
        """Hash of everything that shapes this chapter's files (batch size excluded: it changes nothing;
        compile too, as model_fingerprint names it: keys of uncompiled renders stay as they were)."""
        data = self.model_dump(mode="json", exclude={"settings": {"batch_size", "compile"}})
        return hashlib.sha256(json.dumps([data, *extra], sort_keys=True, default=str).encode()).hexdigest()


class BookPlan(BaseModel):
    """The book's chapters (credits first and last when on) and how it is packaged: formats, the platform
    preset, the cover (a prepared square JPEG), the AI-voice label of every file and the retail sample."""

    title: str
    author: str
    narrator: str  # the narrator credit in every file's tags: "AI Voice (Bark <model>, <voice>)"
    cover: Path | None
    chapters: list[ChapterPlan]
    formats: list[str]
    target: str = DEFAULT_TARGET
    isbn: str | None = None
    language: str = "en"
    sample_minutes: float | None = DEFAULT_SAMPLE_MINUTES  # None: no retail sample

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
    seed_offsets: dict[str, int] | None = None,
) -> list[ChapterPlan]:
    tags = {"album": book.title, "artist": book.author}
    chapters = []
    for index, rows in manifest.groupby("chapter_index", sort=True):
        segments = [
            SegmentPlan(
                id=row.id,
                text=row.text,
                spoken=row.spoken,
                paragraph=row.paragraph_index,
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
                tags=tags | {"title": title, "track": str(int(index) + 1)},
            )
        )
    return chapters


@task(name="plan")
def plan_book(
    book: Book,
    manifest: pd.DataFrame,
    render: RenderSettings,
    formats: list[str],
    output_dir: Path,
    voice: str | None = None,
    voices: dict[str, str] | None = None,
    seed_offsets: dict[str, int] | None = None,
    credits: CreditWording | None = CreditWording(),
    target: str = DEFAULT_TARGET,
    cover: Path | None = None,
    isbn: str | None = None,
    sample_minutes: float | None = DEFAULT_SAMPLE_MINUTES,
) -> BookPlan:
    """Resolve voices and model files (failing fast on unknown ones, and on a speech checker that cannot
    load), pin the model's files in the render settings and lay out every chapter, with the credits
    (`credits` None: none) first and last; a speaker whose voice is `generate` gets a voice generated once
    and locked in `output_dir`. `seed_offsets`: segment id → where its seeds start (retakes). `cover`: the
    prepared cover image (tasks/cover.py)."""
    fingerprint = engine_fingerprint(resolve_model(render.model), render.device, render.dtype, render.compile)
    settings = render.model_copy(update={"model_fingerprint": fingerprint})
    if settings.qc_mode == "speech":
        speech_qc_library()  # a checker that cannot load is one line now, not at the first segment
    mapping = voice_map(book, voice, voices)
    digests = voice_digests(set(mapping.values()) - {GENERATE})  # before a generated voice costs anything
    if GENERATE in mapping.values():  # its own task, with the engine of the book run's pool
        mapping = lock_generated_voices(mapping, output_dir, settings)
    digests |= voice_digests(set(mapping.values()) - set(digests))
    chapters = plan_chapters(book, manifest, mapping, digests, settings, seed_offsets)
    if credits is not None:
        chapters = plan_credits(book, credits, chapters, mapping, digests, settings, seed_offsets)
    return BookPlan(
        title=book.title,
        author=book.author,
        narrator=ai_voice_label(settings.model, mapping[NARRATOR]),
        cover=cover,
        chapters=chapters,
        formats=formats,
        target=target,
        isbn=given_isbn(isbn) if isbn else book.isbn,
        language=book.language,
        sample_minutes=sample_minutes,
    )


def ai_voice_label(model: str, voice: str) -> str:
    """The narrator credit of synthetic narration, as the Audio Publishers Association words it ("AI Voice"),
    naming the model and the narrator's voice: "AI Voice (Bark small, v2/en_speaker_6)"."""
    name = Path(voice).name if voice.endswith(".npz") else voice
    return f"AI Voice (Bark {Path(model).name}, {name})"


def plan_credits(book: Book, wording: CreditWording, chapters: list[ChapterPlan], voices: dict[str, str],
                 digests: dict[str, str], settings: RenderSettings, seed_offsets: dict[str, int] | None
                 ) -> list[ChapterPlan]:
    """The chapters with the opening credits before them (index 0) and the closing credits after them,
    segmented (with the book's pronunciations) and voiced like any chapter, in the narrator's voice."""
    manifest = segment_book(credits_book(book, credit_texts(book, wording)), lexicon=load_lexicon(book))
    opening, closing = plan_chapters(book, manifest, voices, digests, settings, seed_offsets)
    last = len(chapters) + 1

    def placed(credit: ChapterPlan, index: int, kind: str) -> ChapterPlan:
        return credit.model_copy(update={"index": index, "slug": f"{index:02d}-{kind}", "kind": kind,
                                         "tags": credit.tags | {"track": str(index + 1)}})

    return [placed(opening, 0, OPENING), *chapters, placed(closing, last, CLOSING)]


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
