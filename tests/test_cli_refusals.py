"""Wrong input, as a person types it, in a fresh `python -m flows.cli` process: one line on stderr that starts
`barkbook: error:`, exit status 2, no traceback, and for anything checkable before the flow starts an answer
long before the pipeline could have loaded. Measured times: benchmarks/bench_cli_refusals.py."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "manuscripts" / "aesop-fables.md"
# What "at once" means on a loaded 2-core CI box: a refusal before the pipeline loads takes ~1 s there (Python,
# typer, numpy); importing the pipeline alone takes 5-15 s on that box. The bar is 2 s on a quiet machine.
BEFORE_THE_PIPELINE_S = 6.0


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "empty.txt").write_text("")
    (folder / "a-file").write_text("not a folder")
    (folder / "empty-folder").mkdir()
    (folder / "voice.npz").write_bytes(b"not a zip")
    return folder


def barkbook(*args, env: dict | None = None, home: Path) -> tuple[subprocess.CompletedProcess, float]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "HF_"))}
    clean |= {"PYTHONPATH": str(REPO), "PREFECT_HOME": str(home / "prefect"), "HF_HOME": str(home / "hf"),
              "XDG_CACHE_HOME": str(home / "xdg"), "TORCH_HOME": str(home / "torch"), "COLUMNS": "200",
              **(env or {})}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flows.cli", *map(str, args)], env=clean, capture_output=True,
                          text=True, timeout=300, cwd=REPO)
    return done, time.perf_counter() - start


RENDER = ("render", SAMPLE, "--model", "random-tiny")
OFFLINE = {"HF_HUB_OFFLINE": "1"}
NO_HUB = {"HF_ENDPOINT": "http://127.0.0.1:9"}  # nothing listens there: the hub does not answer

BEFORE_THE_FLOW = {  # name: (arguments, environment, what the line says); "{in}" is the inputs folder
    "missing manuscript": (("render", "{in}/missing.md"), None, "no such file or folder"),
    "empty manuscript": (("render", "{in}/empty.txt"), None, "the file is empty"),
    "empty folder": (("render", "{in}/empty-folder"), None, "the folder is empty"),
    "a file for --out": ((*RENDER, "--out", "{in}/a-file"), None, "is a file, not a folder"),
    "--out under a file": ((*RENDER, "--out", "{in}/a-file/book"), None, "a-file is a file, not a folder"),
    "unwritable --out": ((*RENDER, "--out", "/proc/barkbook-out"), None, "cannot write there"),
    "a word for a number": ((*RENDER, "--takes", "abc"), None, "'--takes'"),
    "too many takes": ((*RENDER, "--takes", "0"), None, "'--takes'"),
    "too long a sample": ((*RENDER, "--sample-minutes", "9"), None, "'--sample-minutes'"),
    "too short a history": ((*RENDER, "--max-coarse-history", "10"), None, "'--max-coarse-history'"),
    "no batch": ((*RENDER, "--batch-size", "0"), None, "'--batch-size'"),
    "unknown voice": ((*RENDER, "--voice", "v2/en_speaker_99"), None, "did you mean v2/en_speaker_9"),
    "a voice file that is not one": ((*RENDER, "--voice", "{in}/voice.npz"), None, "voice.npz"),
    "unknown model": (("render", SAMPLE, "--model", "tiny"), None, "unknown model 'tiny'"),
    "a model folder without its files": (("render", SAMPLE, "--model", "{in}/empty-folder"), None, "missing text.pt"),
    "offline, model not cached": (("render", SAMPLE, "--model", "small"), OFFLINE, "not cached and we are offline"),
    "the hub does not answer": (("render", SAMPLE, "--model", "large"), NO_HUB, "not cached and the hub does not answer"),
    "unknown target": ((*RENDER, "--target", "kobo"), None, "'kobo' is not one of generic, acx"),
    "unknown format": ((*RENDER, "--format", "wav,ogg"), None, "'ogg' is not one of wav, flac, mp3, m4b"),
    "unknown qc": ((*RENDER, "--qc", "words"), None, "'words' is not one of speech, signal, off"),
    "unknown notes policy": (("segment", SAMPLE, "--notes", "inline"), None, "'inline' is not one of skip"),
    "unknown device": ((*RENDER, "--device", "gpu"), None, "'gpu' is not one of cpu, cuda"),
    "unknown dtype": ((*RENDER, "--dtype", "fp16"), None, "'fp16' is not one of float32"),
    "unknown autocast": ((*RENDER, "--autocast", "float8"), None, "'float8' is not one of bfloat16, float16"),
    "a retake id that is none": ((*RENDER, "--retake", "chapter-2"), None, "16 hex digits"),
    "a missing cover": ((*RENDER, "--cover", "{in}/missing.jpg"), None, "'--cover'"),
    "an unknown option": ((*RENDER, "--voices", "x"), None, "No such option: --voices"),
    "a misspelt command": (("rendr", SAMPLE), None, "Did you mean 'render'"),
    "no manuscript": (("render",), None, "Missing argument 'MANUSCRIPT'"),
    "-q and -v": ((*RENDER, "-q", "-v"), None, "choose one"),
    "unknown language": (("voices", "--language", "xx"), None, "'xx' is not one of"),
    "unknown qc engine": (("qc", "{in}/a-file", "--text", "x", "--engine", "vosk"), None, "'vosk' is not one of"),
}


@pytest.mark.parametrize("name", list(BEFORE_THE_FLOW))
def test_wrong_input_is_refused_in_one_line_before_anything_loads(name, inputs, tmp_path):
    args, env, message = BEFORE_THE_FLOW[name]
    done, seconds = barkbook(*(str(a).replace("{in}", str(inputs)) for a in args), env=env, home=tmp_path)
    assert (done.returncode, done.stdout) == (2, ""), done.stderr[-2000:]
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("barkbook: error: ") and message in done.stderr
    assert seconds < BEFORE_THE_PIPELINE_S, f"{name}: refused after {seconds:.1f} s"


@pytest.mark.slow
def test_what_only_the_pipeline_checks_is_one_line_before_the_flow_runs(tmp_path):
    """The ISBN (like the credits' wording, the speech checker and the text: tests/test_render_cli.py) is checked
    while the temporary server starts; refused, the server is stopped and no flow runs."""
    message = "isbn '12345' is not an ISBN-10 or ISBN-13"
    done, _ = barkbook(*RENDER, "--out", tmp_path / "out", "--isbn", "12345", home=tmp_path)
    assert (done.returncode, done.stdout) == (2, "") and done.stderr.count("\n") == 1, done.stderr[-2000:]
    assert done.stderr.startswith("barkbook: error: ") and message in done.stderr
    assert not (tmp_path / "out" / ".state" / "barkbook.log").exists()  # no flow ran


@pytest.mark.parametrize("name, content", [
    ("html", "<!DOCTYPE html>\n<html><head><title>Fables</title></head>\n<body><h1>Chapter One</h1>\n"
             "<p>The Fox saw the grapes.</p>\n</body></html>\n"),
    ("pdf", "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\nxref\n0 3\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"),
])
@pytest.mark.slow
def test_markup_named_txt_is_never_read_aloud_as_text(name, content, tmp_path):
    book = tmp_path / f"{name}-book.txt"
    book.write_text(content)
    done, _ = barkbook("segment", book, "--json", home=tmp_path)
    if done.returncode == 2:  # refused: one line naming the file
        assert done.stderr.count("\n") == 1 and str(book) in done.stderr
        return
    spoken = " ".join(s["spoken"] for c in json.loads(done.stdout)["segments"]["chapters"] for s in c["segments"])
    assert done.returncode == 0 and not any(mark in spoken.lower() for mark in ("doctype", "html", "obj", "endobj"))
