"""Model files: resolving names and folders, offline behaviour, fingerprints, safe and strict loading."""

import os
import shutil
import socket

import numpy as np
import pytest
import torch

from bark_model import checkpoints
from bark_model.checkpoints import ModelFiles, load_bark_models, resolve_model, safe_load
from bark_model.errors import CheckpointError, ModelNotAvailableError
from bark_model.paths import ENCODEC_FILE as ENCODEC
from bark_model.paths import default_cache_dir
from bark_model.tokenizer import TextTokenizer


@pytest.fixture(autouse=True)
def isolated_caches(tmp_path, monkeypatch):
    """Every cache a resolve may look in points at an empty folder, and the network is cut."""
    for var in ("BARKBOOK_CACHE_DIR", "HF_HOME", "TORCH_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / "caches" / var.lower()))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)

    def no_network(*args, **kwargs):
        raise AssertionError("a test tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)


@pytest.fixture
def model_copy(tiny_model_dir, tmp_path):
    return shutil.copytree(tiny_model_dir, tmp_path / "model")


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


def edit_checkpoint(path, edit):
    checkpoint = safe_load(path)
    edit(checkpoint)
    torch.save(checkpoint, path)


def hf_cache_with(repo, files, source):
    """Lay `files` (copied from `source`) out as huggingface_hub's cache of `repo` at one commit."""
    repo_dir = os.environ["HF_HOME"] + f"/hub/models--{repo.replace('/', '--')}"
    commit = "0123456789abcdef0123456789abcdef01234567"
    os.makedirs(f"{repo_dir}/snapshots/{commit}", exist_ok=True)
    os.makedirs(f"{repo_dir}/refs", exist_ok=True)
    with open(f"{repo_dir}/refs/main", "w") as f:
        f.write(commit)
    for name in files:
        shutil.copy(source / name.replace("_2", ""), f"{repo_dir}/snapshots/{commit}/{name}")


def torch_hub_with_codec(source):
    folder = torch.hub.get_dir() + "/checkpoints"
    os.makedirs(folder)
    shutil.copy(source / ENCODEC, folder)


# --- resolving -------------------------------------------------------------------------------

def test_a_folder_resolves_to_its_five_files(model_copy):
    files = resolve_model(model_copy)
    assert files.paths() == tuple(model_copy / n for n in ("text.pt", "coarse.pt", "fine.pt", ENCODEC, "vocab.txt"))


def test_a_folder_with_the_large_file_names_resolves(model_copy):
    for stage in ("text", "coarse", "fine"):
        (model_copy / f"{stage}.pt").rename(model_copy / f"{stage}_2.pt")
    assert resolve_model(str(model_copy)).fine.name == "fine_2.pt"


def test_a_folder_missing_a_file_names_it(model_copy):
    (model_copy / "vocab.txt").unlink()
    with pytest.raises(CheckpointError, match=r"model: missing vocab\.txt;"):
        resolve_model(model_copy)


def test_random_tiny_resolves_to_its_cache_folder(tiny_model_dir):
    folder = default_cache_dir() / "random-tiny-v2"
    shutil.copytree(tiny_model_dir, folder)  # already written: nothing to do but find it
    assert resolve_model("random-tiny") == ModelFiles("random-tiny", *resolve_model(folder).paths())


def test_an_unknown_name_lists_the_choices():
    with pytest.raises(ModelNotAvailableError, match=r"unknown model 'medium'.*small, large, random-tiny, or a folder"):
        resolve_model("medium")


@pytest.mark.parametrize("name, files", [("small", "text.pt, coarse.pt, fine.pt"),
                                         ("large", "text_2.pt, coarse_2.pt, fine_2.pt")])
def test_offline_and_not_cached_is_one_error_naming_every_missing_file(offline, name, files):
    with pytest.raises(ModelNotAvailableError) as caught:
        resolve_model(name)
    message = str(caught.value)
    for filename in files.split(", ") + ["bert-base-multilingual-cased/vocab.txt", ENCODEC]:
        assert filename in message
    assert "offline" in message and "Run once with network access" in message and "random-tiny" in message
    assert caught.value.__cause__ is None and caught.value.__context__ is None  # no chained traceback


def test_offline_argument_overrides_the_environment():
    with pytest.raises(ModelNotAvailableError, match="offline"):
        resolve_model("small", offline=True)


def test_offline_with_everything_cached_resolves_to_the_caches(offline, tiny_model_dir):
    hf_cache_with("suno/bark", ["text_2.pt", "coarse_2.pt", "fine_2.pt"], tiny_model_dir)
    hf_cache_with("bert-base-multilingual-cased", ["vocab.txt"], tiny_model_dir)
    torch_hub_with_codec(tiny_model_dir)
    files = resolve_model("large")
    assert [p.name for p in files.paths()] == ["text_2.pt", "coarse_2.pt", "fine_2.pt", ENCODEC, "vocab.txt"]
    assert all(p.is_file() for p in files.paths())
    assert str(files.text).startswith(os.environ["HF_HOME"]) and str(files.codec).startswith(os.environ["TORCH_HOME"])


def test_the_references_own_cache_is_used_for_the_gpt_files(offline, tiny_model_dir):
    reference_cache = os.environ["XDG_CACHE_HOME"] + "/suno/bark_v0"
    os.makedirs(reference_cache)
    for name in ("text.pt", "coarse.pt", "fine.pt"):
        shutil.copy(tiny_model_dir / name, reference_cache)
    hf_cache_with("bert-base-multilingual-cased", ["vocab.txt"], tiny_model_dir)
    torch_hub_with_codec(tiny_model_dir)
    assert str(resolve_model("small").coarse) == reference_cache + "/coarse.pt"


def test_an_unreachable_hub_is_asked_once_and_is_one_error_naming_every_missing_file():
    """The network is cut (isolated_caches): the hub's one probe fails and nothing is downloaded or retried."""
    with pytest.raises(ModelNotAvailableError, match=r"not cached and the hub does not answer \(.*\); missing: "
                                                     r"suno/bark/text\.pt; .*encodec_24khz-d7cc33bc\.th"):
        resolve_model("small")


def test_failed_downloads_from_a_hub_that_answers_are_one_error(monkeypatch):
    monkeypatch.setattr(checkpoints, "hub_unreachable", lambda: None)  # it answers; each download then fails
    with pytest.raises(ModelNotAvailableError, match=r"could not be downloaded; missing: suno/bark/text\.pt \(.*"
                                                     r"encodec_24khz-d7cc33bc\.th \("):
        resolve_model("small")


def test_offline_never_asks_the_hub(offline, monkeypatch):
    monkeypatch.setattr(checkpoints, "hub_unreachable", lambda: pytest.fail("asked the hub while offline"))
    with pytest.raises(ModelNotAvailableError, match=r"we are offline \(HF_HUB_OFFLINE\)"):
        resolve_model("large")


# --- fingerprints ----------------------------------------------------------------------------

def test_fingerprint_names_the_model_and_follows_the_bytes(model_copy):
    before = resolve_model(model_copy).fingerprint
    assert before.startswith("model-") and before == resolve_model(model_copy).fingerprint
    (model_copy / "vocab.txt").write_text((model_copy / "vocab.txt").read_text() + "extra\n")
    assert resolve_model(model_copy).fingerprint != before


def test_fingerprint_is_memoized_per_path_size_and_mtime(model_copy):
    vocab = model_copy / "vocab.txt"
    before = resolve_model(model_copy).fingerprint
    stat = vocab.stat()
    vocab.write_text(vocab.read_text().replace("[MASK]", "[MOSK]"))  # same size; mtime restored below
    os.utime(vocab, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert resolve_model(model_copy).fingerprint == before
    os.utime(vocab, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert resolve_model(model_copy).fingerprint != before


# --- loading ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def loaded(tiny_model_dir):
    return load_bark_models(resolve_model(tiny_model_dir))


def test_models_load_in_eval_mode_with_the_files_weights(loaded, tiny_model_dir):
    assert not any(m.training for m in (loaded.text, loaded.coarse, loaded.fine, loaded.codec))
    state = safe_load(tiny_model_dir / "coarse.pt")["model"]
    assert torch.equal(loaded.coarse.lm_head.weight, state["_orig_mod.lm_head.weight"])
    assert loaded.text.config.input_vocab_size == 129_600 and loaded.fine.config.n_codes_total == 8


def test_the_fine_heads_are_tied_to_the_codebook_embeddings(loaded):
    for i, head in enumerate(loaded.fine.lm_heads):
        assert head.weight is loaded.fine.transformer.wtes[i + 1].weight


def test_the_gpts_take_the_dtype_and_the_codec_stays_float32(tiny_model_dir):
    models = load_bark_models(resolve_model(tiny_model_dir), dtype=torch.bfloat16)
    assert {p.dtype for m in (models.text, models.coarse, models.fine) for p in m.parameters()} == {torch.bfloat16}
    assert {p.dtype for p in models.codec.parameters()} == {torch.float32}


def test_the_tokenizer_reads_the_vocab(loaded):
    assert loaded.tokenizer.encode("the") == [TextTokenizer.from_vocab(loaded.files.vocab).encode("the")[0]]


def test_a_legacy_single_vocab_size_sets_both_vocabularies(model_copy):
    def legacy(checkpoint):
        args = checkpoint["model_args"]
        args["vocab_size"] = args.pop("input_vocab_size")
        del args["output_vocab_size"]

    edit_checkpoint(model_copy / "fine.pt", legacy)
    fine = load_bark_models(resolve_model(model_copy)).fine
    assert (fine.config.input_vocab_size, fine.config.output_vocab_size) == (1056, 1056)


def test_a_checkpoint_pickled_by_numpy_2_loads_too(model_copy):
    edit_checkpoint(model_copy / "text.pt", lambda checkpoint: None)  # re-saved: numpy._core names
    assert safe_load(model_copy / "text.pt")["best_val_loss"] == np.float64(1.0)


# --- every broken file is named with its problem ----------------------------------------------

def expect_load_error(folder, match):
    files = resolve_model(folder)
    with pytest.raises(CheckpointError, match=match):
        load_bark_models(files)


def test_a_file_gone_after_resolving_is_named(model_copy):
    files = resolve_model(model_copy)
    (model_copy / "text.pt").unlink()
    with pytest.raises(CheckpointError, match=r"text\.pt: file not found"):
        load_bark_models(files)


def test_a_truncated_checkpoint_is_named(model_copy):
    data = (model_copy / "coarse.pt").read_bytes()
    (model_copy / "coarse.pt").write_bytes(data[: len(data) // 2])
    expect_load_error(model_copy, r"coarse\.pt: unreadable or truncated checkpoint")


def test_a_file_that_is_not_a_checkpoint_is_named(model_copy):
    (model_copy / "text.pt").write_text("hello")
    expect_load_error(model_copy, r"text\.pt: unreadable or truncated checkpoint")


@pytest.mark.parametrize("content", [torch.zeros(3), {"model": {}}, {"weights": {}, "model_args": {}}])
def test_a_checkpoint_without_model_and_model_args_is_named(model_copy, content):
    torch.save(content, model_copy / "text.pt")
    expect_load_error(model_copy, r"text\.pt: not a Bark checkpoint \(expected a dict with 'model' and 'model_args'\)")


def test_model_args_lacking_a_field_is_named(model_copy):
    edit_checkpoint(model_copy / "text.pt", lambda c: c["model_args"].pop("n_layer"))
    expect_load_error(model_copy, r"text\.pt: model_args lacks n_layer")


def test_heads_that_do_not_divide_the_width_are_named(model_copy):
    edit_checkpoint(model_copy / "text.pt", lambda c: c["model_args"].update(n_head=3))
    expect_load_error(model_copy, r"text\.pt: model_args n_embd 32 is not a multiple of n_head 3")


def test_missing_and_unexpected_keys_are_listed(model_copy):
    def rename(checkpoint):
        state = checkpoint["model"]
        state["_orig_mod.transformer.h.0.mlp.c_fc.weights"] = state.pop("_orig_mod.transformer.h.0.mlp.c_fc.weight")

    edit_checkpoint(model_copy / "fine.pt", rename)
    expect_load_error(model_copy, r"fine\.pt: weights do not fit its model_args; missing 1 keys: "
                                  r"transformer\.h\.0\.mlp\.c_fc\.weight; unexpected 1 keys: transformer\.h\.0\.mlp\.c_fc\.weights")


def test_wrong_shapes_are_listed(model_copy):
    edit_checkpoint(model_copy / "coarse.pt", lambda c: c["model_args"].update(n_embd=48, n_head=2))
    expect_load_error(model_copy, r"coarse\.pt: weights do not fit its model_args; wrong shapes for \d+ keys: "
                                  r"transformer\.wte\.weight \(12096, 32\) \(expected \(12096, 48\)\)")


def test_a_pickled_object_is_refused_not_executed(model_copy, tmp_path):
    marker = tmp_path / "executed"

    class Trap:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    torch.save({"model": {}, "model_args": {}, "trap": Trap()}, model_copy / "text.pt")
    expect_load_error(model_copy, r"text\.pt: refused by safe loading, it pickles posix\.mkdir")
    assert not marker.exists()


def test_a_codec_file_with_missing_keys_is_named(model_copy):
    state = safe_load(model_copy / ENCODEC)
    del state[next(k for k in state if k.startswith("decoder."))]
    torch.save(state, model_copy / ENCODEC)
    expect_load_error(model_copy, rf"{ENCODEC}: ")


def test_a_vocab_larger_than_the_text_embedding_is_refused(model_copy):
    with open(model_copy / "vocab.txt", "a", encoding="utf-8") as f:
        f.writelines(f"token{i}\n" for i in range(119_547))
    expect_load_error(model_copy, r"vocab\.txt: 165,\d{3} entries, but the text model embeds at most 119,547")
