"""Calibration on labelled takes (`calibration_set.build`): each take checked as a render would check it,
and the share of clean takes that pass and of each fault that fails, per part of the set. Used by
benchmarks/bench_qc.py and by the tests, so the rates in docs/speech_qc.md and the ones the tests
assert are one computation."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from tasks.qc.speech import SpeechCheck, SpeechChecker
from qc_calibration_set import DRY_RATE, CalibrationTake, build

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "qc_calibration"
PARTS = ("tune", "held_out", "held_out_unseen_voices")

Result = tuple[CalibrationTake, SpeechCheck]


def embeddings(checker: SpeechChecker, takes: list[CalibrationTake], references: dict[str, np.ndarray]):
    """(voice -> its reference's embedding, clean take name -> its embedding)."""
    refs = {voice: checker.embed(audio, DRY_RATE) for voice, audio in references.items()}
    return refs, {t.name: checker.embed(t.audio, t.rate) for t in takes if t.clean}


def check_takes(checker: SpeechChecker, takes: list[CalibrationTake], references: dict[str, np.ndarray],
                embedded=None) -> list[Result]:
    """Each take against its voice's reference recording and its voice's running voice: the mean
    embedding of that voice's clean takes in the same part, leaving the take's own audio out."""
    refs, clean = embedded or embeddings(checker, takes, references)
    results = []
    for t in takes:
        peers = [clean[o.name] for o in takes
                 if o.clean and o.voice == t.voice and o.part == t.part and o.name != t.name]
        running = np.mean(peers, axis=0) if peers else None
        results.append((t, checker.check(t.audio, t.rate, t.text, reference=refs[t.voice], running=running)))
    return results


def in_part(t: CalibrationTake, part: str) -> bool:
    return t.part == part if part != "held_out_unseen_voices" else t.part == "held_out" and t.unseen_voice


def rates(results: list[Result], passed=lambda check: check.passed) -> dict[str, dict[str, float]]:
    """Per part: clean kinds, the share that passes; every fault, the share that fails. `passed` may
    re-judge a check (tuning thresholds on stored measures)."""
    table = {}
    for part in PARTS:
        outcomes = defaultdict(list)
        for t, check in results:
            if in_part(t, part):
                outcomes[t.kind].append(passed(check) == t.clean)
        table[part] = {kind: round(float(np.mean(v)), 3) for kind, v in sorted(outcomes.items())}
    return table


def counts(results: list[Result]) -> dict[str, dict[str, int]]:
    table = {}
    for part in PARTS:
        kinds = defaultdict(int)
        for t, _ in results:
            if in_part(t, part):
                kinds[t.kind] += 1
        table[part] = dict(sorted(kinds.items()))
    return table


def calibration_set(every: int = 1):
    """The committed set's takes (every `every`-th reading) and references."""
    return build(FIXTURES, every)


def family(voice: str) -> str:
    return voice.split("-")[0]  # voices are named <family>-<name>


def voice_table(takes: list[CalibrationTake], embedded) -> list[dict]:
    """For each voice's reference: the cosine of its own clean takes (other texts, rates, rooms, noise
    and levels), of the clean takes of the other speakers of its family, and of other families'."""
    refs, clean = embedded
    speakers = {t.voice: t.speaker for t in takes if t.clean}
    rows = []
    for voice, reference in refs.items():
        def cosines(pick):
            return [float(clean[t.name] @ reference) for t in takes if t.clean and pick(t)]
        own = cosines(lambda t: t.voice == voice)
        family_ = cosines(lambda t: t.speaker != speakers[voice] and family(t.voice) == family(voice))
        others = cosines(lambda t: t.speaker != speakers[voice] and family(t.voice) != family(voice))
        rows.append({"voice": voice, "own_takes": len(own), "own_min": round(min(own), 3),
                     "own_p5": round(float(np.percentile(own, 5)), 3), "own_median": round(float(np.median(own)), 3),
                     "family_max": round(max(family_), 3) if family_ else None,
                     "family_median": round(float(np.median(family_)), 3) if family_ else None,
                     "other_families_max": round(max(others), 3)})
    return rows
