"""flows/options.py: the command's choices are the pipeline's, and its checks answer without the pipeline."""

import subprocess
import sys
from pathlib import Path
from typing import get_args

import numpy as np
import pytest
import typer

from bark_model import generation
from bark_model.errors import ModelNotAvailableError
from flows import options
from flows.request import RenderRequest
from tasks.manuscript import NotesPolicy, StageDirections, read_manuscript
from tasks.master import AudioFormat
from tasks.package import SAMPLE_MINUTES, TargetName
from tasks.plan import CAST_MODES, GENERATE, CastMode
from tasks.plan.defaults import DEFAULT_VOICE
from tasks.qc import MAX_ROUNDS, MAX_TAKES, QCMode
from tasks.qc.settings import ENGINES
from tasks.text import NO_LEXICON, segment_book

SAMPLE = Path(__file__).parents[1] / "manuscripts" / "aesop-fables.md"


def literal_of(field: str) -> tuple:
    """The values a RenderRequest field takes (its Literal, inside Optional or list where it is)."""
    annotation = RenderRequest.model_fields[field].annotation
    while get_args(annotation) and not all(isinstance(a, str) for a in get_args(annotation)):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    return get_args(annotation)


@pytest.mark.parametrize("choices, pipeline", [
    (options.FORMATS, get_args(AudioFormat)), (options.TARGETS, get_args(TargetName)),
    (options.QC_MODES, get_args(QCMode)), (options.NOTES_POLICIES, get_args(NotesPolicy)),
    (options.STAGE_DIRECTIONS, get_args(StageDirections)),
    (options.DEVICES, literal_of("device")), (options.DTYPES, literal_of("dtype")),
    (options.AUTOCAST_DTYPES, tuple(generation.AUTOCAST_DTYPES)), (options.AUTOCAST_DTYPES, literal_of("autocast")),
    (options.QC_ENGINES, tuple(ENGINES)), (options.CAST_MODES, get_args(CastMode)), (options.CAST_MODES, CAST_MODES),
    ((options.MAX_TAKES, options.MAX_ROUNDS, options.SAMPLE_MINUTES), (MAX_TAKES, MAX_ROUNDS, SAMPLE_MINUTES)),
    ((options.GENERATE, options.DEFAULTS.voice), (GENERATE, DEFAULT_VOICE)),
])
def test_the_commands_choices_are_the_pipelines(choices, pipeline):
    assert tuple(choices) == tuple(pipeline)


def test_the_commands_defaults_are_the_requests():
    fields = RenderRequest.model_fields
    for name in ("output_dir", "model", "target", "cast", "sample_minutes", "device", "dtype", "seed", "takes",
                 "max_attempts", "notes", "stage_directions"):
        assert getattr(options.DEFAULTS, name) == fields[name].default, name


def test_the_options_module_loads_no_torch_prefect_or_pandas():
    code = "import sys, flows.cli; print(sorted(m for m in ('torch', 'prefect', 'pandas') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "[]", done.stderr[-2000:]


def test_a_choice_names_the_values_and_the_closest_one():
    with pytest.raises(typer.BadParameter, match=r"'acz' is not one of generic, acx, .*; did you mean acx\?"):
        options.Choice(options.TARGETS)("acz")


def test_several_choices_are_checked_each_and_kept_once_in_order():
    formats = options.Choice(options.FORMATS, several=True)
    assert formats("MP3, wav,mp3") == "mp3,wav"
    with pytest.raises(typer.BadParameter, match="'ogg' is not one of"):
        formats("wav,ogg")
    assert formats.complete("wav,m") == ["wav,mp3", "wav,m4b"]


def test_voices_are_presets_generate_or_a_valid_voice_file(tmp_path):
    assert options.voice_name("v2/de_speaker_3") == "v2/de_speaker_3" and options.voice_name(GENERATE) == GENERATE
    good = tmp_path / "good.npz"
    np.savez(good, semantic_prompt=np.zeros(4, np.int64), coarse_prompt=np.zeros((2, 6), np.int64),
             fine_prompt=np.zeros((8, 6), np.int64))
    assert options.voice_name(str(good)) == str(good)
    with pytest.raises(typer.BadParameter, match="did you mean v2/en_speaker_6"):
        options.voice_name("v2/en_speakr_6")
    assert options.complete_voice("v2/fr_speaker_1") == ["v2/fr_speaker_1"]


def test_an_output_folder_is_checked_without_being_made(tmp_path):
    assert options.output_folder(str(tmp_path / "new" / "book")) == tmp_path / "new" / "book"
    assert list(tmp_path.iterdir()) == []


def test_a_model_not_cached_is_refused_at_once_offline_and_announced_online(tmp_path, monkeypatch):
    for var in ("HF_HOME", "TORCH_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(options, "hub_unreachable", lambda: pytest.fail("asked the hub while offline"))
    with pytest.raises(ModelNotAvailableError, match=r"model 'small' is not cached and we are offline"):
        options.check_model_available("small")
    monkeypatch.delenv("HF_HUB_OFFLINE")
    monkeypatch.setattr(options, "hub_unreachable", lambda: None)  # the hub answers
    assert options.check_model_available("large") == "model 'large' is not cached: downloading 5 files on first use"
    assert options.check_model_available("random-tiny") is None


def test_a_retake_id_is_what_the_segmenter_makes():
    book = read_manuscript(SAMPLE)
    ids = list(segment_book(book, lexicon=NO_LEXICON).id)
    assert options.retake_ids(f"{ids[0]}, {ids[1]},{ids[0]}") == f"{ids[0]},{ids[1]}"
    with pytest.raises(typer.BadParameter, match="16 hex digits"):
        options.retake_ids("2.3")
