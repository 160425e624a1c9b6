"""`barkbook review OUT/`: the producer's review desk, a local web page to hear every flagged take in context,
fix it and render again just that (flows/review_desk). It listens on 127.0.0.1 and a free port unless told
otherwise, and prints its URL; Ctrl-C stops it."""

from __future__ import annotations

import ipaddress
import signal
import socket
from pathlib import Path

import typer

from flows.console import fail

LOOPBACK_NAMES = {"localhost"}
DEPLOYMENT = "render-book/render-book"  # flows/review_desk/jobs.py renders through it when a server is set


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host in LOOPBACK_NAMES


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one); one line when it cannot be had."""
    try:
        family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
        sock = socket.create_server((host.strip("[]"), port), family=family)
    except OSError as err:
        fail(f"cannot listen on {host}:{port} ({err.strerror or err})")
    return sock


def stop(signum, frame) -> None:
    """SIGTERM ends the desk as Ctrl-C does: its temporary Prefect server is stopped on the way out."""
    raise SystemExit(128 + signum)


def page_url(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "[::]") else host.strip("[]")
    return f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/"


def review(
    out: Path = typer.Argument(..., help="The output folder of a render (its --out)."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on (default: this machine only)."),
    port: int = typer.Option(0, help="Port to listen on (default: a free one)."),
    in_process: bool = typer.Option(False, "--in-process", help="Render in this process even when a Prefect server is configured (default then: runs of the render-book deployment on its workers)."),
    deployment: str = typer.Option(DEPLOYMENT, help="The deployment renders run as when a Prefect server is configured."),
) -> None:
    """Hear every flagged take in context, keep another, retake, change what is said, approve: in a browser."""
    if not out.is_dir():
        fail(f"{out}: no such folder (give the --out folder of a render)")
    if not 0 <= port <= 65535:
        fail(f"--port {port} is not in 0..65535")
    loopback = is_loopback(host)
    if not loopback:
        typer.echo(f"Warning: --host {host} lets other machines reach the desk: whoever opens it can hear this book "
                   "and change it (no password; only the page's token).", err=True)
    sock = listen(host, port)
    from prefect.settings import PREFECT_API_URL
    import uvicorn

    from flows.review_desk.app import LOOPBACK_HOSTS, create_app
    from flows.review_desk.desk import Desk
    from flows.review_desk.jobs import InProcess, OnDeployment
    from tasks.core import BarkbookError

    runner = OnDeployment(deployment) if PREFECT_API_URL.value() and not in_process else InProcess()
    try:
        desk = Desk(out, runner)
        title = desk.book().title  # read once now: a book that cannot be read is one line here, not a page
    except BarkbookError as err:
        sock.close()
        fail(str(err))
    where = f"renders as runs of {deployment}" if isinstance(runner, OnDeployment) else "renders in this process"
    typer.echo(f"Review desk for {title} ({where}): {page_url(host, sock)}  (Ctrl-C stops it)")
    signal.signal(signal.SIGTERM, stop)  # uvicorn raises the signal again once it stopped: then `finally` runs
    try:
        app = create_app(desk, hosts=LOOPBACK_HOSTS if loopback else ("*",))
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
    finally:
        desk.jobs.wait(timeout_s=0)
        runner.close()
