"""Calibration on labelled takes: a folder with `cases.json` ({"audio", "text", "reference",
"voice", "fault"}, fault null for a clean reading) checked as a render would check them, and the
share of clean takes that pass and of each fault that fails. Used by benchmarks/bench_qc.py and
by the tests, so the rates in docs/speech_qc.md and the ones the tests assert are one computation."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from tasks.qc.speech import SpeechCheck, SpeechChecker

CLEAN = "clean"


@dataclass(frozen=True)
class Case:
    audio: Path
    text: str
    reference: Path
    voice: str
    fault: str  # CLEAN or the fault's name


def load_cases(folder: Path) -> list[Case]:
    rows = json.loads((folder / "cases.json").read_text())
    return [Case(folder / r["audio"], r["text"], folder / r["reference"], r["voice"], r["fault"] or CLEAN)
            for r in rows]


def read(path: Path) -> tuple[np.ndarray, int]:
    audio, rate = sf.read(path, dtype="float32")
    return audio, rate


def check_cases(checker: SpeechChecker, cases: list[Case]) -> list[tuple[Case, SpeechCheck]]:
    """Each case against its voice's reference recording and its voice's running voice: the mean
    embedding of that voice's clean takes, leaving the take's own audio out."""
    embeddings = {c.audio: checker.embed(*read(c.audio)) for c in cases if c.fault == CLEAN}
    references = {c.reference: checker.embed(*read(c.reference)) for c in cases}
    results = []
    for case in cases:
        others = [embeddings[c.audio] for c in cases
                  if c.fault == CLEAN and c.voice == case.voice and c.audio != case.audio]
        running = np.mean(others, axis=0) if others else None
        results.append((case, checker.check(*read(case.audio), case.text,
                                            reference=references[case.reference], running=running)))
    return results


def rates(results: list[tuple[Case, SpeechCheck]]) -> dict[str, float]:
    """clean: the share that passes; every fault: the share that fails."""
    outcomes = defaultdict(list)
    for case, check in results:
        outcomes[case.fault].append(check.passed if case.fault == CLEAN else not check.passed)
    return {fault: round(float(np.mean(v)), 3) for fault, v in sorted(outcomes.items())}
