"""A temporary Prefect API server for one CLI run, started before the heavy imports.

Prefect starts the same server itself on the first API call when no API is configured, but only
after this process has imported torch, the pipeline and Prefect's whole server package (the
class that starts it lives there). Started first, the server's start-up (~8 s) runs on the second
core while this process imports (~7 s), and this process never imports the server package.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tasks.core.errors import BarkbookError

# Prefect's (private) swap of its process-wide settings context, made for its test harness. Without
# it (a future Prefect) the CLI leaves starting the server to Prefect, a few seconds later.
SWAP_DEFAULT = "_temporary_global_settings_context"


class ServerError(BarkbookError):
    """The temporary Prefect server could not be started."""


class LocalServer:
    """Prefect's ephemeral server command (uvicorn, 127.0.0.1, UI off), or nothing if an API is set."""

    PORT_TRIES = 3  # a free port can be taken by another process before the server binds it
    # Seconds each start may take, unless PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS says otherwise: Prefect's
    # own default (20 s) is missed by a first start in a new environment, or one lost to a taken port, on 2 cores.
    START_TIMEOUT_S = 90.0

    def __init__(self, env: dict | None = None):
        """No server yet (none at all without `env`): `spawn` starts one with that environment."""
        self.env = env
        self.process: subprocess.Popen | None = None
        self.url: str | None = None
        self.log = None  # the server's output (a temp file)

    @classmethod
    def start(cls) -> LocalServer:
        """Start one on a free port, unless a Prefect API is configured or ephemeral mode is off."""
        from prefect import context
        from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_ALLOW_EPHEMERAL_MODE, get_current_settings

        if PREFECT_API_URL.value() or not PREFECT_SERVER_ALLOW_EPHEMERAL_MODE.value() or not hasattr(context, SWAP_DEFAULT):
            return cls()
        get_current_settings().home.mkdir(parents=True, exist_ok=True)  # where its database goes
        env = os.environ | get_current_settings().to_environment_variables(exclude_unset=True)
        server = cls(env | {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"})
        server.spawn(free_port())
        return server

    def spawn(self, port: int) -> None:
        """Start the server process on `port`, its output to a new temp file (its messages, e.g. when
        stopped mid-start, are not the user's)."""
        import prefect

        command = [
            sys.executable, "-m", "uvicorn", "--app-dir", str(Path(prefect.__file__).parent.parent),
            "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "error", "--lifespan", "on",
        ]  # fmt: skip
        self.log = tempfile.TemporaryFile("w+")
        self.process = subprocess.Popen(command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{port}/api"

    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        """Wait until the server answers, then point Prefect at it inside the block, as Prefect's own
        test harness does: in this context and as the process-wide default (which threads without a
        context of their own, such as Prefect's log and event workers, read), with no UI URL (the server
        and its pages end with the command). On leaving, the logs and events still queued are sent
        before the server stops."""
        if self.process is None:
            yield
            return
        from prefect import context
        from prefect.events.worker import EventsWorker
        from prefect.logging.handlers import APILogWorker
        from prefect.settings import PREFECT_API_URL, PREFECT_UI_URL, temporary_settings

        self.wait_until_healthy(float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", self.START_TIMEOUT_S)))
        # no UI URL: Prefect would print links ("View at http://127.0.0.1:…") to a server gone when the command ends
        with temporary_settings(updates={PREFECT_API_URL: self.url, PREFECT_UI_URL: ""}), \
                getattr(context, SWAP_DEFAULT)(context.get_settings_context()):
            try:
                yield
            finally:
                APILogWorker.drain_all(timeout=10)
                EventsWorker.drain_all(timeout=10)

    def wait_until_healthy(self, timeout_s: float) -> None:
        import httpx

        deadline, tries = time.monotonic() + timeout_s, 1
        while time.monotonic() < deadline:
            if tries < self.PORT_TRIES and self.port_was_taken():  # start again on a new port, with its own time
                self.log.close()
                self.spawn(free_port())
                deadline, tries = time.monotonic() + timeout_s, tries + 1
            if self.process.poll() is not None:
                raise ServerError(f"the temporary Prefect server exited with code {self.process.returncode}; "
                                  f"it said: {self.last_words()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/health", timeout=5).status_code == 200:
                    return
            time.sleep(0.1)
        raise ServerError(f"the temporary Prefect server did not answer within {timeout_s:.0f} s; it said: {self.last_words()}")

    def port_was_taken(self) -> bool:
        """The server exited because another process had bound its port first."""
        return self.process.poll() is not None and "address already in use" in self.output().lower()

    def output(self) -> str:
        """Everything the server printed so far."""
        self.log.seek(0)
        return self.log.read()

    def last_words(self) -> str:
        """The last lines the server printed, on one line."""
        lines = [line.strip() for line in self.output().splitlines() if line.strip()]
        return " / ".join(lines[-3:]) or "nothing"

    def stop(self) -> None:
        """Terminate it (killed if it has not exited after 5 s); a no-op if none was started."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
