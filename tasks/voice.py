"""Voices a book is read in: a preset, a user's .npz, or one generated once and locked beside the outputs.

A generated voice is Bark speaking a fixed sentence with no history prompt; its tokens become the
history prompt of every segment of that speaker. It is saved as `<output_dir>/voices/<speaker>.npz`
and reused by every later run into that folder, so the voice never drifts between runs or edits.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from prefect import task
from prefect.cache_policies import NO_CACHE

from bark_model import GenerationParams

from .engines import EngineKey, lent_pool

if TYPE_CHECKING:  # plan imports this module
    from .plan import RenderSettings

GENERATE = "generate"  # the voice name that asks for a generated, locked voice
SAMPLE_SENTENCE = "Welcome. This audiobook is read to you by the voice you are hearing now."
SAMPLE_MAX_SECONDS = 8.0


def locked_voice_path(output_dir: Path, speaker: str) -> Path:
    return Path(output_dir) / "voices" / f"{re.sub(r'[^A-Za-z0-9_-]+', '-', speaker)}.npz"


def lock_voice(speaker: str, output_dir: Path, settings: RenderSettings) -> str:
    """The speaker's locked voice file: made on the first run (the render's seed, default params) with
    the engine the render uses, from the lent pool; then always reused, loading no engine."""
    path = locked_voice_path(output_dir, speaker)
    if not path.is_file():
        engine = lent_pool().engine(EngineKey.of(settings))
        generation = engine.generate(SAMPLE_SENTENCE, None, GenerationParams(), settings.seed, SAMPLE_MAX_SECONDS)
        generation.as_voice().save(path)  # atomic: a killed run leaves no half voice behind
    return str(path)


@task(name="lock-voices", cache_policy=NO_CACHE)
def lock_generated_voices(voices: dict[str, str], output_dir: Path, settings: RenderSettings) -> dict[str, str]:
    """`voices` with every `generate` entry replaced by its locked .npz path. Its own task, with the
    engine of the lent pool (the book run's: its in-process chapters then reuse that engine)."""
    return {speaker: lock_voice(speaker, output_dir, settings) if name == GENERATE else name
            for speaker, name in voices.items()}
