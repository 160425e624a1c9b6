"""bark_model.cache: which model files are here, found without torch or the network; the hub asked once."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bark_model.cache import ENCODEC_URL, hub_unreachable, model_cache, torch_hub_dir
from bark_model.paths import ENCODEC_FILE


@pytest.fixture(autouse=True)
def empty_caches(tmp_path, monkeypatch):
    for var in ("HF_HOME", "TORCH_HOME", "XDG_CACHE_HOME", "BARKBOOK_CACHE_DIR"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)


def lay_out_hub_cache(repo: str, files: dict[str, bytes]) -> None:
    """`files` as huggingface_hub's cache of `repo` at one commit."""
    root = Path(os.environ["HF_HOME"]) / "hub" / f"models--{repo.replace('/', '--')}"
    commit = "0123456789abcdef0123456789abcdef01234567"
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text(commit)
    (root / "snapshots" / commit).mkdir(parents=True)
    for name, data in files.items():
        (root / "snapshots" / commit / name).write_bytes(data)


def test_nothing_cached_lists_every_file_by_where_it_comes_from():
    cache = model_cache("large")
    assert not cache.complete and cache.size_bytes == 0
    assert cache.missing == ["suno/bark/text_2.pt", "suno/bark/coarse_2.pt", "suno/bark/fine_2.pt", ENCODEC_URL,
                             "bert-base-multilingual-cased/vocab.txt"]


def test_files_in_the_hub_and_torch_caches_are_found_with_their_size():
    lay_out_hub_cache("suno/bark", {"text.pt": b"t" * 10, "coarse.pt": b"c" * 20, "fine.pt": b"f" * 30})
    lay_out_hub_cache("bert-base-multilingual-cased", {"vocab.txt": b"v" * 4})
    (torch_hub_dir() / "checkpoints").mkdir(parents=True)
    (torch_hub_dir() / "checkpoints" / ENCODEC_FILE).write_bytes(b"e" * 6)
    cache = model_cache("small")
    assert cache.complete and cache.missing == [] and cache.size_bytes == 70
    assert [f.path.name for f in cache.files] == ["text.pt", "coarse.pt", "fine.pt", ENCODEC_FILE, "vocab.txt"]


def test_the_references_own_copy_counts_as_cached():
    reference = Path(os.environ["XDG_CACHE_HOME"]) / "suno" / "bark_v0"
    reference.mkdir(parents=True)
    (reference / "coarse.pt").write_bytes(b"c")
    assert model_cache("small").missing[:3] == ["suno/bark/text.pt", "suno/bark/fine.pt", ENCODEC_URL]


def test_looking_in_the_caches_imports_no_torch():
    code = "import sys; from bark_model.cache import model_cache; model_cache('small'); print('torch' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr[-2000:]


def test_an_unreachable_hub_is_asked_once_and_says_why(monkeypatch):
    tries = []

    def refused(*args, **kwargs):
        tries.append(args)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(socket, "create_connection", refused)
    monkeypatch.setattr(socket.socket, "connect", refused)
    reason = hub_unreachable()
    assert reason is not None and "refused" in reason.lower() and len(tries) == 1


def test_bark_models_public_names_are_its_modules_and_load_on_first_use():
    code = ("import sys, bark_model; names = {n: getattr(bark_model, n) for n in bark_model.__all__}; "
            "print(sorted(bark_model._HOMES) == sorted(bark_model.__all__), 'torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["True", "True"], done.stderr[-2000:]  # every name resolves (torch loads then)
