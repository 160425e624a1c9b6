"""Cost of the delivery checks: wall and CPU seconds per hour of audio, and peak RSS, for one long file.

The file is a mastered chapter of the committed speech fixtures, repeated by ffmpeg to `--minutes` and
encoded as our MP3 (192 kbps CBR) or M4B (AAC 96 kbps) or FLAC; the check runs in a fresh
subprocess so its peak RSS is its own.

    python benchmarks/bench_delivery_checks.py --minutes 60 --formats mp3,m4b,flac

Measured 2026-12-01 on the shared 2-core box (load 7–14, so wall times are high): 240 min of MP3 in 93 s
wall / 90 CPU s (22 CPU s per hour of audio), peak RSS 184 MB; as M4B 118 s / 91 CPU s, 185 MB; 60 min of
MP3 26 s / 26 CPU s, 171 MB. The 4-hour M4B (AAC 96k) peaks at −2.68 dBFS although its master's ceiling is
−3.5: AAC overshoots more than MP3 (the MP3 of the same audio stays under −3).
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ENCODE = {"mp3": ["-c:a", "libmp3lame", "-b:a", "192k"], "m4b": ["-c:a", "aac", "-b:a", "96k", "-f", "ipod"],
          "flac": ["-c:a", "flac"]}


def long_file(folder: Path, minutes: float, fmt: str) -> Path:
    """A mastered chapter of fixture speech, repeated whole to at least `minutes`, encoded as `fmt`."""
    import soundfile

    from tasks.package.assemble import FFMPEG, export_chapter
    from tasks.master.mastering import MasteringSettings, master_chapter

    chapter = folder / "chapter.wav"
    if not chapter.exists():
        speech = ROOT / "tests" / "fixtures" / "speech"
        clips = [(soundfile.read(speech / f"clean-{i:02d}.flac", dtype="float32")[0], 0.6) for i in range(32)]
        export_chapter(master_chapter(clips, MasteringSettings(), sample_rate_in=16_000).audio, chapter, "wav", {})
    target = folder / f"long.{fmt}"
    repeats = math.ceil(minutes * 60 / soundfile.info(chapter).duration)  # whole chapters: head and tail kept
    subprocess.run([FFMPEG, "-v", "error", "-y", "-stream_loop", str(repeats - 1), "-i", str(chapter),
                    *ENCODE[fmt], str(target)], check=True)
    return target


def peak_rss_kb() -> int:
    """This process's peak RSS since exec (VmHWM; ru_maxrss would carry over the forking parent's)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))


def check_one(path: str) -> None:
    """Child process: check the file against ACX, print seconds, CPU, peak RSS and the problems as JSON."""
    from tasks.master.checks import ACX, check_file

    start, cpu = time.perf_counter(), time.process_time()
    check = check_file(Path(path), ACX, "chapter")
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # ffmpeg decoding: its CPU counts
    print(json.dumps({"wall_s": round(wall, 2), "cpu_s": round(cpu + children.ru_utime + children.ru_stime, 2),
                      "peak_rss_mb": round(peak_rss_kb() / 1024, 1),
                      "audio_s": check.measure.levels.seconds, "problems": check.problems}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--formats", default="mp3,m4b,flac")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return check_one(args.child)
    with tempfile.TemporaryDirectory() as work:
        for fmt in args.formats.split(","):
            path = long_file(Path(work), args.minutes, fmt)
            child = [sys.executable, __file__, "--child", str(path)]
            result = json.loads(subprocess.run(child, check=True, capture_output=True, text=True).stdout)
            per_hour = 3600 / result["audio_s"]
            print(json.dumps({"format": fmt, "minutes": args.minutes,
                              "wall_s_per_hour": round(result["wall_s"] * per_hour, 1),
                              "cpu_s_per_hour": round(result["cpu_s"] * per_hour, 1), **result}))


if __name__ == "__main__":
    main()
