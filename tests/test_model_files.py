"""Model files: the official formats, safe loading, and a clear error for every broken file."""

import shutil
import zipfile

import numpy as np
import pytest
import torch

from bark_model.checkpoints import load_bark_models, resolve_model, safe_load
from bark_model.errors import CheckpointError, ModelNotAvailableError
from bark_model.random_tiny import random_tiny_folder, write_random_checkpoints
from bark_model.tokenizer import TextTokenizer

FILES = ["text.pt", "coarse.pt", "fine.pt", "encodec_24khz-d7cc33bc.th", "vocab.txt"]


@pytest.fixture
def model_copy(tiny_model_dir, tmp_path):
    return shutil.copytree(tiny_model_dir, tmp_path / "model")


def pickle_bytes(path):
    with zipfile.ZipFile(path) as z:
        return z.read(next(n for n in z.namelist() if n.endswith("data.pkl")))


def test_random_checkpoints_use_the_official_layout(tiny_model_dir):
    assert sorted(p.name for p in tiny_model_dir.iterdir()) == sorted(FILES)
    checkpoint = safe_load(tiny_model_dir / "text.pt")
    assert set(checkpoint) == {"model", "model_args", "best_val_loss", "iter_num", "config"}
    assert all(k.startswith("_orig_mod.") for k in checkpoint["model"])
    assert any(k.endswith(".attn.bias") for k in checkpoint["model"])
    assert checkpoint["model_args"]["input_vocab_size"] == 129_600
    assert isinstance(checkpoint["best_val_loss"], np.float64)


def test_numpy_scalar_is_pickled_under_its_numpy_1_name_like_the_published_files(tiny_model_dir):
    data = pickle_bytes(tiny_model_dir / "coarse.pt")
    assert b"numpy.core.multiarray\nscalar" in data and b"numpy._core" not in data


def test_plain_weights_only_load_refuses_it_and_ours_allows_only_that(tiny_model_dir):
    with pytest.raises(Exception, match="scalar"):
        torch.load(tiny_model_dir / "text.pt", weights_only=True)
    assert safe_load(tiny_model_dir / "text.pt")["iter_num"] == 0


def test_writing_is_deterministic(tmp_path):
    a = write_random_checkpoints(tmp_path / "a", seed=3)
    b = write_random_checkpoints(tmp_path / "b", seed=3)
    for name in ("text.pt", "fine.pt"):
        sa, sb = safe_load(a / name)["model"], safe_load(b / name)["model"]
        assert all(torch.equal(sa[k], sb[k]) for k in sa)


def test_random_tiny_is_written_once_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BARKBOOK_CACHE_DIR", str(tmp_path))
    folder = random_tiny_folder()
    stamp = (folder / "text.pt").stat().st_mtime_ns
    assert resolve_model("random-tiny").text == folder / "text.pt"
    assert (folder / "text.pt").stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_folder_with_large_file_names_resolves(model_copy):
    for stage in ("text", "coarse", "fine"):
        (model_copy / f"{stage}.pt").rename(model_copy / f"{stage}_2.pt")
    assert resolve_model(str(model_copy)).fine.name == "fine_2.pt"


def test_legacy_vocab_size_sets_both_vocabularies(model_copy):
    checkpoint = safe_load(model_copy / "fine.pt")
    args = checkpoint["model_args"]
    args["vocab_size"] = args.pop("input_vocab_size")
    del args["output_vocab_size"]
    torch.save(checkpoint, model_copy / "fine.pt")
    assert load_bark_models(resolve_model(str(model_copy))).fine.config.output_vocab_size == 1056


def test_a_missing_file_is_named(model_copy):
    (model_copy / "vocab.txt").unlink()
    with pytest.raises(CheckpointError, match="vocab.txt"):
        resolve_model(str(model_copy))


def test_a_truncated_checkpoint_is_named(model_copy):
    data = (model_copy / "coarse.pt").read_bytes()
    (model_copy / "coarse.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match=r"coarse\.pt: unreadable or truncated"):
        load_bark_models(resolve_model(str(model_copy)))


def test_wrong_shapes_are_named(model_copy, tmp_path):
    other = write_random_checkpoints(tmp_path / "other", bias=False)
    shutil.copy(other / "text.pt", model_copy / "text.pt")
    checkpoint = safe_load(model_copy / "text.pt")
    checkpoint["model_args"]["bias"] = True  # args say bias, weights have none
    torch.save(checkpoint, model_copy / "text.pt")
    with pytest.raises(CheckpointError, match=r"text\.pt: weights do not fit"):
        load_bark_models(resolve_model(str(model_copy)))


def test_a_file_that_is_not_a_bark_checkpoint_is_named(model_copy):
    torch.save({"weights": torch.zeros(3)}, model_copy / "fine.pt")
    with pytest.raises(CheckpointError, match=r"fine\.pt: not a Bark checkpoint"):
        load_bark_models(resolve_model(str(model_copy)))


def test_a_pickled_object_is_refused_not_executed(model_copy):
    torch.save({"model": {}, "model_args": {}, "evil": object()}, model_copy / "text.pt")
    with pytest.raises(CheckpointError, match=r"text\.pt: refused by safe loading, it pickles (builtins\.)?object"):
        load_bark_models(resolve_model(str(model_copy)))


def test_unknown_model_names_the_choices():
    with pytest.raises(ModelNotAvailableError, match="random-tiny"):
        resolve_model("medium")


def test_tokenizer_matches_the_references_bert_tokenizer(tiny_model_dir):
    from transformers import BertTokenizer

    ours = TextTokenizer.from_vocab(tiny_model_dir / "vocab.txt")
    ref = BertTokenizer(str(tiny_model_dir / "vocab.txt"), do_lower_case=False)
    texts = ["Hello world, this is a test.", "Café déjà vu, naïve señor — ¿qué tal?", "你好，世界。",
             "[laughs] well ♪ la la ♪", "Mr. Smith paid $3.50 at 10:30 a.m.!", "unbelievably-long-hyphenated words",
             "emoji 🙂 and tabs\tand\nnewlines", "ALL CAPS SHOUTING", "x" * 150]
    for text in texts:
        assert ours.encode(text) == ref.encode(text, add_special_tokens=False), text
