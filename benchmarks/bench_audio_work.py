"""The pipeline's own work on a chapter's audio, at this commit and at an earlier one, in one run.

A chapter of real speech (the committed espeak-ng fixtures, tests/fixtures/speech, resampled to Bark's
24 kHz and repeated to `--segments` clips) goes through the steps that grow with audio seconds, each
timed as CPU seconds of a fresh process, best of `--repeats`:
mastering (`master_chapter`), the chapter layout (`chapter_spans`), the ACX measure of the master
(`measure_samples`, the loudness plot's numbers) and the delivery check of its file (`measure_file` on
a FLAC of it). With `--against REV` the same steps run from a git worktree of REV, rounds interleaved,
so both sides meet the same load.

    PYTHONPATH=. python benchmarks/bench_audio_work.py --against 7969c76 --segments 33 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from bench_pipeline import against_tree  # noqa: E402  (a git worktree of --against)

STEPS = ("master_chapter", "chapter_spans", "measure_samples", "measure_file")


def child(segments: int, repeats: int) -> dict:
    """Best CPU seconds of each step, in this process, with the tasks package found first on sys.path."""
    from types import SimpleNamespace

    import numpy as np
    import soundfile
    from scipy.signal import resample_poly

    from tasks.master.audio import to_array
    from tasks.master.measure import measure_file, measure_samples
    from tasks.master.layout import chapter_spans
    from tasks.master.mastering import MasteringSettings, master_chapter

    fixtures = sorted((REPO / "tests" / "fixtures" / "speech").glob("*.flac"))
    speech = []
    for path in fixtures[:segments]:
        audio, rate = soundfile.read(path, dtype="float32")
        g = math.gcd(24_000, rate)
        speech.append(resample_poly(audio, 24_000 // g, rate // g).astype(np.float32))
    clips = [(speech[i % len(speech)], 0.4) for i in range(segments)]
    rendered = [SimpleNamespace(audio=a, sample_rate=24_000, segment_id=f"s{i}", kept=SimpleNamespace(speech=None))
                for i, (a, _) in enumerate(clips)]
    settings = MasteringSettings()
    master = master_chapter(clips, settings)
    samples = to_array(master.audio)
    with tempfile.TemporaryDirectory() as tmp:
        flac = Path(tmp) / "chapter.flac"
        soundfile.write(flac, (samples * 32768).astype(np.int16), 44_100, subtype="PCM_16")
        runs = {"master_chapter": lambda: master_chapter(clips, settings),
                "chapter_spans": lambda: chapter_spans(rendered, master),
                "measure_samples": lambda: measure_samples(samples, 44_100),
                "measure_file": lambda: measure_file(flac)}
        best = {}
        for name, run in runs.items():
            times = []
            for _ in range(repeats):
                start = time.process_time()
                run()
                times.append(time.process_time() - start)
            best[name] = min(times)
    return {"segments": segments, "speech_s": round(sum(len(a) for a, _ in clips) / 24_000, 1),
            "master_s": round(len(samples) / 44_100, 1), "cpu_s": best}


def run_child(root: Path, segments: int, repeats: int) -> dict:
    """`child` in a fresh interpreter importing `tasks` from `root`."""
    code = (f"import sys; sys.path.insert(0, {str(root)!r}); sys.path.insert(1, {str(REPO / 'benchmarks')!r});"
            f"import json, bench_audio_work as b; print(json.dumps(b.child({segments}, {repeats})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=33)
    parser.add_argument("--repeats", type=int, default=3, help="tries of each step in one process; the best counts")
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per side, interleaved; medians reported")
    parser.add_argument("--against", metavar="REV", help="also run the steps of this git revision")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with against_tree(args.against) as other:
        sides = {"this tree": REPO} | ({args.against: other} if other else {})
        results = {side: [] for side in sides}
        for _ in range(args.rounds):
            for side, root in sides.items():
                results[side].append(run_child(root, args.segments, args.repeats))
    first = next(iter(results.values()))[0]
    minutes = first["master_s"] / 60
    print(f"{args.segments} segments, {first['speech_s']} s of speech, a {first['master_s']} s master; "
          f"CPU seconds, median of {args.rounds} processes (each the best of {args.repeats})")
    print("| step | " + " | ".join(f"{side}: ms/seg | ms per audio min" for side in sides) + " |")
    print("|---|" + "---|---|" * len(sides))
    medians = {side: {s: statistics.median(r["cpu_s"][s] for r in runs) for s in STEPS} for side, runs in results.items()}
    for step in (*STEPS, "total"):
        cells = []
        for side in sides:
            value = sum(medians[side].values()) if step == "total" else medians[side][step]
            cells.append(f"{value * 1000 / args.segments:.1f} | {value * 1000 / minutes:.0f}")
        print(f"| {step} | " + " | ".join(cells) + " |")
    if args.json:
        args.json.write_text(json.dumps({"medians_cpu_s": medians, "runs": results}, indent=2))


if __name__ == "__main__":
    main()
