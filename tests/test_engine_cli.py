"""`python -m bark_model`: one text or a file of lines to WAVs, tokens and voices."""

import subprocess
import sys

import numpy as np
import pytest
import soundfile
import torch

from bark_model import BarkEngine, GenerationParams
from bark_model.cli import main


def test_text_to_wav_with_tokens_and_a_saved_voice(tiny_model_dir, tmp_path, capsys):
    args = ["--text", "Hello there.", "--model", str(tiny_model_dir), "--voice", "v2/en_speaker_6",
            "--greedy", "--max-seconds", "0.6", "--seed", "3", "--out", str(tmp_path / "hello.wav"),
            "--save-tokens", str(tmp_path / "tokens.npz"), "--save-voice", str(tmp_path / "voice.npz")]
    assert main(args) == 0
    audio, rate = soundfile.read(tmp_path / "hello.wav", dtype="float32")
    assert rate == 24_000 and audio.ndim == 1
    with np.load(tmp_path / "tokens.npz", allow_pickle=False) as tokens:
        assert tokens["semantic_prompt"].ndim == 1
        assert tokens["coarse_prompt"].shape[0] == 2 and tokens["fine_prompt"].shape[0] == 8
        assert len(audio) == 320 * tokens["fine_prompt"].shape[1]
    assert (tmp_path / "voice.npz").is_file()
    assert "wrote 1 file" in capsys.readouterr().out


def test_a_text_file_renders_one_numbered_wav_per_line_in_batches(tiny_model_dir, tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_text("First line.\n\nSecond, longer line.\nThird.\n")
    args = ["--text-file", str(lines), "--model", str(tiny_model_dir), "--max-seconds", "0.4",
            "--batch-size", "2", "--out-dir", str(tmp_path / "out"), "--save-tokens"]
    assert main(args) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "0001.npz", "0001.wav", "0002.npz", "0002.wav", "0003.npz", "0003.wav"]


def test_a_bad_voice_is_one_line_on_stderr_and_exit_2(tiny_model_dir, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bark_model", "--text", "Hi.", "--model", str(tiny_model_dir),
         "--voice", "v2/en_speakr_6", "--out", str(tmp_path / "x.wav")],
        capture_output=True, text=True,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "en_speakr_6" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "x.wav").exists()


def test_an_offline_hub_model_says_what_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    result = subprocess.run(
        [sys.executable, "-m", "bark_model", "--text", "Hi.", "--model", "small", "--out", str(tmp_path / "x.wav")],
        capture_output=True, text=True, env={**__import__("os").environ},
    )
    assert result.returncode == 2
    assert "suno/bark/text.pt" in result.stderr and "random-tiny" in result.stderr


def test_fast_modes_reach_the_engine_and_still_write_audio(tiny_model_dir, tmp_path):
    args = ["--text", "Hello there.", "--model", str(tiny_model_dir), "--max-seconds", "0.6",
            "--max-coarse-history", "60", "--autocast", "bfloat16", "--out", str(tmp_path / "fast.wav")]
    assert main(args) == 0
    audio, _ = soundfile.read(tmp_path / "fast.wav", dtype="float32")
    fast = GenerationParams(max_semantic_seconds=0.6, max_coarse_history=60, autocast="bfloat16")
    expected = BarkEngine.load(str(tiny_model_dir)).generate("Hello there.", params=fast, seed=0).audio
    np.testing.assert_array_equal(audio, expected)  # what the engine makes in that mode, written as float WAV


def test_a_failing_torch_compile_is_one_line_naming_the_way_out(tiny_model_dir, tmp_path, monkeypatch, capsys):
    """torch.compile fails lazily, at the first decode step (here: as if no C++ compiler were found)."""

    def failing_compile(step, **_):
        def first_call(*args, **kwargs):
            raise torch._dynamo.exc.InternalTorchDynamoError("InvalidCxxCompiler: No working C++ compiler found")

        return first_call

    monkeypatch.setattr(torch, "compile", failing_compile)
    assert main(["--text", "Hi.", "--model", str(tiny_model_dir), "--max-seconds", "0.4",
                 "--out", str(tmp_path / "x.wav"), "--compile"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("bark_model: error: torch.compile failed on this machine (InvalidCxxCompiler: No working C++ "
                   "compiler found); render without --compile")
    assert not (tmp_path / "x.wav").exists()


@pytest.mark.parametrize("value, reason", [("59", "59 is not in 60..630"), ("631", "631 is not in 60..630"),
                                           ("sixty", "'sixty' is not an integer")])
def test_a_coarse_history_out_of_range_is_a_usage_error_naming_the_option(value, reason, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--text", "Hi.", "--model", "random-tiny", "--max-coarse-history", value])
    assert exit.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last == f"python -m bark_model: error: argument --max-coarse-history: {reason}"
