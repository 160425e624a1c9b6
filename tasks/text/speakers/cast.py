"""The cast: each speaking character's gender, weight and voice, and the BOOK.cast.csv a producer edits.

`book_cast` lists the characters who speak in a segments (lines = their segments), with the
aliases and gender the book gives them (tasks/text/speakers/characters.py). `auto_voices` gives the main
characters distinct presets of the book's language, a woman never a man's voice where the language
has a woman's (and the other way round), nobody the narrator's voice; minor characters share the
presets left, by gender. `write_cast_csv` / `read_cast_csv` keep the cast in `BOOK.cast.csv`
(character, aliases, gender, lines, voice); a voice written there is pinned and wins over `auto`.

The presets' genders are facts with a source (bark_model/speaker_library.py); where a gender is not known,
the table says "" and such a preset is only used for characters of unknown gender.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from bark_model.speaker_library import GENDERS, preset_facts
from tasks.core import BarkbookError, atomic_write_text
from tasks.manuscript import Book

from .attribution import DIALOGUE, NARRATOR
from .speech import read_speech

# The v2 presets' genders: bark_model's speaker library (Suno's published table, its source named there).
PRESET_GENDERS: dict[str, str] = {facts.name: facts.gender[0].upper() for facts in preset_facts()
                                  if facts.name.startswith("v2/") and facts.gender in ("male", "female")}
CAST_COLUMNS = ("character", "aliases", "gender", "lines", "voice")
MAIN_CHARACTERS = 8  # the most heard characters get a preset each, as far as the language has them


@dataclass(frozen=True)
class Role:
    """A character who speaks in the book: how the segments names them, their other names, gender
    ("M", "F" or ""), segments spoken, and voice ("" until cast)."""

    character: str
    aliases: tuple[str, ...] = ()
    gender: str = ""
    lines: int = 0
    voice: str = ""


def language_presets(language: str) -> list[str]:
    """The v2 presets of a language (English's where Bark has none for it), in their order."""
    language = language if language in GENDERS else "en"
    return [f"v2/{language}_speaker_{n}" for n in range(10)]


def book_cast(book: Book, segments: pd.DataFrame) -> list[Role]:
    """Every speaker of the segments but the narrator, most lines first, with the book's names and gender."""
    cast = read_speech(book).cast
    characters = {c.label: c for c in cast.characters}
    lines = segments.speaker[segments.speaker != NARRATOR].value_counts()
    roles = []
    for label, count in lines.items():
        character = characters.get(label)
        aliases = sorted({cast.surface[f] for f in character.forms} - {label}) if character else []
        roles.append(Role(label, tuple(aliases), character.gender if character else "", int(count)))
    return roles


def cast_listing(roles: list[Role]) -> list[str]:
    """The cast for a person (`--dry-run`, the report): one line per character."""
    return [f"  {r.character} ({r.gender or '?'}, {r.lines} line{'s' * (r.lines != 1)})"
            + (f": {r.voice}" if r.voice else "") + (f"  — also {', '.join(r.aliases)}" if r.aliases else "")
            for r in roles]


def auto_voices(roles: list[Role], language: str, taken: set[str]) -> dict[str, str]:
    """A voice for each role: the main ones distinct, matched by gender where the language allows;
    the rest sharing what is left; never a voice in `taken` (the narrator's, those pinned)."""
    pool = [p for p in language_presets(language) if p not in taken]
    by_gender = {g: [p for p in pool if PRESET_GENDERS.get(p, "") == g] for g in ("M", "F")}
    free = list(pool)
    voices: dict[str, str] = {}
    for n, role in enumerate(roles):
        fitting = by_gender.get(role.gender) or pool  # a language without a woman's preset: any
        if n < MAIN_CHARACTERS and role.character != DIALOGUE:
            choice = next((p for p in free if p in fitting), None)
            if choice is not None:
                free.remove(choice)
                voices[role.character] = choice
                continue
        shared = [p for p in free if p in fitting] or fitting
        voices[role.character] = shared[n % len(shared)]
    return voices


def cast_with_voices(roles: list[Role], voices: dict[str, str]) -> list[Role]:
    return [Role(r.character, r.aliases, r.gender, r.lines, voices.get(r.character, r.voice)) for r in roles]


def write_cast_csv(path: Path, roles: list[Role]) -> Path:
    """BOOK.cast.csv, atomically: one row per character, aliases joined by '; '."""
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(CAST_COLUMNS)
    writer.writerows([r.character, "; ".join(r.aliases), r.gender, r.lines, r.voice] for r in roles)
    return atomic_write_text(path, rows.getvalue())


def read_cast_csv(path: Path) -> dict[str, str]:
    """The voices a producer pinned in BOOK.cast.csv: character -> voice (rows without one are left out)."""
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise BarkbookError(f"{path}: cannot read the cast ({err})") from None
    if rows and not {"character", "voice"} <= set(rows[0]):
        raise BarkbookError(f"{path}: a cast file needs the columns {', '.join(CAST_COLUMNS)}")
    return {row["character"].strip(): row["voice"].strip() for row in rows
            if (row.get("character") or "").strip() and (row.get("voice") or "").strip()}


def cast_file(manuscript: Path) -> Path:
    """Where a manuscript's cast lives: beside it, BOOK.cast.csv."""
    return manuscript.with_name(f"{manuscript.stem}.cast.csv")


def cast_voices(book: Book, segments: pd.DataFrame, manuscript: Path, narrator_voice: str) -> list[Role]:
    """`--cast auto`: the cast with voices, the producer's pinned ones (BOOK.cast.csv) kept, the rest
    chosen by `auto_voices` from the presets no pinned voice took."""
    roles = book_cast(book, segments)
    pinned = read_cast_csv(cast_file(manuscript)) if cast_file(manuscript).is_file() else {}
    chosen = auto_voices([r for r in roles if r.character not in pinned], book.language,
                         set(pinned.values()) | {narrator_voice})
    return cast_with_voices(roles, {**chosen, **pinned})


def voices_of(roles: list[Role]) -> dict[str, str]:
    """The speaker -> voice map a render takes (tasks.plan.voice_map's `voices`)."""
    return {r.character: r.voice for r in roles if r.voice}
