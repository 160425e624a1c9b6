"""Who reads what: speaker -> voice (a preset, a user's .npz, or `generate`: one made once and locked beside
the outputs), each voice known by its content digest."""

from __future__ import annotations

import re
from pathlib import Path

from bark_model import load_voice
from tasks.manuscript import Book
from tasks.text import NARRATOR

from .defaults import DEFAULT_VOICE

GENERATE = "generate"  # the voice name that asks for a generated, locked voice


def voice_map(book: Book, voice: str | None, voices: dict[str, str] | None) -> dict[str, str]:
    """Speaker -> voice name or .npz path; the narrator's comes from the call, the book, or the default."""
    mapping = {NARRATOR: voice or book.voice or DEFAULT_VOICE}
    mapping.update(voices or {})
    return mapping


def voice_digests(names: set[str]) -> dict[str, str]:
    """Each voice's content digest; an unknown name fails here with a VoiceError (`generate` is not a voice
    yet: it has none)."""
    return {name: load_voice(name).digest() for name in names - {GENERATE}}


def locked_voice_path(output_dir: Path, speaker: str) -> Path:
    """Where a generated voice is locked: `<output_dir>/voices/<speaker>.npz`."""
    return Path(output_dir) / "voices" / f"{re.sub(r'[^A-Za-z0-9_-]+', '-', speaker)}.npz"
