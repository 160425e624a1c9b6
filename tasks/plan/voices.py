"""Who reads what: speaker -> voice (a preset, a user's .npz, or `generate`: one made once and locked beside
the outputs), each voice known by its content digest."""

from __future__ import annotations

import re
from pathlib import Path

from typing import Literal

import pandas as pd

from bark_model import load_voice
from tasks.manuscript import Book
from tasks.text import NARRATOR
from tasks.text.speakers import Role, cast_file, cast_voices, read_cast_csv, write_cast_csv

from .defaults import DEFAULT_VOICE

GENERATE = "generate"  # the voice name that asks for a generated, locked voice
CastMode = Literal["file", "auto", "narrator"]
CAST_MODES: tuple[str, ...] = ("file", "auto", "narrator")  # CastMode's values, in the order --help shows them


def voice_map(book: Book, voice: str | None, voices: dict[str, str] | None) -> dict[str, str]:
    """Speaker -> voice name or .npz path; the narrator's comes from the call, the book, or the default."""
    mapping = {NARRATOR: voice or book.voice or DEFAULT_VOICE}
    mapping.update(voices or {})
    return mapping


def cast_for(book: Book, segments: pd.DataFrame, manuscript: Path, narrator_voice: str, mode: CastMode) -> list[Role]:
    """The characters who speak and the voice each gets: `auto` gives the main characters their own presets
    (the language's, gender-matched, never the narrator's; the voices pinned in BOOK.cast.csv kept) and writes
    the cast to BOOK.cast.csv for the producer to edit; `file` (the default) takes only the voices pinned
    there; `narrator` reads every line in the narrator's voice."""
    if mode == "auto":
        roles = cast_voices(book, segments, manuscript, narrator_voice)
        write_cast_csv(cast_file(manuscript), roles)
        return roles
    pinned = read_cast_csv(cast_file(manuscript)) if mode == "file" and cast_file(manuscript).is_file() else {}
    return [Role(character, voice=voice) for character, voice in pinned.items()]


def voice_digests(names: set[str]) -> dict[str, str]:
    """Each voice's content digest; an unknown name fails here with a VoiceError (`generate` is not a voice
    yet: it has none)."""
    return {name: load_voice(name).digest() for name in names - {GENERATE}}


def locked_voice_path(output_dir: Path, speaker: str) -> Path:
    """Where a generated voice is locked: `<output_dir>/voices/<speaker>.npz`."""
    return Path(output_dir) / "voices" / f"{re.sub(r'[^A-Za-z0-9_-]+', '-', speaker)}.npz"
