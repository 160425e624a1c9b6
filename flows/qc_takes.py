"""The takes `barkbook qc` checks: read from a file and its text or from a JSON manifest, each checked by the speech
checker against its reference (a recording or a Bark voice), and the verdict a person reads."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from tasks.core import BarkbookError
from tasks.master.audio import AudioSegment, to_array

READABLE = (".wav", ".flac", ".ogg", ".mp3")


@dataclass(frozen=True)
class Take:
    """One input: an audio file, what it should say, and optionally a reference recording of its voice."""

    audio: Path
    text: str
    reference: Path | str | None = None  # a recording, or a Bark voice (preset name or .npz)


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """WAV/FLAC/OGG with soundfile, MP3 through pydub's ffmpeg; bad files are one BarkbookError line."""
    if not path.is_file():
        raise BarkbookError(f"{path}: no such audio file")
    try:
        if path.suffix.lower() == ".mp3":
            segment = AudioSegment.from_file(path).set_channels(1).set_sample_width(2)
            return to_array(segment).astype(np.float32), segment.frame_rate
        return sf.read(path, dtype="float32", always_2d=False)
    except Exception as err:  # noqa: BLE001 — any decoder failure is the same problem for a person
        raise BarkbookError(f"{path}: cannot read audio ({type(err).__name__}: {str(err)[:120]})") from err


def reference_source(value: str | None, base: Path) -> Path | str | None:
    """A recording (a path, relative to `base`) or a Bark voice (a preset name or .npz, kept as given)."""
    if not value:
        return None
    path = Path(value) if Path(value).is_absolute() else base / value
    return path if path.suffix.lower() in READABLE else value


def read_reference(source: Path | str, model: str | None) -> tuple[np.ndarray, int]:
    """A recording is read; a Bark voice is decoded by the model's codec, so it needs --model."""
    if isinstance(source, Path):
        return read_audio(source)
    if model is None:
        raise BarkbookError(f"reference {source!r} is a Bark voice: add --model small|large|FOLDER to decode it "
                            f"with the model's codec, or give a recording ({', '.join(READABLE)})")
    from tasks.qc.speech.reference import voice_audio

    return voice_audio(source, model)


def read_manifest(path: Path) -> list[Take]:
    """FILE.json: a list of {"audio", "text", "reference"?}; paths relative to the file's folder."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BarkbookError(f"{path}: no such manifest") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BarkbookError(f"{path}: not a JSON manifest ({err})") from None
    if not isinstance(rows, list) or not rows:
        raise BarkbookError(f"{path}: the manifest must be a non-empty JSON list of {{\"audio\", \"text\"}}")
    takes = []
    for i, row in enumerate(rows):
        if not (isinstance(row, dict) and isinstance(row.get("audio"), str) and isinstance(row.get("text"), str)):
            raise BarkbookError(f"{path}: entry {i} needs \"audio\" and \"text\" strings")
        audio = Path(row["audio"])
        takes.append(Take(audio if audio.is_absolute() else path.parent / audio, row["text"],
                          reference_source(row.get("reference"), path.parent)))
    return takes


def check_takes(takes: list[Take], engine: str, model: str | None = None) -> list[dict]:
    """Each take checked against its reference (each reference embedded once); a JSON-able row each."""
    from tasks.qc.speech import SpeechChecker, SpeechQCSettings

    audios = [read_audio(t.audio) for t in takes]  # every input read first: bad input fails before work
    references = {t.reference: read_reference(t.reference, model) for t in takes if t.reference}
    checker = SpeechChecker(SpeechQCSettings(engine=engine))
    embedded = {path: checker.embed(*audio) for path, audio in references.items()}
    return [{"audio": str(take.audio),
             **checker.check(*audio, take.text, reference=embedded.get(take.reference)).as_dict()}
            for take, audio in zip(takes, audios)]


def verdict(row: dict) -> str:
    """One line a person reads: PASS/FAIL, the file, the main measures, what is wrong."""
    voice = "" if row["voice_similarity"] is None else f", voice {row['voice_similarity']:.2f}"
    head = f"{'PASS' if row['passed'] else 'FAIL'} {row['audio']}: words {row['word_match']:.0%}{voice}, " \
           f"speech {row['speech_s']:.1f} s"
    return head + "".join(f"\n  - {problem}" for problem in row["problems"])
