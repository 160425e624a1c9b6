"""The automation that marks runs whose process died Crashed (flows/zombie_runs.py)."""

from datetime import timedelta

from prefect.client.schemas.objects import StateType
from prefect.events.schemas.automations import Posture

from flows.zombie_runs import HEARTBEAT, silent_runs_automation


def test_a_running_flow_run_silent_for_the_window_is_set_crashed():
    automation = silent_runs_automation(within_s=300)
    trigger, (action,) = automation.trigger, automation.actions
    assert trigger.posture == Posture.Proactive  # fires on events that did not come
    assert trigger.after == {HEARTBEAT} and HEARTBEAT in trigger.expect  # armed by a heartbeat, kept by the next
    assert {"prefect.flow-run.Completed", "prefect.flow-run.Failed"} <= trigger.expect  # a finished run is left alone
    assert trigger.for_each == {"prefect.resource.id"}  # each flow run on its own
    assert trigger.within == timedelta(seconds=300)
    assert action.state == StateType.CRASHED
