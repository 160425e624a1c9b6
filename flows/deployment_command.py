"""`barkbook run-deployment`: start a deployment run and, with `--watch`, wait for it and say why it failed.

Prefect's own `prefect deployment run --watch` prints only the final state's name; this prints the
run's name, its page in the UI, each state it passes through and, when it does not complete, the
state's message (the reason: e.g. "ManuscriptError: … no such file"). Exit code 0 when the run
completed, 1 when it ended otherwise or the wait timed out, 2 when the run could not be started.
"""

from __future__ import annotations

import json
import time
from typing import Optional

import typer

PREFECT_PREFIX = "Flow run encountered an exception: "  # what Prefect puts before an exception's line


def parse_params(pairs: list[str]) -> dict:
    """`k=v` pairs → parameters; a value that is JSON (`42`, `null`, `["wav"]`) is read as JSON, else text."""
    parameters = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"{pair!r} is not KEY=VALUE", param_hint="--param")
        try:
            parameters[key] = json.loads(value)
        except ValueError:
            parameters[key] = value
    return parameters


def reason(state) -> str:
    """The one line a person needs from a final state that is not Completed."""
    message = (state.message or "").strip().removeprefix(PREFECT_PREFIX)
    return message.splitlines()[0] if message else "no reason given (see the run's logs)"


def run_url(run_id) -> str | None:
    from prefect.settings import PREFECT_UI_URL

    base = PREFECT_UI_URL.value()
    return f"{base.rstrip('/')}/runs/flow-run/{run_id}" if base else None


def merged(defaults: dict, given: dict) -> dict:
    """The deployment's parameters with the given ones over them; a key the deployment does not have but its
    `request` mapping does (render-book's RenderRequest) goes inside the request, keeping its other fields."""
    parameters = {key: dict(value) if isinstance(value, dict) else value for key, value in defaults.items()}
    for key, value in given.items():
        if key not in parameters and isinstance(parameters.get("request"), dict):
            parameters["request"][key] = value
        else:
            parameters[key] = value
    return parameters


def start_run(name: str, parameters: dict):
    """The new flow run, or one line and exit 2 when Prefect will not start it."""
    from prefect import get_client
    from prefect.deployments import run_deployment
    from prefect.exceptions import ObjectNotFound, PrefectHTTPStatusError

    try:
        with get_client(sync_client=True) as client:
            defaults = client.read_deployment_by_name(name).parameters
        return run_deployment(name, parameters=merged(defaults, parameters), timeout=0)
    except ObjectNotFound:
        typer.echo(f"barkbook: error: no deployment {name!r} (see `prefect deployment ls`)", err=True)
    except PrefectHTTPStatusError as err:
        detail = err.response.text.strip().replace("\n", " ")
        typer.echo(f"barkbook: error: the server refused a run of {name!r}: {detail}", err=True)
    raise typer.Exit(2)


def watch_run(run_id, timeout_s: float | None, poll_s: float):
    """Print each new state of the run until it is final (or `timeout_s` passes); the last state read."""
    from prefect import get_client

    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    seen = None
    with get_client(sync_client=True) as client:
        while True:
            run = client.read_flow_run(run_id)
            if run.state and run.state.name != seen:
                seen = run.state.name
                typer.echo(f"{run.name}: {seen}")
            if run.state and run.state.is_final():
                return run.state
            if deadline is not None and time.monotonic() > deadline:
                return None
            time.sleep(poll_s)


def run_deployment_command(
    name: str = typer.Argument(..., metavar="FLOW/DEPLOYMENT", help="FLOW/DEPLOYMENT, e.g. render-book/render-book."),
    param: list[str] = typer.Option([], "--param", "-p", metavar="KEY=VALUE", help="KEY=VALUE (JSON values are read as JSON); repeatable."),
    watch: bool = typer.Option(False, "--watch", metavar="", help="Wait for the run to end; print the reason if it fails."),
    watch_timeout: Optional[float] = typer.Option(None, metavar="SECONDS", help="Seconds to wait with --watch (default: no limit)."),
    poll: float = typer.Option(2.0, metavar="SECONDS", help="Seconds between state checks with --watch."),
) -> None:
    """Start a run of a deployment on the configured Prefect server; with --watch, wait and explain a failure."""
    run = start_run(name, parse_params(param))
    url = run_url(run.id)
    typer.echo(f"started {run.name!r} (UUID: {run.id})" + (f" — {url}" if url else ""))
    if not watch:
        return
    state = watch_run(run.id, watch_timeout, poll)
    if state is None:
        typer.echo(f"barkbook: still running after {watch_timeout:g} s: {run.id}", err=True)
        raise typer.Exit(1)
    if not state.is_completed():
        typer.echo(f"barkbook: run {state.name.lower()}: {reason(state)}", err=True)
        raise typer.Exit(1)
