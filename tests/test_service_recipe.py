"""The README's service recipe, run as written on a port other than 4200: the UI is told the server's API URL."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from prefect_service import free_port

README = Path(__file__).resolve().parents[1] / "README.md"


def recipe_until_server_start(readme: str) -> list[str]:
    """The first bash block of "Run as a service", up to and including `prefect server start`."""
    section = readme.split("## Run as a service", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    lines = []
    for line in block.splitlines():
        lines.append(line)
        if line.startswith("prefect server start"):
            return lines
    raise AssertionError("the README's service block does not start a server")


@pytest.mark.slow
def test_the_server_started_as_the_readme_says_gives_the_ui_its_own_api_url(tmp_path):
    port = free_port()
    lines = recipe_until_server_start(README.read_text())
    assert lines[0].startswith("PORT=4200")
    script = "\n".join([f"PORT={port}", *lines[1:], "wait"])  # the recipe, on a free port
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # "in the installed environment"
    env |= {"PREFECT_HOME": str(tmp_path / "home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
            "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false"}
    shell = subprocess.Popen(["bash", "-ec", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             start_new_session=True, text=True)
    try:
        base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 120
        while time.monotonic() < deadline:
            assert shell.poll() is None, shell.stdout.read()
            try:
                if httpx.get(f"{base}/api/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        settings = httpx.get(f"{base}/ui-settings", timeout=10).json()
        assert settings["api_url"] == f"{base}/api"
    finally:
        with contextlib.suppress(ProcessLookupError):  # the server and the shell, by their process group
            os.killpg(shell.pid, signal.SIGTERM)
        shell.wait(timeout=30)
