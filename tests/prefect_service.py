"""A real Prefect service on 127.0.0.1 for integration tests: server, CLI and workers, each a process
of its own whose PID is kept, so that teardown stops every one of them (and what they started)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
MARK = "BARKBOOK_SERVICE_TEST"  # env var carried by every process started here and by their children


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrefectService:
    """`prefect server start` with its own PREFECT_HOME and SQLite file; `cli(...)`, `start_worker(...)`, `api(...)`."""

    def __init__(self, root: Path, extra_env: dict[str, str] | None = None):
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.mark = uuid.uuid4().hex
        self.processes: list[subprocess.Popen] = []
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env.update(
            PREFECT_HOME=str(root / "prefect-home"),
            PREFECT_API_URL=self.url,
            PREFECT_SERVER_ANALYTICS_ENABLED="false",  # no telemetry
            DO_NOT_TRACK="1",
            PREFECT_UI_ENABLED="false",
            PREFECT_CLI_PROMPT="false",
            PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",  # no cron runs of the real folders mid-test
            PREFECT_WORKER_QUERY_SECONDS="1",
            PREFECT_API_REQUEST_TIMEOUT="120",
            HF_HUB_OFFLINE="1",
            **{MARK: self.mark},
            **(extra_env or {}),
        )
        self.env = env

    # --- processes ---------------------------------------------------------------------------

    def spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        """A long-running process in its own process group, output in `<root>/<name>.log`."""
        log = self.root / f"{name}.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(args, cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        self.processes.append(proc)
        return proc

    def start_server(self, timeout: float = 180) -> None:
        proc = self.spawn("server", [sys.executable, "-m", "prefect", "server", "start",
                                     "--host", "127.0.0.1", "--port", str(self.port)])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"prefect server exited ({proc.returncode}):\n{self.tail('server')}")
            try:
                if httpx.get(f"{self.url}/health", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"prefect server not healthy after {timeout} s:\n{self.tail('server')}")

    def start_worker(self, name: str, *options: str) -> subprocess.Popen:
        return self.spawn(name, [sys.executable, "-m", "prefect", "worker", "start", "--pool", "barkbook",
                                 "--name", name, *options])

    def cli_start(self, *args: str) -> subprocess.Popen:
        """Start `prefect ...` (own process group, stopped at teardown if still running); see `finish`."""
        proc = subprocess.Popen([sys.executable, "-m", "prefect", *args], cwd=REPO, env=self.env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append(proc)
        return proc

    def finish(self, proc: subprocess.Popen, timeout: float = 300) -> subprocess.CompletedProcess:
        """Wait for a `cli_start` command; on timeout kill its group and raise with its output."""
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop_group(proc.pid)
            out, _ = proc.communicate()
            raise TimeoutError(f"{' '.join(proc.args[2:])} still running after {timeout} s:\n{out}") from None
        return subprocess.CompletedProcess(proc.args, proc.returncode, out)

    def cli(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """`prefect ...` run to its end."""
        return self.finish(self.cli_start(*args), timeout)

    def tail(self, name: str, chars: int = 4000) -> str:
        return (self.root / f"{name}.log").read_text(errors="replace")[-chars:]

    def stop(self, grace: float = 15) -> None:
        """Stop every process started here: SIGTERM to each one's process group and to anything else
        carrying our mark (flow runs start in sessions of their own), SIGKILL to what is left after `grace` s."""
        groups = [proc.pid for proc in self.processes if proc.poll() is None]
        stop_all(groups, marked_pids(self.mark), grace)
        for proc in self.processes:
            reap(proc.pid)

    # --- API ---------------------------------------------------------------------------------

    def api(self, method: str, path: str, **json) -> object:
        response = httpx.request(method, f"{self.url}{path}", json=json or None, timeout=60)
        response.raise_for_status()
        return response.json()

    def deployment(self, name: str) -> dict:
        flow, deployment = name.split("/")
        return self.api("GET", f"/deployments/name/{flow}/{deployment}")

    def flow_runs(self, deployment: str | None = None, parent: str | None = None) -> list[dict]:
        """Runs of a deployment (`flow/name`) and/or sub-runs of a parent flow run, oldest first."""
        flow_runs = {}
        if parent:
            flow_runs["parent_flow_run_id"] = {"any_": [parent]}
        body = {"flow_runs": flow_runs, "sort": "EXPECTED_START_TIME_ASC"}
        if deployment:
            body["deployments"] = {"id": {"any_": [self.deployment(deployment)["id"]]}}
        return self.api("POST", "/flow_runs/filter", **body)

    def flow_run(self, run_id: str) -> dict:
        return self.api("GET", f"/flow_runs/{run_id}")


def signal_all(groups: list[int], pids: list[int], sig: int) -> list[int]:
    """Send `sig`; return those that still exist (signal 0 is only a check)."""
    alive = []
    for pid, kill in [(g, os.killpg) for g in groups] + [(p, os.kill) for p in pids]:
        try:
            kill(pid, sig)
            alive.append(pid)
        except (ProcessLookupError, PermissionError):
            pass
    return alive


def stop_all(groups: list[int], pids: list[int], grace: float) -> None:
    """SIGTERM these process groups and processes, wait up to `grace` s, SIGKILL the rest."""
    signal_all(groups, pids, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        for pid in groups + pids:
            reap(pid)
        groups = [g for g in groups if signal_all([g], [], 0)]
        pids = [p for p in pids if signal_all([], [p], 0) and not zombie(p)]
        if not groups and not pids:
            return
        time.sleep(0.2)
    signal_all(groups, pids, signal.SIGKILL)


def stop_group(pid: int, grace: float = 10) -> None:
    stop_all([pid], [], grace)
    reap(pid)


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def marked_pids(mark: str) -> list[int]:
    """PIDs of our own processes whose environment holds `MARK=mark`."""
    needle = f"{MARK}={mark}".encode()
    pids = []
    if not Path("/proc").is_dir():
        return pids
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if needle in (entry / "environ").read_bytes().split(b"\0"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids
