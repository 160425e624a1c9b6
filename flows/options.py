"""The `barkbook` command's fixed choices and the checks that answer before the pipeline loads.

Every option with a fixed set of values is parsed by a `Choice`: `--help` shows the values, the shell completes
them, and a wrong one is refused by the parser, naming the values and the closest ones. Paths, voices and
models are checked here too, in milliseconds: this module imports neither torch nor Prefect nor pandas
(seconds each), so nothing a person typed wrong waits for them. The pipeline's own types stay the truth
(tests/test_options.py holds these tuples to them); they are repeated here only because importing the
pipeline is what a refusal must not wait for.
"""

from __future__ import annotations

import difflib
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from bark_model.cache import MODEL_NAMES, env_offline, folder_cache, hub_unreachable, model_cache, not_available
from bark_model.constants import MAX_COARSE_HISTORY, MIN_COARSE_HISTORY
from bark_model.errors import ModelNotAvailableError, VoiceError
from bark_model.voices import list_presets, load_voice

FORMATS = ("wav", "flac", "mp3", "m4b")  # tasks.master.AudioFormat
TARGETS = ("generic", "acx", "google-play", "spotify", "findaway", "audiobookshelf")  # tasks.package.TargetName
QC_MODES = ("speech", "signal", "off")  # tasks.qc.QCMode
CAST_MODES = ("file", "auto", "narrator")  # tasks.plan.CastMode
NOTES_POLICIES = ("skip", "chapter-end")  # tasks.manuscript.NotesPolicy
STAGE_DIRECTIONS = ("read", "skip")  # tasks.manuscript.StageDirections
DEVICES = ("cpu", "cuda")  # RenderRequest.device
DTYPES = ("float32", "bfloat16", "float16")  # RenderRequest.dtype
AUTOCAST_DTYPES = ("bfloat16", "float16")  # bark_model.generation.AUTOCAST_DTYPES
QC_ENGINES = ("sphinx", "whisper")  # tasks.qc.SpeechQCSettings.engine
GENERATE = "generate"  # tasks.plan.GENERATE: a voice made once and locked in OUT/voices/
MAX_TAKES, MAX_ROUNDS = 32, 20  # tasks.qc.MAX_TAKES, MAX_ROUNDS
SAMPLE_MINUTES = (1.0, 5.0)  # tasks.package.SAMPLE_MINUTES
COARSE_HISTORY = (MIN_COARSE_HISTORY, MAX_COARSE_HISTORY)
SEGMENT_ID = re.compile(r"[0-9a-f]{16}")  # tasks.text.segment.segment_id


@dataclass(frozen=True)
class RequestDefaults:
    """What a render gets when an option is not given (RenderRequest's defaults and tasks.plan.defaults')."""

    output_dir: Path = Path("out")
    model: str = "small"
    voice: str = "v2/en_speaker_6"  # the narrator's when neither the option nor the manuscript names one
    target: str = "generic"
    cast: str = "file"
    sample_minutes: float = 3.0
    device: str = "cpu"
    dtype: str = "float32"
    seed: int = 0
    takes: int = 1
    max_attempts: int = 3
    notes: str = "skip"
    stage_directions: str = "read"


DEFAULTS = RequestDefaults()


FLAG: dict[str, Any] = {"metavar": ""}  # a flag takes no value: --help shows none


def closest(value: str, values: Sequence[str]) -> str:
    """"; did you mean X or Y?" for the values nearest `value`, or "" when none is near."""
    close = difflib.get_close_matches(value, list(values), n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(close)}?" if close else ""


@dataclass(frozen=True)
class Choice:
    """Parses one of `values` (a list of them, comma-separated, with `several`); completes them in the shell."""

    values: tuple[str, ...]
    several: bool = False

    def __call__(self, value: str) -> str:
        """The value (several: deduplicated, joined by commas); a wrong one is a BadParameter naming the closest."""
        given = [v.strip().lower() for v in value.split(",") if v.strip()] if self.several else [value]
        for item in given or [""]:
            if item not in self.values:
                raise typer.BadParameter(f"{item!r} is not one of {', '.join(self.values)}{closest(item, self.values)}")
        return ",".join(dict.fromkeys(given))

    def complete(self, incomplete: str) -> list[str]:
        done, _, last = incomplete.rpartition(",") if self.several else ("", "", incomplete)
        return [f"{done},{v}" if done else v for v in self.values if v.startswith(last)]

    @property
    def metavar(self) -> str:
        return "<" + "|".join(self.values) + (">[,…]" if self.several else ">")


def choice(default: Any, values: Sequence[str], help: str, *names: str, several: bool = False) -> Any:
    """A typer option taking one of `values` (or a comma-separated list of them)."""
    parse = Choice(tuple(values), several)
    return typer.Option(default, *names, parser=parse, metavar=parse.metavar, autocompletion=parse.complete, help=help)


NOTES_HELP = ("Footnotes and endnotes: skip (not read; counted in the report) or chapter-end (a chapter's notes read "
              "after its text).")
STAGE_DIRECTIONS_HELP = "A play's stage directions: read (by the narrator) or skip (not read; counted in the report)."


def notes_option() -> Any:
    """--notes, of `render` and `segment`."""
    return choice(DEFAULTS.notes, NOTES_POLICIES, NOTES_HELP, "--notes")


def stage_directions_option() -> Any:
    """--stage-directions, of `render` and `segment`."""
    return choice(DEFAULTS.stage_directions, STAGE_DIRECTIONS, STAGE_DIRECTIONS_HELP, "--stage-directions")


def manuscript_argument() -> Any:
    """The MANUSCRIPT argument of `render` and `segment`."""
    return typer.Argument(..., metavar="MANUSCRIPT", parser=manuscript_path,
                          help="A manuscript file (plain text, Markdown, HTML, EPUB, Word .docx, OpenDocument .odt, "
                               "RTF or a PDF with text; docs/inputs.md), or a folder of chapters.")


def manuscript_path(value: str) -> Path:
    """An existing, readable, non-empty file or folder (what is in it is the reader's to judge)."""
    path = Path(value).expanduser()
    if not path.exists():
        raise typer.BadParameter(f"{value}: no such file or folder")
    if path.is_file() and path.stat().st_size == 0:
        raise typer.BadParameter(f"{value}: the file is empty")
    if path.is_dir() and not any(path.iterdir()):
        raise typer.BadParameter(f"{value}: the folder is empty")
    if not os.access(path, os.R_OK):
        raise typer.BadParameter(f"{value}: cannot be read (permission denied)")
    return path


def output_folder(value: str) -> Path:
    """A folder to write in: an existing one, or one that can be made where the nearest existing folder is.
    Nothing is created: a file is made and removed to prove it can be written."""
    path = Path(value).expanduser()
    existing = next(p for p in (path, *path.absolute().parents) if p.exists())
    if not existing.is_dir():
        raise typer.BadParameter(f"{value}: {'it' if existing == path else existing} is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as err:
        where = "" if existing == path else f" (in {existing})"
        raise typer.BadParameter(f"{value}: cannot write there{where}: {err.strerror or err}") from None
    return path


def existing_folder(value: str) -> Path:
    path = Path(value).expanduser()
    if not path.is_dir():
        raise typer.BadParameter(f"{value}: no such folder")
    return path


def voice_name(value: str) -> str:
    """A preset, `generate`, or an .npz voice (read and checked now: numpy only)."""
    if value == GENERATE:
        return value
    if value.endswith(".npz") or Path(value).is_file():
        try:
            load_voice(value)
        except VoiceError as err:
            raise typer.BadParameter(str(err)) from None
        return value
    presets = list_presets()
    if value not in presets:
        raise typer.BadParameter(f"unknown voice {value!r}: not a preset (see `barkbook voices`), an .npz file "
                                 f"or {GENERATE!r}{closest(value, presets)}")
    return value


def complete_voice(incomplete: str) -> list[str]:
    return [v for v in [GENERATE, *list_presets()] if v.startswith(incomplete)]


def model_name(value: str) -> str:
    """small, large, random-tiny, or a folder holding a model's files (all of them)."""
    if value in MODEL_NAMES:
        return value
    folder = Path(value).expanduser()
    if not folder.is_dir():
        raise typer.BadParameter(f"unknown model {value!r} (no such folder either): choose "
                                 f"{', '.join(MODEL_NAMES)} or a folder of model files{closest(value, MODEL_NAMES)}")
    files = folder_cache(folder)
    if not files.complete:
        raise typer.BadParameter(f"{value}: missing {', '.join(files.missing)}")
    return value


def complete_model(incomplete: str) -> list[str]:
    return [m for m in MODEL_NAMES if m.startswith(incomplete)]


def check_model_available(model: str) -> str | None:
    """None when the model's files are here (or a folder was given); a line saying what will be downloaded when
    the hub answers; ModelNotAvailableError at once, the line the engine would say, when they are not here and
    cannot be had (HF_HUB_OFFLINE, or the hub does not answer one request)."""
    if model not in ("small", "large"):
        return None
    cache = model_cache(model)
    if cache.complete:
        return None
    unreachable = None if env_offline() else hub_unreachable()
    if env_offline() or unreachable:
        why = "we are offline (HF_HUB_OFFLINE)" if env_offline() else f"the hub does not answer ({unreachable})"
        raise ModelNotAvailableError(not_available(model, why, cache.missing))
    return f"model {model!r} is not cached: downloading {len(cache.missing)} files on first use"


def retake_ids(value: str) -> str:
    """Comma-separated segment ids (16 hex digits each, as OUT/review.csv lists them)."""
    ids = [i.strip() for i in value.split(",") if i.strip()]
    wrong = [i for i in ids if not SEGMENT_ID.fullmatch(i)]
    if wrong or not ids:
        raise typer.BadParameter(f"{', '.join(wrong) or '(none)'}: a segment id is 16 hex digits, as OUT/review.csv lists them")
    return ",".join(dict.fromkeys(ids))


def checked(default: Any, parse: Callable[[str], Any], *names: str, complete: Callable[[str], list[str]] | None = None,
            **option: Any) -> Any:
    """A typer option parsed (and so checked) by `parse`, completed by `complete`."""
    return typer.Option(default, *names, parser=parse, autocompletion=complete, **option)
