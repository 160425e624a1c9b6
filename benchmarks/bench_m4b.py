"""A whole book's M4B from its chapter masters, at 4 and at 40 hours: memory that stays flat (issue 22, item 2).

The book is `--hours` of chapters of about `--chapter-minutes` each (whole repeats of a mastered chapter:
a little longer; `m4b_hours` is what was built); every chapter is the same lossless master (mastered fixture speech repeated, FLAC, made once by bench_delivery_checks.long_file),
so a 40-hour book needs one hour of disk for its input. `tasks.package.assemble.build_m4b` — what the package
step calls — runs in a fresh child process per size; a thread samples VmRSS of that process and of its
ffmpeg, so each peak is its own. The M4B is read back (chapter marks, duration) with mutagen.

    python benchmarks/bench_m4b.py --hours 40 4 --work /tmp/m4b

Measured 2026-12-02 01:39–03:28 UTC on the shared 2-core box at nice 19 under a load average of 10–22
(so wall times are long): 42.6 h (40 chapters) in 6052 s wall, 1705 CPU-s, this process's peak RSS 286 MB,
ffmpeg's 539 MB, an M4B of 1805 MB with 40 marks read back; 4.3 h (4 chapters) in 219 s, 164 CPU-s, 284 MB,
ffmpeg 85 MB, 181 MB. Our side is flat; ffmpeg's MP4 muxer keeps an index entry per AAC frame (~12 MB an hour).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_meters import Sampler, read_status_kb  # noqa: E402  (after the path: run as a script)


def children_of(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


class PeakRss(Sampler):
    """Highest VmRSS (MB) seen of this process and of its child processes (ffmpeg), sampled every 0.2 s."""

    def __init__(self):
        super().__init__(0.2)
        self.own = self.children = 0.0

    def sample(self) -> None:
        self.own = max(self.own, read_status_kb("VmRSS") / 1024)
        for child in children_of(os.getpid()):
            self.children = max(self.children, read_status_kb("VmRSS", str(child)) / 1024)


def build_book(master: Path, hours: float, chapter_minutes: float, out: Path) -> dict:
    """Child process: the M4B of `hours` of chapters cut from `master`, timed, its memory sampled."""
    from mutagen.mp4 import MP4

    from tasks.package.assemble import build_m4b, read_chapters

    count = round(hours * 60 / chapter_minutes)
    chapters = [(f"Chapter {i + 1}", master) for i in range(count)]
    start, cpu = time.perf_counter(), time.process_time()
    with PeakRss() as rss:
        build_m4b(chapters, out, title="A Forty-Hour Book", author="Bench", narrator="AI Voice")
    wall = time.perf_counter() - start
    children = os.times()
    return {"asked_hours": hours, "chapters": count, "wall_s": round(wall, 1),
            "cpu_s": round(time.process_time() - cpu + children.children_user + children.children_system, 1),
            "peak_rss_mb": round(rss.own), "ffmpeg_peak_rss_mb": round(rss.children),
            "m4b_mb": round(out.stat().st_size / 2**20), "m4b_hours": round(MP4(out).info.length / 3600, 3),
            "marks_read_back": len(read_chapters(out))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, nargs="+", default=[4, 40])
    parser.add_argument("--chapter-minutes", type=float, default=60.0)
    parser.add_argument("--work", type=Path, help="folder for the master and the books (default: a temporary one)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)  # master hours out
    args = parser.parse_args()
    if args.child:
        master, hours, out = args.child
        print(json.dumps(build_book(Path(master), float(hours), args.chapter_minutes, Path(out))))
        return
    from bench_delivery_checks import long_file

    with tempfile.TemporaryDirectory(dir=args.work) as work:
        master = long_file(Path(work), args.chapter_minutes, "flac")
        for hours in args.hours:
            out = Path(work) / f"book-{hours:g}h.m4b"
            child = [sys.executable, __file__, "--chapter-minutes", str(args.chapter_minutes),
                     "--child", str(master), str(hours), str(out)]
            print(subprocess.run(child, check=True, capture_output=True, text=True).stdout.strip(), flush=True)
            out.unlink()


if __name__ == "__main__":
    main()
