"""Runs whose process died (SIGKILL, out of memory, a lost machine) marked Crashed instead of Running forever.

Prefect does not do this on its own server: every flow run's process sends a heartbeat event every
`PREFECT_FLOWS_HEARTBEAT_FREQUENCY` seconds (180 by default; in-process chapter sub-flows too), and
nothing reads them unless an automation does. This is the automation Prefect documents for it ("Detect
zombie flows"), defined once in prefect-automations.yaml (operators create it with `prefect automation
create --from-file`; benchmarks through this module): for each flow run, once a heartbeat has been seen, expect another heartbeat or a final
state within `within_s`; if neither comes, set the run Crashed. A book's rerun is a new flow run and
leaves the old one alone, so without this a killed book shows Running (its duration still counting)
in the UI for good. `within_s` must exceed the heartbeat frequency, with room for a busy machine.
"""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import yaml
from prefect.automations import Automation

AUTOMATIONS = Path(__file__).resolve().parents[1] / "prefect-automations.yaml"  # the one definition (README recipe)
HEARTBEAT = "prefect.flow-run.heartbeat"


def silent_runs_automation(within_s: float | None = None) -> Automation:
    """The automation of prefect-automations.yaml (not yet saved), its window `within_s` when given."""
    spec = yaml.safe_load(AUTOMATIONS.read_text(encoding="utf-8"))["automations"][0]
    if within_s:
        spec["trigger"]["within"] = within_s
    return Automation.model_validate(spec)


def ensure_silent_runs_automation(within_s: float | None = None) -> UUID:
    """Save the automation on the configured server unless one of its name is there; its id."""
    automation = silent_runs_automation(within_s)
    try:
        return Automation.read(name=automation.name).id
    except ValueError:  # Prefect's answer for no automation of that name
        return automation.create().id
