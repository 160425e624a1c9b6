"""The plan's data: what every later step receives instead of files and models — plain, validated
(pydantic) segments, chapters and the book, and the settings that decide a segment's audio."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_serializer, field_validator, model_serializer, model_validator

from bark_model import GenerationParams
from tasks.core import content_key
from tasks.qc import QCMode, QCSettings, SpeechQCSettings

from .defaults import DEFAULT_DEVICE, DEFAULT_DTYPE, DEFAULT_MAX_ATTEMPTS, DEFAULT_SAMPLE_MINUTES, DEFAULT_SEED, \
    DEFAULT_TAKES, DEFAULT_TARGET


PERSON_CHOICES = ("keep_seed", "takes")  # SegmentPlan fields a person sets in OUT/review.json


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
    keep_seed: int | None = None  # a person chose this take (OUT/review.json): kept whatever its checks say
    takes: int | None = None  # takes a round of its own (a retake asked for them); None: the render's

    @model_serializer(mode="wrap")
    def _without_unset_choices(self, dump):
        """No key for a choice nobody made: the chapters' content keys stay those of earlier renders."""
        data = dump(self)
        for name in PERSON_CHOICES:
            if isinstance(data, dict) and data.get(name) is None:
                data.pop(name, None)
        return data


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
    encoded, named and tagged for a platform is the book's packaging (tasks/package/packaging.py), not the chapter's."""

    index: int
    title: str
    slug: str
    segments: list[SegmentPlan]
    settings: RenderSettings
    tags: dict[str, str]  # album, artist, title, track: the chapter's identity (run names, the package's tags)
    kind: ChapterKind = "chapter"
    book_chapters: int = 0  # the book's chapters (credits not counted): "2/3" in its run names

    @property
    def place(self) -> str:
        """"2/3 The Lion and the Mouse" for a chapter, its title for a credit: how the UI names its runs."""
        return f"{self.index}/{self.book_chapters} {self.title}" if self.kind == "chapter" else self.title

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
        compile too, as model_fingerprint names it; and where it stands among the book's chapters)."""
        data = self.model_dump(mode="json", exclude={"settings": {"batch_size", "compile"}, "book_chapters": True})
        return content_key(data, *extra)


class Packaging(BaseModel):
    """How the book is packaged, decided before rendering: formats, the platform preset, the prepared cover
    (a square JPEG), the ISBN for file names and the retail sample's length (None: no sample)."""

    formats: list[str]
    target: str = DEFAULT_TARGET
    cover: Path | None = None
    isbn: str | None = None
    sample_minutes: float | None = DEFAULT_SAMPLE_MINUTES


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
        return content_key(self.model_dump(mode="json", exclude={"chapters"}), chapter_keys)

    @property
    def segment_count(self) -> int:
        return sum(len(c.segments) for c in self.chapters)

    @property
    def seconds(self) -> float:
        return sum(c.seconds for c in self.chapters)
