"""What the scale benchmark measures around a book run, without touching product code.

- `EngineClock`: the engine's own seconds. It is the `open_engine` of an `EnginePool` the benchmark
  lends to the book run (tasks/render/engines.py: a lent pool is the one every render task uses), so it
  sees each engine the pool loads: it times the load, hears BarkEngine's `on_stage` hook (semantic,
  coarse, fine, codec of every batch) and times `BatchingEngine.decode` (cached takes' audio).
- `RssSampler`: this process's resident memory, sampled by a thread; `peak_rss_mb` reads VmHWM.
- `ApiCounter`: HTTP requests Prefect's clients send (httpx `send`, sync and async), by route.
- `folder_bytes`, `count_runs`: the result store's size, and runs counted through the Prefect API.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

from tasks.render.engines import EngineKey, load_engine

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class EngineClock:
    """Seconds the engine spent, by stage, summed over every engine it opened (thread-safe)."""

    def __init__(self, load=load_engine):
        self.load = load  # the product's loader, or a stand-in's (instant_engine.open_instant)
        self.seconds: dict[str, float] = defaultdict(float)
        self._lock = threading.Lock()

    def add(self, stage: str, seconds: float) -> None:
        with self._lock:
            self.seconds[stage] += seconds

    def total(self) -> float:
        return sum(self.seconds.values())

    def open_engine(self, key: EngineKey):
        """The loader's engine, timed, with its BarkEngine's stages and decode calls reported here."""
        start = time.perf_counter()
        batching = self.load(key)
        self.add("load", time.perf_counter() - start)
        batching.engine.on_stage = self.add
        decode = batching.decode

        def timed_decode(fine_rows):
            begin = time.perf_counter()
            try:
                return decode(fine_rows)
            finally:
                self.add("decode", time.perf_counter() - begin)

        batching.decode = timed_decode  # this instance only: generate_batch's own codec stage is on_stage's
        return batching


def read_status_kb(field: str, pid: str = "self") -> int:
    """A `/proc/PID/status` field in kB (VmRSS, VmHWM), 0 if the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int | None, children: bool = False) -> float:
    """User + system CPU seconds of a running process (`/proc/PID/stat`), 0 if none or gone; with
    `children`, also those of its children that have exited and been waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return 0.0
    ticks = sum(int(f) for f in fields[11:15 if children else 13])
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: str = "self") -> float:
    return read_status_kb("VmHWM", pid) / 1024


class Sampler:
    """A thread calling `sample()` every `every_s` seconds inside a `with` block (and once at its start)."""

    def __init__(self, every_s: float):
        self.every_s = every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=type(self).__name__, daemon=True)

    def sample(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.every_s):
                return

    def __enter__(self):
        self._start = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


class RssSampler(Sampler):
    """VmRSS of this process every `every_s` seconds while running: the memory curve of a run."""

    def __init__(self, every_s: float = 0.5):
        super().__init__(every_s)
        self.samples: list[tuple[float, float]] = []  # (seconds since start, MB)

    def sample(self) -> None:
        self.samples.append((time.perf_counter() - self._start, read_status_kb("VmRSS") / 1024))

    def quartiles(self) -> list[float]:
        """RSS (MB) at 25, 50, 75 and 100 % of the run: flat, or growing with the book."""
        if not self.samples:
            return []
        return [round(self.samples[min(len(self.samples) - 1, int(q * len(self.samples)))][1])
                for q in (0.25, 0.5, 0.75, 0.999)]


class ApiCounter:
    """Counts every request Prefect's httpx clients send, as 'METHOD /route' with ids replaced by {id}."""

    def __init__(self):
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()

    def install(self) -> None:
        counter = self

        def counted(send):
            def wrapper(client, request, *args, **kwargs):
                path = UUID.sub("{id}", request.url.path.split("/api", 1)[-1])
                with counter._lock:
                    counter.calls[f"{request.method} {path}"] += 1
                return send(client, request, *args, **kwargs)
            return wrapper

        httpx.Client.send = counted(httpx.Client.send)
        httpx.AsyncClient.send = counted(httpx.AsyncClient.send)  # returns the coroutine send makes

    def snapshot(self) -> Counter[str]:
        with self._lock:
            return Counter(self.calls)


def folder_bytes(folder: Path) -> tuple[int, int]:
    """(bytes, files) under `folder`."""
    sizes = [p.stat().st_size for p in Path(folder).rglob("*") if p.is_file()]
    return sum(sizes), len(sizes)


def count_runs(api_url: str, settle_s: float = 60.0) -> dict[str, int]:
    """Task and flow runs the server holds. Prefect 3 writes task runs from the events clients send,
    so the count is read until two reads a second apart agree (or `settle_s` passes)."""
    def read() -> dict[str, int]:
        return {kind: httpx.post(f"{api_url}/{kind}/count", json={}, timeout=60).json()
                for kind in ("task_runs", "flow_runs")}

    deadline, last = time.monotonic() + settle_s, read()
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = read()
        if now == last:
            return now
        last = now
    return last
