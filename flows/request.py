"""`RenderRequest`: everything a render of one book is asked for, typed and checked at the door. The CLI,
the deployments (prefect.yaml) and the tests build it; the render-book flow takes nothing else."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bark_model import GenerationParams
from bark_model.constants import MAX_COARSE_HISTORY, MIN_COARSE_HISTORY
from bark_model.paths import default_cache_dir
from tasks.core import BarkbookError, atomic_write_text
from tasks.manuscript import NotesPolicy, StageDirections, given_isbn
from tasks.master import AudioFormat
from tasks.package import SAMPLE_MINUTES, TargetName, target_named
from tasks.plan import CastMode, CreditWording, Packaging, RenderSettings
from tasks.plan.defaults import (DEFAULT_DEVICE, DEFAULT_DTYPE, DEFAULT_MAX_ATTEMPTS, DEFAULT_MODEL, DEFAULT_NOTES,
                                 DEFAULT_OUTPUT_DIR, DEFAULT_SAMPLE_MINUTES, DEFAULT_SEED, DEFAULT_STAGE_DIRECTIONS,
                                 DEFAULT_TAKES,
                                 DEFAULT_TARGET)
from tasks.qc import MAX_ROUNDS, MAX_TAKES, QCMode, default_qc_mode

PICKUP_TIMEOUT_S = 600.0  # chapter runs no worker picked up this long (none running) fail the book
CHAPTER_TIMEOUT_S = 48 * 3600.0  # a chapter run running longer fails the book (a long chapter of `large` on CPU)
REQUEST_FILE = ".state/request.json"  # in OUT/: the request of the folder's last render, to run it again (not delivered)


class ChapterRuns(BaseModel):
    """Where a book's chapters run: with `deployment` (`render-chapter/render-chapter`) each is a run of it, so
    several workers share one book; without, they are sub-flows of the book run. A chapter run no worker picks
    up in `pickup_timeout_s`, or running past `timeout_s`, fails the book."""

    model_config = ConfigDict(extra="forbid")

    deployment: str | None = None
    pickup_timeout_s: Annotated[float, Field(gt=0)] = PICKUP_TIMEOUT_S
    timeout_s: Annotated[float, Field(gt=0)] = CHAPTER_TIMEOUT_S


class RenderRequest(BaseModel):
    """A manuscript to finished audio: chapter files, the whole book and a manifest.

    `cache_dir` holds segment results: a folder or an fsspec URL (default `$BARKBOOK_RESULT_STORAGE`, else the
    barkbook cache). `autocast`, a `max_coarse_history` below 630 and `compile` are the engine's fast modes; the defaults are
    the exact mode. `qc` checks every take: `speech` (words and voice; the default for real models), `signal`
    (the default for random-tiny, which cannot speak) or `off`; each segment gets rounds of `takes` takes, at
    most `max_attempts` rounds, until one passes; the best is kept. `retake` renders new takes of the
    segments named. `cast`: `auto` gives the book's main characters voices of their own and writes BOOK.cast.csv; `file` uses
    the voices pinned there; `narrator` one voice for all; `voices` (speaker -> voice) pins more. `notes`: footnotes and endnotes not read (`skip`) or read at their chapter's end.
    `stage_directions`: a play's directions read by the narrator (`read`) or left out (`skip`, counted).
    `target` packages the book for a platform (its formats when `formats` is None, naming, splitting,
    layout); `cover` an image (else the manuscript's, else one drawn); `credits` None: no spoken credits;
    `sample_minutes` None: no retail sample; `isbn` (else the manuscript's) names Google Play's files.
    """

    model_config = ConfigDict(extra="forbid")

    manuscript: Path
    output_dir: Path = DEFAULT_OUTPUT_DIR
    voice: str | None = None
    voices: dict[str, str] | None = None
    cast: CastMode = "file"
    model: str = DEFAULT_MODEL
    device: Literal["cpu", "cuda"] = DEFAULT_DEVICE
    dtype: Literal["float32", "bfloat16", "float16"] = DEFAULT_DTYPE
    autocast: Literal["bfloat16", "float16"] | None = None
    max_coarse_history: Annotated[int, Field(ge=MIN_COARSE_HISTORY, le=MAX_COARSE_HISTORY)] = MAX_COARSE_HISTORY
    compile: bool = False
    seed: int = DEFAULT_SEED
    batch_size: Annotated[int, Field(ge=1)] | None = None
    formats: list[AudioFormat] | None = None
    cache_dir: Path | str | None = None
    qc: QCMode | None = None
    takes: Annotated[int, Field(ge=1, le=MAX_TAKES)] = DEFAULT_TAKES
    max_attempts: Annotated[int, Field(ge=1, le=MAX_ROUNDS)] = DEFAULT_MAX_ATTEMPTS
    retake: list[str] | None = None
    notes: NotesPolicy = DEFAULT_NOTES
    stage_directions: StageDirections = DEFAULT_STAGE_DIRECTIONS
    target: TargetName = DEFAULT_TARGET
    cover: Path | None = None
    credits: CreditWording | None = CreditWording()
    sample_minutes: Annotated[float, Field(ge=SAMPLE_MINUTES[0], le=SAMPLE_MINUTES[1])] | None = DEFAULT_SAMPLE_MINUTES
    isbn: str | None = None

    @field_validator("isbn")
    @classmethod
    def _an_isbn(cls, isbn: str | None) -> str | None:
        return None if isbn is None else given_isbn(isbn)  # digits only; not an ISBN: a BarkbookError saying so

    @field_validator("formats")
    @classmethod
    def _some_formats(cls, formats: list[str] | None) -> list[str] | None:
        if formats is not None and not formats:
            raise ValueError("name at least one format, or none for the target's")
        return list(dict.fromkeys(formats)) if formats else formats

    @property
    def qc_mode(self) -> QCMode:
        return self.qc or default_qc_mode(self.model)

    @property
    def segment_cache(self) -> str:
        """Where segment results are kept: the request's, `$BARKBOOK_RESULT_STORAGE`, else the barkbook cache."""
        return str(self.cache_dir or os.environ.get("BARKBOOK_RESULT_STORAGE") or default_cache_dir() / "segments")

    def render_settings(self) -> RenderSettings:
        """What decides each segment's audio (before the plan pins the model's files)."""
        return RenderSettings(model=self.model, device=self.device, dtype=self.dtype, seed=self.seed,
                              compile=self.compile, batch_size=self.batch_size, qc_mode=self.qc_mode,
                              params=GenerationParams(autocast=self.autocast, max_coarse_history=self.max_coarse_history),
                              takes=self.takes, max_attempts=self.max_attempts)

    def packaging(self, cover: Path | None) -> Packaging:
        """How the book is packaged; `cover` is the prepared cover image."""
        formats = self.formats or list(target_named(self.target).formats)
        return Packaging(formats=formats, target=self.target, cover=cover, isbn=self.isbn,
                         sample_minutes=self.sample_minutes)

    def recorded(self) -> RenderRequest:
        """This request as `OUT/.state/request.json` keeps it, to be run again from anywhere: its paths absolute, the
        segment cache it used named, and no retakes (those it made are in OUT/retakes.json)."""
        def absolute(path: Path | None) -> Path | None:
            return None if path is None else Path(path).expanduser().resolve()

        cache = self.segment_cache
        voice = self.voice
        if voice and voice.endswith(".npz") and Path(voice).is_file():
            voice = str(absolute(Path(voice)))
        return self.model_copy(update={
            "manuscript": absolute(self.manuscript), "output_dir": absolute(self.output_dir), "cover": absolute(self.cover),
            "voice": voice, "retake": None, "cache_dir": cache if "://" in cache else absolute(Path(cache))})


def save_request(request: RenderRequest) -> Path:
    """`OUT/.state/request.json`: what this render was asked for (`RenderRequest.recorded`), written atomically."""
    recorded = request.recorded()
    return atomic_write_text(Path(recorded.output_dir) / REQUEST_FILE, recorded.model_dump_json(indent=2) + "\n")


def load_request(output_dir: Path) -> RenderRequest:
    """The request of the last render into `output_dir`; a folder without one, or a damaged one, is one line."""
    path = Path(output_dir) / REQUEST_FILE
    try:
        return RenderRequest.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise BarkbookError(f"{output_dir}: no {REQUEST_FILE} here; render the book into this folder first "
                            "(barkbook render MANUSCRIPT --out FOLDER)") from None
    except (OSError, ValueError) as err:
        raise BarkbookError(f"{path}: not a render request ({str(err).splitlines()[0]})") from None


def request_from_options(given: dict, credits: dict[str, str | None] | None) -> RenderRequest:
    """The request from a command line's values (None: not given, the request's default, except where None is
    itself the choice: no voice, no sample…) and the credits' wording (None: no credits); anything wrong is one
    BarkbookError line."""
    fields = {k: v for k, v in given.items() if v is not None or k != "max_coarse_history"}
    try:
        wording = None if credits is None else CreditWording(**{k: v for k, v in credits.items() if v is not None})
        return RenderRequest(**fields, credits=wording)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise BarkbookError(f"{where}: {first['msg']}") from None
