"""Speech-QC benchmark: calibration rates and cost on the calibration set (tests/fixtures/qc_calibration,
takes derived by benchmarks/qc_calibration_set.py).

Reports, for the default `SpeechQCSettings`, per part of the set (tune: thresholds chosen here;
held_out: texts never tuned on, three of its seven voices never heard in tuning;
held_out_unseen_voices: those voices alone): the share of clean takes that pass and of each fault
that fails; each measure's range per kind; the takes that went wrong; and the real-time factor of
the checks on one CPU core (audio seconds per wall second, and per CPU second), split into VAD,
content (pocketsphinx), voice (speaker encoder) and the end check.

    python benchmarks/bench_qc.py                    # rates, ranges, misses, voice table, cost
    python benchmarks/bench_qc.py --json out.json    # also the per-take measures
    python benchmarks/bench_qc.py --rejudge out.json --set max_end_step=0.4   # stored measures, other thresholds
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, before torch loads

import numpy as np  # noqa: E402
import torch  # noqa: E402

from tasks.qc.speech import SpeechCheck, SpeechChecker, SpeechQCSettings, cut_at_end, judge  # noqa: E402
from qc_calibration import (  # noqa: E402
    PARTS, calibration_set, check_takes, counts, embeddings, rates, voice_table)

MEASURES = ("word_match", "longest_missing_run", "extra_s", "voice_similarity", "running_similarity",
            "lead_s", "trail_s", "longest_gap_s", "speech_s", "end_step")


def measure_ranges(results) -> dict[str, dict[str, list[float]]]:
    """Per kind, each measure's [min, median, max] over the whole set (None counts as 0)."""
    table = defaultdict(lambda: defaultdict(list))
    for t, check in results:
        row = check.as_dict()
        for name in MEASURES:
            if name in row:
                table[t.kind][name].append(row[name] or 0.0)
    return {kind: {name: [round(float(f(v)), 2) for f in (np.min, np.median, np.max)] for name, v in m.items()}
            for kind, m in sorted(table.items())}


def cost(checker: SpeechChecker, takes) -> dict:
    """Real-time factor of the full check, each take once: audio seconds per wall second and per CPU
    second of this process (what one idle core gives on a shared machine); and per stage, by wall."""
    stages = {"vad": checker.vad, "content": checker.recognizer, "voice": checker.encoder}
    spent = defaultdict(float)
    entry = {"vad": "speech", "content": "hear", "voice": "embed"}
    for name, owner in stages.items():  # time each model's entry point inside the real check
        method = entry[name]

        def timed(*args, _name=name, _work=getattr(owner, method), **kwargs):
            start = time.perf_counter()
            try:
                return _work(*args, **kwargs)
            finally:
                spent[_name] += time.perf_counter() - start
        setattr(owner, method, timed)
    seconds = sum(len(t.audio) / t.rate for t in takes)
    start, start_cpu = time.perf_counter(), time.process_time()
    for t in takes:
        checker.check(t.audio, t.rate, t.text)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    for name, owner in stages.items():
        delattr(owner, entry[name])  # the class's method again
    spent["rest (resampling, end check, judging)"] = wall - sum(spent.values())
    return {"takes": len(takes), "audio_s": round(seconds, 1), "load_average_1min": round(os.getloadavg()[0], 2),
            "x_realtime_wall": round(seconds / wall, 1), "x_realtime_cpu": round(seconds / cpu, 1),
            "x_realtime_wall_by_stage": {k: round(seconds / v, 1) for k, v in spent.items() if v > 0},
            "share": {k: round(v / wall, 3) for k, v in spent.items()}}


def misses(results) -> list[dict]:
    return [{"take": t.name, "kind": t.kind, "part": t.part, "text": t.text[:70], "problems": check.problems,
             "conditions": t.conditions} for t, check in results if check.passed != t.clean]


def rejudge(path: Path, overrides: list[str]) -> None:
    """The rates of stored checks (a --json report) judged under the default settings changed by
    `overrides` (name=value): how thresholds are chosen on the tuning part, without checking again."""
    settings = SpeechQCSettings(**{k: float(v) for k, v in (o.split("=", 1) for o in overrides)})
    rows = json.loads(path.read_text())["takes"]
    table = {part: defaultdict(list) for part in PARTS}
    for row in rows:
        check = SpeechCheck.from_dict(row)
        check.cut_at_end = cut_at_end(check, settings)
        passed = not judge(check, settings)
        for part in PARTS:
            if row["part"] == part or (part == PARTS[2] and row["part"] == "held_out" and row["unseen_voice"]):
                table[part][row["kind"]].append(passed == (row["kind"] in ("clean", "bark")))
    print(json.dumps({part: {kind: round(float(np.mean(v)), 3) for kind, v in sorted(kinds.items())}
                      for part, kinds in table.items()}, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results and every take's measures here")
    parser.add_argument("--cost-every", type=int, default=4, help="time every N-th take (default 4)")
    parser.add_argument("--rejudge", type=Path, help="judge the checks stored in this --json report again")
    parser.add_argument("--set", nargs="*", default=[], help="with --rejudge: settings as name=value")
    args = parser.parse_args()
    if args.rejudge:
        return rejudge(args.rejudge, args.set)
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    checker = SpeechChecker(SpeechQCSettings())
    takes, references = calibration_set()
    checker.check(takes[0].audio, takes[0].rate, takes[0].text)  # load the models outside the timing
    report = {"settings": checker.settings.as_dict(), "cost_one_core": cost(checker, takes[::args.cost_every])}
    embedded = embeddings(checker, takes, references)
    results = check_takes(checker, takes, references, embedded)
    report |= {"rates": rates(results), "counts": counts(results), "measures": measure_ranges(results),
               "voices": voice_table(takes, embedded), "wrong": misses(results)}
    print(json.dumps({k: v for k, v in report.items() if k != "wrong"}, indent=1))
    print(f"{len(report['wrong'])} takes judged wrong:")
    for row in report["wrong"]:
        print(f"  {row['part']:8} {row['kind']:14} {row['take']:28} {'; '.join(row['problems'])[:110] or 'passed'}")
    if args.json:
        report["takes"] = [{"take": t.name, "kind": t.kind, "part": t.part, "unseen_voice": t.unseen_voice,
                            "voice": t.voice, "conditions": t.conditions, **check.as_dict()} for t, check in results]
        args.json.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
