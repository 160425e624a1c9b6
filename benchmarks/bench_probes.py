"""What this machine can do: matmul FLOP/s and memory read bandwidth (the floors' denominators), and names."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import torch


def device_sync(device: str):
    """A function that waits for `device`'s queued work (a no-op on CPU): GPU timings need it."""
    return torch.cuda.synchronize if torch.device(device).type == "cuda" else (lambda: None)


def call_seconds(op, device: str, seconds: float) -> list[float]:
    """Wall seconds of each call of `op` (finished on `device`), repeated for about `seconds` after
    one untimed warm-up call."""
    sync = device_sync(device)
    op()
    sync()
    times, start = [], time.perf_counter()
    while time.perf_counter() - start < seconds:
        tick = time.perf_counter()
        op()
        sync()
        times.append(time.perf_counter() - tick)
    return times


def measure_matmul_flops(threads: int, device: str = "cpu", dtype: torch.dtype = torch.float32,
                         seconds: float = 1.0) -> float:
    """FLOP/s of a coarse-prefill MLP matmul, the best of a second's tries (as the read bandwidth: a floor
    wants the machine's capability; the mean moved 26 % over one session of a shared box): (887 × 768) @
    (768 × 3072) on CPU; on a GPU, where batches are wide, (32·887 × 1024) @ (1024 × 4096) (the large
    shapes at batch 32)."""
    torch.set_num_threads(threads)
    m, k, n = (887, 768, 3072) if device == "cpu" else (32 * 887, 1024, 4096)
    a = torch.randn(m, k, device=device, dtype=dtype)
    b = torch.randn(k, n, device=device, dtype=dtype)
    times = call_seconds(lambda: a @ b, device, seconds)
    return 2 * m * k * n / min(times)


def measure_read_bandwidth(threads: int, device: str = "cpu", seconds: float = 1.0) -> float:
    """Bytes per second a sum over 512 MiB of float32 reads, the best of a second's tries (a floor
    wants the machine's capability, not a moment when something else ran): the rate a memory-bound
    decode step can stream weights and cached keys and values at."""
    torch.set_num_threads(threads)
    x = torch.ones(2**27, device=device)
    return x.numel() * x.element_size() / min(call_seconds(x.sum, device, seconds))


def device_name(device: str) -> str:
    return torch.cuda.get_device_name(device) if torch.device(device).type == "cuda" else "CPU"


def cpu_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


def peak_rss_mb() -> int:
    """This process's peak RSS since exec (VmHWM): ru_maxrss would carry over the forking parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    raise OSError("no VmHWM in /proc/self/status")
