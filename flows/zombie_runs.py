"""Runs whose process died (SIGKILL, out of memory, a lost machine) marked Crashed instead of Running forever.

Prefect does not do this on its own server: every flow run's process sends a heartbeat event every
`PREFECT_FLOWS_HEARTBEAT_FREQUENCY` seconds (180 by default; in-process chapter sub-flows too), and
nothing reads them unless an automation does. This is the automation Prefect documents for it ("Detect
zombie flows"): for each flow run, once a heartbeat has been seen, expect another heartbeat or a final
state within `within_s`; if neither comes, set the run Crashed. A book's rerun is a new flow run and
leaves the old one alone, so without this a killed book shows Running (its duration still counting)
in the UI for good. `within_s` must exceed the heartbeat frequency, with room for a busy machine.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from prefect.automations import Automation
from prefect.client.schemas.objects import StateType
from prefect.events.actions import ChangeFlowRunState
from prefect.events.schemas.automations import EventTrigger, Posture
from prefect.events.schemas.events import ResourceSpecification

NAME = "barkbook-crash-silent-runs"
FINAL_EVENTS = {f"prefect.flow-run.{state}" for state in ("Completed", "Failed", "Cancelled", "Crashed")}
HEARTBEAT = "prefect.flow-run.heartbeat"


def silent_runs_automation(within_s: float) -> Automation:
    """The automation (not yet saved): a Running flow run silent for `within_s` becomes Crashed."""
    return Automation(
        name=NAME,
        description=f"Flow runs that sent no heartbeat or final state for {within_s:g} s: their process is gone.",
        trigger=EventTrigger(
            after={HEARTBEAT}, expect={HEARTBEAT} | FINAL_EVENTS, for_each={"prefect.resource.id"},
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            posture=Posture.Proactive, threshold=1, within=timedelta(seconds=within_s),
        ),
        actions=[ChangeFlowRunState(state=StateType.CRASHED,
                                    message=f"no heartbeat for {within_s:g} s: the run's process is gone")],
    )


def ensure_silent_runs_automation(within_s: float) -> UUID:
    """Save the automation on the configured server unless one of its name is there; its id."""
    try:
        return Automation.read(name=NAME).id
    except ValueError:  # Prefect's answer for no automation of that name
        return silent_runs_automation(within_s).create().id
