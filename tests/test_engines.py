"""The engine pool: one engine per key naming all that changes it, checked against the plan, freed on close."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prefect import flow

from bark_model import GenerationParams, load_voice, resolve_model
from bark_model.engine import engine_fingerprint
from bark_model.random_tiny import write_random_checkpoints
from tasks.render.engines import EngineKey, EnginePool, EngineTaskRunner, PlanMismatchError
from tasks.core.errors import BarkbookError
from tasks.manuscript.ingest import read_manuscript
from tasks.text.lexicon import NO_LEXICON
from planning import plan_of
from tasks.plan import RenderSettings
from tasks.render.segments import render_segments
from tasks.text.segment import segment_book

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"
SETTINGS = RenderSettings(model="small", model_fingerprint="f1", device="cpu", dtype="float32", seed=0, batch_size=8)


@pytest.mark.parametrize("change", [
    dict(model_fingerprint="f2"), dict(device="cuda"), dict(dtype="bfloat16"), dict(compile=True),
    dict(params=GenerationParams(autocast="bfloat16")), dict(batch_size=4),
], ids=["files", "device", "dtype", "compile", "autocast", "max-batch"])
def test_the_engine_key_names_everything_that_changes_the_engine(change):
    assert EngineKey.of(SETTINGS.model_copy(update=change)) != EngineKey.of(SETTINGS)


def test_settings_that_do_not_touch_the_engine_share_it():
    same = SETTINGS.model_copy(update={"seed": 5, "qc_mode": "off", "takes": 4, "params": GenerationParams(text_temp=0.6)})
    assert EngineKey.of(same) == EngineKey.of(SETTINGS)


def pinned_key(folder: Path, max_batch: int | None = None, compile: bool = False) -> EngineKey:
    return EngineKey(str(folder), engine_fingerprint(resolve_model(str(folder)), "cpu", "float32", compile),
                     "cpu", "float32", compile=compile, max_batch=max_batch)


def test_each_key_gets_its_own_engine_and_keeps_its_batch_size(tiny_model_dir):
    """torch.compile is lazy: loading a compiled engine compiles nothing yet."""
    with EnginePool() as pool:
        eight = pool.engine(pinned_key(tiny_model_dir, max_batch=8))
        four = pool.engine(pinned_key(tiny_model_dir, max_batch=4))
        compiled = pool.engine(pinned_key(tiny_model_dir, max_batch=8, compile=True))
        assert pool.engine(pinned_key(tiny_model_dir, max_batch=8)) is eight
        assert (eight.max_batch, four.max_batch) == (8, 4)
        assert (eight.engine.compiled, compiled.engine.compiled) == (False, True)


def batcher_threads() -> int:
    return sum(t.name == "bark-batcher" for t in threading.enumerate())


def test_closing_the_pool_stops_its_engines_threads_and_refuses_more_work(tiny_model_dir):
    before = batcher_threads()
    with EnginePool() as pool:
        pool.engine(pinned_key(tiny_model_dir, max_batch=2))
        assert batcher_threads() == before + 1
    assert batcher_threads() == before
    with pytest.raises(BarkbookError, match="closed"):
        pool.engine(pinned_key(tiny_model_dir, max_batch=2))


def test_a_mismatch_is_found_once_per_pool_not_once_per_segment():
    opened = []

    def open_voice(name, digest):
        opened.append(name)
        raise PlanMismatchError(f"voice {name!r} is not what the plan pinned")

    with EnginePool(open_voice=open_voice) as pool:
        for _ in range(3):
            with pytest.raises(PlanMismatchError):
                pool.voice("narrator.npz", "d1")
    assert opened == ["narrator.npz"]


@pytest.fixture(scope="module")
def book():
    book = read_manuscript(SAMPLE)
    return book, segment_book(book, lexicon=NO_LEXICON)


def plan(book, tmp_path: Path, model: Path, voice: str | None = None):
    return plan_of(*book, RenderSettings(model=str(model)), voice=voice)


def render_first_segment(planned, storage: Path):
    """The book's first segment through the render task, in a flow run that owns its engine pool."""
    chapter = planned.chapters[0]

    @flow(task_runner=EngineTaskRunner())
    def one_segment():
        return render_segments.with_options(result_storage=storage)(chapter.model_copy(update={"segments": chapter.segments[:1]}))

    return one_segment()


def records(storage: Path) -> list[str]:
    """Cache records in `storage` (takes and segments, named by their keys; Prefect also keeps the
    exception of a failed task there, under a random name)."""
    return [p.name for p in storage.glob("render-*")]


def test_other_model_files_behind_the_planned_name_fail_the_render_and_store_nothing(prefect_harness, book, tmp_path):
    folder = write_random_checkpoints(tmp_path / "model", seed=0)
    planned = plan(book, tmp_path, folder)
    write_random_checkpoints(folder, seed=1)  # another seed's weights, same file names
    pinned = planned.chapters[0].settings.model_fingerprint
    found = engine_fingerprint(resolve_model(str(folder)), "cpu", "float32")
    expected = f"model '{folder}' is not what the plan pinned: planned {pinned[:16]}, found {found[:16]}"
    with pytest.raises(PlanMismatchError, match=re.escape(expected)):
        render_first_segment(planned, tmp_path / "store")
    assert records(tmp_path / "store") == []


def test_a_voice_file_made_again_after_planning_fails_the_render_and_stores_nothing(
    prefect_harness, book, tiny_model_dir, tmp_path
):
    voice = tmp_path / "narrator.npz"
    load_voice("v2/en_speaker_1").save(voice)
    planned = plan(book, tmp_path, tiny_model_dir, voice=str(voice))
    load_voice("v2/en_speaker_2").save(voice)  # made again: other tokens under the same name
    pinned, found = load_voice("v2/en_speaker_1").digest(), load_voice("v2/en_speaker_2").digest()
    expected = f"voice '{voice}' is not what the plan pinned: planned {pinned[:16]}, found {found[:16]}"
    with pytest.raises(PlanMismatchError, match=re.escape(expected)):
        render_first_segment(planned, tmp_path / "store")
    assert records(tmp_path / "store") == []


def test_a_voice_is_lent_while_an_engine_is_still_loading_and_each_engine_loads_once():
    loading, release, loads = threading.Event(), threading.Event(), []

    def open_engine(key):
        loads.append(key)
        loading.set()
        release.wait(timeout=30)
        return "engine"

    with EnginePool(open_engine=open_engine, open_voice=lambda name, digest: f"voice {name}") as pool:
        key = EngineKey("m", "f", "cpu", "float32")
        with ThreadPoolExecutor(max_workers=3) as threads:
            first, second = threads.submit(pool.engine, key), threads.submit(pool.engine, key)
            assert loading.wait(timeout=30)
            voice = threads.submit(pool.voice, "narrator.npz", "d1")
            assert voice.result(timeout=10) == "voice narrator.npz"  # not behind the loading engine
            release.set()
            assert first.result(timeout=30) == second.result(timeout=30) == "engine"
        assert loads == [key]
