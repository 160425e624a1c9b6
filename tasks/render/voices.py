"""Voices a book is read in: a preset, a user's .npz, or one generated once and locked beside the outputs.

A generated voice is Bark speaking a fixed sentence with no history prompt; its tokens become the
history prompt of every segment of that speaker. It is saved as `<output_dir>/voices/<speaker>.npz`
and reused by every later run into that folder, so the voice never drifts between runs or edits.
"""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from bark_model import GenerationParams
from tasks.plan import GENERATE, RenderSettings, locked_voice_path, voice_digests

from .engines import EngineKey, EnginePool, lent_pool

SAMPLE_SENTENCE = "Welcome. This audiobook is read to you by the voice you are hearing now."
SAMPLE_MAX_SECONDS = 8.0


def lock_voice(speaker: str, output_dir: Path, settings: RenderSettings, pool: EnginePool) -> str:
    """The speaker's locked voice file: made on the first run (the render's seed, default params) with
    the engine the render uses, from `pool`; then always reused, loading no engine."""
    path = locked_voice_path(output_dir, speaker)
    if not path.is_file():
        engine = pool.engine(EngineKey.of(settings))
        generation = engine.generate(SAMPLE_SENTENCE, None, GenerationParams(), settings.seed, SAMPLE_MAX_SECONDS)
        generation.as_voice().save(path)  # atomic: a killed run leaves no half voice behind
    return str(path)


@task(name="lock-voices", cache_policy=NO_CACHE)
def lock_generated_voices(voices: dict[str, str], output_dir: Path, settings: RenderSettings) -> dict[str, str]:
    """`voices` with every `generate` entry replaced by its locked .npz path. Its own task, with the
    engine of the lent pool (the book run's: its in-process chapters then reuse that engine)."""
    pool = lent_pool()
    return {speaker: lock_voice(speaker, output_dir, settings, pool) if name == GENERATE else name
            for speaker, name in voices.items()}


def resolve_voices(voices: dict[str, str], output_dir: Path, settings: RenderSettings) -> dict[str, str]:
    """`voices` ready to plan: every named voice checked first (an unknown one fails before a generated one
    costs anything), then each `generate` made once and locked (its own task, with the lent pool's engine)."""
    voice_digests(set(voices.values()))
    return lock_generated_voices(voices, output_dir, settings) if GENERATE in voices.values() else voices
