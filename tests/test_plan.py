"""The plan: voices and model resolved (failing fast), chapters laid out, content keys that track content."""

from pathlib import Path

import pytest

from bark_model import GenerationParams, load_voice
from bark_model.errors import ModelNotAvailableError, VoiceError
from tasks.render.engines import EnginePool, lend
from tasks.manuscript.ingest import read_manuscript
from tasks.text.lexicon import NO_LEXICON
from planning import plan_of
from tasks.plan import RenderSettings, estimated_render_seconds, voice_map
from tasks.plan.defaults import DEFAULT_VOICE
from tasks.text.speakers import NARRATOR
from tasks.render.segments import segment_cache_key
from tasks.text.segment import segment_book

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"


@pytest.fixture(scope="module")
def book():
    book = read_manuscript(SAMPLE)
    return book, segment_book(book, lexicon=NO_LEXICON)


def plan(book, tmp_path, voice=None, voices=None, model="random-tiny", batch_size=8, **options):
    """The book's chapters planned (the spoken credits, tested in test_package.py, left out)."""
    settings = RenderSettings(model=model, batch_size=batch_size, **options)
    return plan_of(*book, settings, voice=voice, voices=voices, credits=None, output_dir=tmp_path)


def test_voice_map_prefers_the_call_then_the_book_then_the_default(book):
    assert voice_map(book[0], None, None) == {NARRATOR: book[0].voice or DEFAULT_VOICE}
    assert voice_map(book[0], "v2/en_speaker_1", {"Fox": "v2/en_speaker_2"}) == {
        NARRATOR: "v2/en_speaker_1", "Fox": "v2/en_speaker_2"}


def test_every_segment_is_planned_with_its_voice_bytes_pinned(book, tmp_path):
    result = plan(book, tmp_path)
    assert len(result.chapters) == 3 and result.segment_count == len(book[1])
    digest = load_voice(DEFAULT_VOICE).digest()
    assert {(s.voice, s.voice_digest) for c in result.chapters for s in c.segments} == {(DEFAULT_VOICE, digest)}


def test_content_keys_follow_the_text_not_the_batch_size(book, tmp_path):
    first, bigger = plan(book, tmp_path), plan(book, tmp_path, batch_size=32)
    assert [c.content_key() for c in first.chapters] == [c.content_key() for c in bigger.chapters]
    edited = first.chapters[1].model_copy(deep=True)
    edited.segments[0].spoken += " Indeed."
    assert edited.content_key() != first.chapters[1].content_key()


def first_segment_key(chapter) -> str:
    """The cache key of the chapter's first segment's record."""
    return segment_cache_key(chapter.segments[0], chapter.settings)


@pytest.mark.parametrize("options", [
    dict(params=GenerationParams(autocast="bfloat16")),
    dict(params=GenerationParams(max_coarse_history=60)),
    dict(compile=True),
], ids=["autocast", "coarse-history", "compile"])
def test_every_fast_mode_changes_the_segment_and_chapter_keys(book, tmp_path, options):
    """A segment rendered in one mode is never reused for another, nor is a chapter's mastered file."""
    exact, fast = plan(book, tmp_path).chapters[0], plan(book, tmp_path, **options).chapters[0]
    assert first_segment_key(fast) != first_segment_key(exact)
    assert fast.content_key() != exact.content_key()


def test_compile_reaches_the_render_calls_and_the_fingerprint(book, tmp_path):
    exact, compiled = plan(book, tmp_path).chapters[0], plan(book, tmp_path, compile=True).chapters[0]
    assert (compiled.settings.compile, exact.settings.compile) == (True, False)
    assert compiled.settings.model_fingerprint != exact.settings.model_fingerprint


def test_unknown_voices_and_models_fail_before_anything_is_generated(book, tmp_path):
    with pytest.raises(VoiceError, match="en_speaker_66"):
        plan(book, tmp_path, voice="v2/en_speaker_66", voices={"Fox": "generate"})
    assert not (tmp_path / "voices").exists()  # the bad name stopped the plan before a voice was made
    with pytest.raises(ModelNotAvailableError, match="medium"):
        plan(book, tmp_path, model="medium")


def test_a_generated_voice_is_locked_beside_the_outputs_and_used_everywhere(prefect_harness, book, tmp_path):
    with EnginePool() as pool, lend(pool):  # the book run's engines (its voice task uses them)
        result = plan(book, tmp_path, voice="generate")
    path = tmp_path / "voices" / "narrator.npz"
    assert {s.voice for c in result.chapters for s in c.segments} == {str(path)}
    assert result.chapters[0].segments[0].voice_digest == load_voice(path).digest()


def test_estimates_exist_only_where_measured():
    seconds, machine = estimated_render_seconds(100.0, "random-tiny", "cpu")
    assert seconds > 0 and machine
    assert estimated_render_seconds(100.0, "my-own-folder", "cpu") is None
