"""BarkEngine: load the four models once, then turn texts into tokens and 24 kHz audio."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from . import generation
from .checkpoints import BarkModels, ModelFiles, load_bark_models, resolve_model
from .constants import COARSE_WINDOW, MAX_COARSE_HISTORY, SAMPLE_RATE
from .decoding import StaticDecoder
from .errors import CompileError
from .voices import VoicePrompt

ENGINE_VERSION = "1"  # bump when a change alters generated tokens or audio

StageHook = Callable[[str, float], None]  # (stage name, wall seconds)

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


@dataclass(frozen=True)
class GenerationParams:
    """Sampling knobs of the three stages; defaults equal the reference `generate_audio`."""

    text_temp: float | None = 0.7
    text_top_k: int | None = None
    text_top_p: float | None = None
    min_eos_p: float = 0.2
    max_semantic_seconds: float | None = None
    coarse_temp: float | None = 0.7
    coarse_top_k: int | None = None
    coarse_top_p: float | None = None
    max_coarse_history: int = MAX_COARSE_HISTORY
    sliding_window_len: int = COARSE_WINDOW
    fine_temp: float | None = 0.5
    autocast: str | None = None  # fast mode: "bfloat16"/"float16" token stages; None is exact
    @classmethod
    def greedy(cls, **overrides) -> GenerationParams:
        """Deterministic decoding: top-k 1 for semantic and coarse, argmax for fine."""
        return cls(**{"text_top_k": 1, "coarse_top_k": 1, "fine_temp": None, **overrides})

    def replace(self, **changes) -> GenerationParams:
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Generation:
    """One generated utterance: the three token streams and the decoded audio."""

    semantic: np.ndarray  # (S,) int64
    coarse: np.ndarray  # (2, F) int64
    fine: np.ndarray  # (8, F) int64
    audio: np.ndarray  # (320 * F,) float32 at SAMPLE_RATE
    sample_rate: int = SAMPLE_RATE

    @property
    def seconds(self) -> float:
        return len(self.audio) / self.sample_rate

    def as_voice(self) -> VoicePrompt:
        """This generation as a history prompt: how a new voice is locked for a whole book."""
        return VoicePrompt(semantic=self.semantic, coarse=self.coarse, fine=self.fine)


def engine_fingerprint(files: ModelFiles, device: str, dtype: str, compile: bool = False) -> str:
    """Everything besides the inputs that determines outputs: checkpoint bytes, code, numerics."""
    key = {"files": files.fingerprint, "engine": ENGINE_VERSION, "device": device, "dtype": dtype}
    if torch.device(device).type != "cpu":  # sampling draws moved onto the device (CPU keys unchanged)
        key["draws"] = "device"
    if compile:  # fused kernels may round differently (named only when on: old fingerprints stay valid)
        key["compile"] = True
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]


def compiled_decoders(models: BarkModels, device: str = "cpu") -> dict[str, StaticDecoder]:
    """Fixed-shape decoders of the semantic and coarse GPTs whose one-token step (the part run hundreds
    of times per row) is torch.compiled as gpt-fast does: one graph, on CUDA replayed as a CUDA graph
    (mode "reduce-overhead"), so a step is one launch instead of hundreds."""
    mode = "reduce-overhead" if torch.device(device).type == "cuda" else None
    compile_step = lambda step: compile_errors_named(  # noqa: E731
        torch.compile(step, mode=mode, fullgraph=True, dynamic=False))
    return {"text": StaticDecoder(models.text, compile_step), "coarse": StaticDecoder(models.coarse, compile_step)}


def compile_errors_named(step):
    """`step`, with torch.compile's failures (raised at the first call, deep inside) as CompileError."""

    @functools.wraps(step)
    def run(*args, **kwargs):
        try:
            return step(*args, **kwargs)
        except torch._dynamo.exc.TorchDynamoException as err:
            reason = next((line for line in str(err).splitlines() if line.strip()), type(err).__name__)
            raise CompileError(f"torch.compile failed on this machine ({reason.strip()[:200]}); "
                               "render without --compile") from err

    return run


def normalize_whitespace(text: str) -> str:
    """Collapse runs of whitespace and strip, as the reference does before tokenizing."""
    return re.sub(r"\s+", " ", text).strip()


class BarkEngine:
    """The loaded models plus the recipe; create with `BarkEngine.load(...)`, reuse for many calls."""

    def __init__(self, models: BarkModels, device: str = "cpu", dtype: str = "float32", compile: bool = False,
                 on_stage: StageHook | None = None):
        """`on_stage(name, seconds)`, when given, hears each stage's wall time (semantic, coarse, fine,
        codec) after every batch, finished on the device: how benchmarks time the engine."""
        self.models = models
        self.device = device
        self.dtype = dtype
        self.compiled = compile
        self.static = compiled_decoders(models, device) if compile else {}
        self.on_stage = on_stage

    @classmethod
    def load(cls, model: str = "small", device: str = "cpu", dtype: str = "float32", compile: bool = False) -> BarkEngine:
        """Resolve `model` (small, large, random-tiny or a folder), download if needed, load.

        `compile` (off by default; meant for GPUs) runs the one-token decode steps through
        torch.compile: the first calls compile for minutes, later ones lose per-op overhead."""
        if dtype not in DTYPES:
            raise ValueError(f"unknown dtype {dtype!r}; choose one of {', '.join(DTYPES)}")
        files = resolve_model(model)
        return cls(load_bark_models(files, device=device, dtype=DTYPES[dtype]), device, dtype, compile)

    @property
    def fingerprint(self) -> str:
        return engine_fingerprint(self.models.files, self.device, self.dtype, self.compiled)

    def tokenize(self, text: str) -> list[int]:
        return self.models.tokenizer.encode(normalize_whitespace(text))

    def generate(
        self,
        text: str,
        voice: VoicePrompt | None = None,
        params: GenerationParams = GenerationParams(),
        seed: int = 0,
    ) -> Generation:
        """Text to audio for one utterance (≤ ~13 s of speech)."""
        return self.generate_batch([text], [voice], params, [seed])[0]

    @torch.inference_mode()
    def generate_batch(
        self,
        texts: list[str],
        voices: list[VoicePrompt | None],
        params: GenerationParams = GenerationParams(),
        seeds: list[int] | None = None,
        max_seconds: list[float | None] | None = None,
    ) -> list[Generation]:
        """Many utterances at once; each row equals what `generate` gives for it alone.

        `max_seconds` caps each row's speech on its own (else `params.max_semantic_seconds`)."""
        seeds = list(range(len(texts))) if seeds is None else seeds
        max_seconds = [params.max_semantic_seconds if m is None else m for m in max_seconds or [None] * len(texts)]
        if not len(texts) == len(voices) == len(seeds) == len(max_seconds):
            raise ValueError("texts, voices, seeds and max_seconds must have the same length")
        generators = [torch.Generator(self.device).manual_seed(int(s)) for s in seeds]  # draws stay on the device
        with generation.autocast(self.device, params.autocast):
            semantic, coarse, fine = self._tokens(texts, voices, generators, max_seconds, params)
        with self._timed("codec"):
            audio = self.decode(fine)
        return [Generation(*row) for row in zip(semantic, coarse, fine, audio)]

    def decode(self, fine_rows: list[np.ndarray]) -> list[np.ndarray]:
        """Fine tokens (8, T_i) → 24 kHz float32 audio, the same samples generation gives for them."""
        return self.models.codec.decode_batch(fine_rows)

    @contextlib.contextmanager
    def _timed(self, stage: str):
        """Report the stage's wall time to `on_stage` (device work finished first), if one listens."""
        if self.on_stage is None:
            yield
            return
        sync = torch.cuda.synchronize if torch.device(self.device).type == "cuda" else (lambda: None)
        sync()
        start = time.perf_counter()
        yield
        sync()
        self.on_stage(stage, time.perf_counter() - start)

    def _tokens(self, texts, voices, generators, max_seconds, p: GenerationParams):
        """The three token stages, each over the whole batch."""
        m = self.models
        with self._timed("semantic"):
            semantic = self._semantic(texts, voices, generators, max_seconds, p)
        with self._timed("coarse"):
            coarse = generation.generate_coarse(
                m.coarse,
                semantic,
                voices,
                generators,
                temp=p.coarse_temp,
                top_k=p.coarse_top_k,
                top_p=p.coarse_top_p,
                max_coarse_history=p.max_coarse_history,
                sliding_window_len=p.sliding_window_len,
                static=self.static.get("coarse"),
            )
        with self._timed("fine"):
            fine = generation.generate_fine(m.fine, coarse, voices, generators, temp=p.fine_temp)
        return semantic, coarse, fine

    def _semantic(self, texts, voices, generators, max_seconds, p: GenerationParams):
        return generation.generate_semantic(
            self.models.text,
            [self.tokenize(t) for t in texts],
            voices,
            generators,
            temp=p.text_temp,
            top_k=p.text_top_k,
            top_p=p.text_top_p,
            min_eos_p=p.min_eos_p,
            max_gen_duration_s=list(max_seconds),
            static=self.static.get("text"),
        )
