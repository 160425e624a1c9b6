"""`python -m bark_model`: text to a 24 kHz WAV (one text, or one segment per line of a file, batched)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from .atomic import atomic_path
from .constants import MAX_COARSE_HISTORY, MIN_COARSE_HISTORY
from .engine import DTYPES, BarkEngine, Generation, GenerationParams
from .errors import BarkModelError
from .generation import AUTOCAST_DTYPES, check_coarse_history
from .memory import default_batch_size
from .voices import load_voice


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bark_model", description=__doc__)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", help="the text to speak (≤ ~13 s of speech)")
    what.add_argument("--text-file", type=Path, help="one segment per line; writes DIR/0001.wav …")
    p.add_argument("--out", type=Path, help="output WAV for --text (default: bark.wav)")
    p.add_argument("--out-dir", type=Path, help="output folder for --text-file (default: bark_out)")
    p.add_argument("--voice", help="preset name (v2/en_speaker_6) or a voice .npz")
    p.add_argument("--model", default="small", help="small, large, random-tiny or a checkpoint folder")
    p.add_argument("--seed", type=int, default=0, help="sampling seed (same seed, same audio)")
    p.add_argument("--greedy", action="store_true", help="deterministic decoding (top-k 1, argmax fine)")
    p.add_argument("--max-seconds", type=float, help="cap on the semantic duration, in seconds")
    p.add_argument("--batch-size", type=int, help="segments generated together (default: what fits in free memory, "
                   "at most 8 on CPU, 32 on CUDA)")
    p.add_argument("--save-voice", type=Path, help="save the generation as a voice .npz (--text)")
    p.add_argument(
        "--save-tokens", nargs="?", const=True, metavar="T.npz",
        help="save semantic/coarse/fine tokens as .npz (the voice format); with --text-file: DIR/0001.npz …",
    )
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--dtype", default="float32", choices=list(DTYPES))
    p.add_argument("--autocast", choices=list(AUTOCAST_DTYPES),
                   help="fast mode: the token stages under torch.autocast in this dtype; tokens and audio differ "
                   "from the exact mode (default: off). For GPUs: slower on CPUs without bf16 units")
    p.add_argument("--max-coarse-history", type=coarse_history, default=MAX_COARSE_HISTORY, metavar="N",
                   help=f"coarse context in tokens, {MIN_COARSE_HISTORY}..{MAX_COARSE_HISTORY} (default "
                   f"{MAX_COARSE_HISTORY}: exact); shorter is faster but changes the tokens and costs quality")
    p.add_argument("--compile", action="store_true",
                   help="torch.compile the decode steps (for GPUs, where each step is replayed as one CUDA "
                   "graph): the first batch compiles for minutes; fused kernels round slightly differently, "
                   "so tokens may differ from an uncompiled run")
    return p.parse_args(argv)


def coarse_history(text: str) -> int:
    """--max-coarse-history: an integer in the reference's range, else argparse's usage error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    try:
        return check_coarse_history(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def write_wav(path: Path, audio: np.ndarray, sample_rate: int) -> None:
    import soundfile

    with atomic_path(path) as tmp:
        soundfile.write(tmp, audio, sample_rate, format="WAV", subtype="FLOAT")


def save_outputs(gen: Generation, wav: Path, tokens: Path | None, voice: Path | None) -> None:
    write_wav(wav, gen.audio, gen.sample_rate)
    for path in (tokens, voice):
        if path is not None:
            gen.as_voice().save(path)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    params = GenerationParams.greedy() if args.greedy else GenerationParams()
    params = params.replace(
        max_semantic_seconds=args.max_seconds, autocast=args.autocast, max_coarse_history=args.max_coarse_history
    )
    try:
        voice = load_voice(args.voice) if args.voice else None
        if args.text_file is not None:
            texts = [line.strip() for line in args.text_file.read_text(encoding="utf-8").splitlines()]
            texts = [t for t in texts if t]
            if not texts:
                raise BarkModelError(f"{args.text_file}: no text lines")
        else:
            texts = [args.text]
        started = time.perf_counter()
        engine = BarkEngine.load(args.model, device=args.device, dtype=args.dtype, compile=args.compile)
        loaded = time.perf_counter()
        batch_size = args.batch_size or default_batch_size(engine.models, args.device, autocast=args.autocast,
                                                           compile=args.compile)
        gens = render_all(engine, texts, voice, params, args.seed, batch_size)
    except (BarkModelError, OSError, ValueError) as err:
        print(f"bark_model: error: {err}", file=sys.stderr)
        return 2
    if args.text_file is None:
        tokens = Path(args.save_tokens) if isinstance(args.save_tokens, str) else None
        save_outputs(gens[0], args.out or Path("bark.wav"), tokens, args.save_voice)
        written = [args.out or Path("bark.wav")]
    else:
        out_dir = args.out_dir or Path("bark_out")
        written = []
        for i, gen in enumerate(gens, 1):
            tokens = out_dir / f"{i:04d}.npz" if args.save_tokens else None
            save_outputs(gen, out_dir / f"{i:04d}.wav", tokens, None)
            written.append(out_dir / f"{i:04d}.wav")
    seconds = sum(g.seconds for g in gens)
    took = time.perf_counter() - loaded
    print(
        f"wrote {len(written)} file(s), {seconds:.1f} s of audio in {took:.1f} s "
        f"(real-time factor {took / max(seconds, 1e-9):.2f}; model load {loaded - started:.1f} s): "
        + ", ".join(map(str, written[:3])) + (" …" if len(written) > 3 else "")
    )
    return 0


def render_all(engine, texts, voice, params, seed, batch_size) -> list[Generation]:
    """Texts in batches; row i is seeded with seed + i, so a line's audio does not depend on batching."""
    gens = []
    for start in range(0, len(texts), batch_size):
        chunk = texts[start : start + batch_size]
        seeds = [seed + start + i for i in range(len(chunk))]
        gens += engine.generate_batch(chunk, [voice] * len(chunk), params, seeds)
    return gens
