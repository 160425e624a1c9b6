"""Speech-QC benchmark: calibration rates and cost on the committed fixtures (tests/fixtures/speech).

Reports, for the default `SpeechQCSettings`: the share of clean readings that pass and of each
fault that fails; each measure's range per fault (what the thresholds were chosen from); and the
real-time factor of the default checks on one CPU core (audio seconds per wall second), split into
VAD, content (pocketsphinx) and voice (speaker encoder).

    python benchmarks/bench_qc.py              # rates, measure ranges, cost
    python benchmarks/bench_qc.py --json out.json
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

from tasks.qc.speech import SpeechChecker, SpeechQCSettings, speech_only, to_speech_rate  # noqa: E402
from tasks.qc.speech.calibration import check_cases, load_cases, rates, read  # noqa: E402
from tasks.qc.speech.words import compare  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "speech"
MEASURES = ("word_match", "longest_missing_run", "extra_s", "voice_similarity", "running_similarity",
            "lead_s", "trail_s", "longest_gap_s", "speech_s")


def measure_ranges(results) -> dict[str, dict[str, list[float]]]:
    """Per fault, each measure's [min, median, max] (None counts as 0: no speech, no voice)."""
    table = defaultdict(lambda: defaultdict(list))
    for case, check in results:
        row = check.as_dict()
        for name in MEASURES:
            table[case.fault][name].append(row[name] or 0.0)
    return {fault: {name: [round(float(f(v)), 2) for f in (np.min, np.median, np.max)] for name, v in m.items()}
            for fault, m in sorted(table.items())}


def cost(checker: SpeechChecker, cases) -> dict[str, float]:
    """Real-time factor of each check and of all three, each distinct audio file once: audio
    seconds per wall second, and per CPU second of this process (what one idle core would give
    on a machine that others share)."""
    files = {c.audio: c.text for c in cases}
    wall, cpu = defaultdict(float), defaultdict(float)
    seconds = 0.0

    def timed(name, work):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = work()
        wall[name] += time.perf_counter() - start
        cpu[name] += time.process_time() - start_cpu
        return result

    for path, text in files.items():
        audio = to_speech_rate(*read(path))
        seconds += len(audio) / 16000
        times = timed("vad", lambda: checker.vad.speech(audio))
        timed("content", lambda: compare(*checker.recognizer.hear(audio, text)))
        if times.intervals:
            timed("voice", lambda: checker.encoder.embed(speech_only(audio, times)))
    return {"audio_s": round(seconds, 1), "load_average_1min": round(os.getloadavg()[0], 2),
            "x_realtime_wall": {"all": round(seconds / sum(wall.values()), 1),
                                **{k: round(seconds / v, 1) for k, v in wall.items()}},
            "x_realtime_cpu": {"all": round(seconds / sum(cpu.values()), 1),
                               **{k: round(seconds / v, 1) for k, v in cpu.items()}},
            "share": {k: round(v / sum(wall.values()), 3) for k, v in wall.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    checker = SpeechChecker(SpeechQCSettings())
    cases = load_cases(FIXTURES)
    checker.check(*read(cases[0].audio), cases[0].text)  # load the models outside the timing
    report = {"settings": checker.settings.as_dict(), "cost_one_core": cost(checker, cases)}
    results = check_cases(checker, cases)
    report["rates"] = rates(results)
    report["counts"] = {f: sum(c.fault == f for c, _ in results) for f in report["rates"]}
    report["measures"] = measure_ranges(results)
    report["failed_clean"] = [{"audio": c.audio.name, "problems": r.problems} for c, r in results
                              if c.fault == "clean" and not r.passed]
    report["passed_faults"] = [{"audio": c.audio.name, "fault": c.fault} for c, r in results
                               if c.fault != "clean" and r.passed]
    print(json.dumps(report, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
