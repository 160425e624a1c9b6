"""Random-weight checkpoints: the exact official formats, seeded, and the shared random-tiny folder."""

import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest
import torch

from bark_model.checkpoints import safe_load
from bark_model.random_tiny import model_args, official_layout, random_tiny_folder, tiny_vocab, write_random_checkpoints
from bark_model.tokenizer import TextTokenizer
from reference_oracle import reference_bark

STAGES = ("text", "coarse", "fine")
OFFICIAL_VOCABS = {"text": (129_600, 10_048), "coarse": (12_096, 12_096), "fine": (1_056, 1_056)}


def pickle_bytes(path):
    with zipfile.ZipFile(path) as z:
        return z.read(next(n for n in z.namelist() if n.endswith("data.pkl")))


def test_a_folder_holds_the_official_file_names(tiny_model_dir):
    expected = {"text.pt", "coarse.pt", "fine.pt", "encodec_24khz-d7cc33bc.th", "vocab.txt"}
    assert {p.name for p in tiny_model_dir.iterdir()} == expected


def test_suffix_2_gives_the_large_file_names(tmp_path):
    write_random_checkpoints(tmp_path, suffix="_2")
    assert {"text_2.pt", "coarse_2.pt", "fine_2.pt"} <= {p.name for p in tmp_path.iterdir()}


@pytest.mark.parametrize("stage", STAGES)
def test_each_checkpoint_is_the_official_dict(tiny_model_dir, stage):
    checkpoint = safe_load(tiny_model_dir / f"{stage}.pt")
    assert set(checkpoint) == {"model", "model_args", "best_val_loss", "iter_num", "config"}
    assert all(k.startswith("_orig_mod.") for k in checkpoint["model"])
    args = checkpoint["model_args"]
    assert (args["input_vocab_size"], args["output_vocab_size"]) == OFFICIAL_VOCABS[stage]
    assert (args["block_size"], args["dropout"], args["n_layer"], args["n_head"]) == (1024, 0.0, 2, 2)
    assert type(checkpoint["best_val_loss"]) is np.float64


def test_fine_args_name_eight_codebooks_one_given(tiny_model_dir):
    args = safe_load(tiny_model_dir / "fine.pt")["model_args"]
    assert (args["n_codes_total"], args["n_codes_given"]) == (8, 1)


def test_the_numpy_scalar_is_pickled_under_its_numpy_1_name(tiny_model_dir):
    for stage in STAGES:
        data = pickle_bytes(tiny_model_dir / f"{stage}.pt")
        assert b"numpy.core.multiarray\nscalar\n" in data and b"numpy._core" not in data


def test_plain_weights_only_loading_refuses_them_like_the_published_files(tiny_model_dir):
    with pytest.raises(Exception, match="numpy.core.multiarray.scalar"):
        torch.load(tiny_model_dir / "text.pt", weights_only=True)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("bias", [True, False])
def test_keys_and_shapes_are_the_reference_models_state_dict(stage, bias):
    bark = reference_bark()
    args = model_args(stage, "tiny", bias)
    if stage == "fine":
        reference = bark.model_fine.FineGPT(bark.model_fine.FineGPTConfig(**args))
    else:
        reference = bark.model.GPT(bark.model.GPTConfig(**args))
    expected = {k: tuple(v.shape) for k, v in reference.state_dict().items()}
    layout = official_layout(stage, args)
    assert {k: v for k, v in layout.items() if not k.endswith(".attn.bias")} == expected
    n_masks = sum(k.endswith(".attn.bias") for k in layout)
    assert n_masks == (0 if stage == "fine" else args["n_layer"])


def test_causal_stages_carry_lower_triangular_mask_buffers(tiny_model_dir):
    state = safe_load(tiny_model_dir / "coarse.pt")["model"]
    mask = state["_orig_mod.transformer.h.1.attn.bias"]
    assert mask.shape == (1, 1, 1024, 1024) and torch.equal(mask[0, 0], torch.tril(torch.ones(1024, 1024)))


def test_fine_heads_are_stored_tied_to_the_codebook_embeddings(tiny_model_dir):
    state = safe_load(tiny_model_dir / "fine.pt")["model"]
    for i in range(7):
        head, table = state[f"_orig_mod.lm_heads.{i}.weight"], state[f"_orig_mod.transformer.wtes.{i + 1}.weight"]
        assert head.data_ptr() == table.data_ptr()


def test_weights_are_random_but_layer_norms_stay_near_identity(tiny_model_dir):
    state = safe_load(tiny_model_dir / "text.pt")["model"]
    ln_weight, ln_bias = state["_orig_mod.transformer.h.0.ln_1.weight"], state["_orig_mod.transformer.h.0.ln_1.bias"]
    assert not torch.equal(ln_weight, torch.ones_like(ln_weight)) and abs(ln_weight.mean() - 1) < 0.1
    assert not torch.equal(ln_bias, torch.zeros_like(ln_bias)) and abs(ln_bias.mean()) < 0.1
    c_fc = state["_orig_mod.transformer.h.0.mlp.c_fc.weight"]
    assert 0.015 < c_fc.std() < 0.025


def test_bias_false_leaves_out_every_linear_and_norm_bias_of_causal_stages(tmp_path):
    write_random_checkpoints(tmp_path, bias=False)
    keys = safe_load(tmp_path / "text.pt")["model"]
    assert [k for k in keys if k.endswith(".bias") and not k.endswith(".attn.bias")] == []


def test_the_same_seed_writes_the_same_bytes_and_another_seed_other_weights(tmp_path):
    a, b, c = (write_random_checkpoints(tmp_path / name, seed=seed) for name, seed in (("a", 3), ("b", 3), ("c", 4)))
    for name in ("text.pt", "fine.pt", "encodec_24khz-d7cc33bc.th", "vocab.txt"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    wte = "_orig_mod.transformer.wte.weight"
    assert not torch.equal(safe_load(a / "text.pt")["model"][wte], safe_load(c / "text.pt")["model"][wte])


def test_vocab_has_mbert_special_ids_and_no_duplicates():
    vocab = tiny_vocab()
    assert [vocab.index(t) for t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")] == [0, 100, 101, 102, 103]
    assert len(vocab) == len(set(vocab)) and len(vocab) < 119_547


def test_vocab_gives_real_ids_to_english_accented_and_cjk_text(tiny_model_dir):
    tokenizer = TextTokenizer.from_vocab(tiny_model_dir / "vocab.txt")
    vocab = tiny_vocab()
    for text in ("Hello there, the old man said.", "Café déjà vu, señor Müller!", "你好，世界。", "♪ la la ♪ — well…"):
        ids = tokenizer.encode(text)
        assert ids and 100 not in ids, text
    assert [vocab[i] for i in tokenizer.encode("the house")] == ["the", "house"]


def test_random_tiny_is_written_once_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BARKBOOK_CACHE_DIR", str(tmp_path))
    folder = random_tiny_folder()
    assert folder == tmp_path / "random-tiny-v2"
    stamp = (folder / "text.pt").stat().st_mtime_ns
    assert random_tiny_folder() == folder
    assert (folder / "text.pt").stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == ["random-tiny-v2"]


def test_concurrent_processes_share_one_complete_random_tiny_folder(tmp_path):
    code = "from bark_model.random_tiny import random_tiny_folder; print(random_tiny_folder())"
    env = dict(os.environ, BARKBOOK_CACHE_DIR=str(tmp_path))
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0].strip() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert outputs == [str(tmp_path / "random-tiny-v2")] * 2
    assert [p.name for p in tmp_path.iterdir()] == ["random-tiny-v2"]
    assert safe_load(tmp_path / "random-tiny-v2" / "fine.pt")["model_args"]["n_codes_total"] == 8
