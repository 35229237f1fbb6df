"""Sending one event to a state machine bound to a stored state, or refusing with the machine's own reasons.

The case, appeal and fact machines all step this way: the machine alone decides the next state, and a
refusal names the events allowed instead and the docstrings of the guards that said no.
"""

from __future__ import annotations

from typing import Any

from statemachine import StateMachine

from domain.infra.db import Refused
from domain.kernel.rejections import InvalidInput, StepNotAllowed


class _Holder:
    def __init__(self, state: str) -> None:
        self.state = state


def bound(machine_class: type[StateMachine], state: str) -> tuple[Any, _Holder]:
    holder = _Holder(state)
    return machine_class(model=holder, state_field="state"), holder


def allowed(machine_class: type[StateMachine], state: str, **context: Any) -> list[str]:
    machine, _ = bound(machine_class, state)
    return [event.id for event in machine.enabled_events(**context)]


def step_or_refuse(
    machine_class: type[StateMachine], name: str, entity_id: int, state: str, event: str, **context: Any
) -> str:
    """The state `event` leads to from `state`; raises Refused(StepNotAllowed) when a guard says no."""
    if event not in [e.id for e in machine_class.events]:  # type: ignore[attr-defined]
        raise Refused(InvalidInput("event", f"{event} is not a step of a {name}"))
    machine, holder = bound(machine_class, state)
    enabled = [e.id for e in machine.enabled_events(**context)]
    if event not in enabled:
        raise Refused(StepNotAllowed(name, entity_id, state, event, enabled, _reasons(machine, event, context)))
    machine.send(event, **context)
    return holder.state


def _reasons(machine: Any, event: str, context: dict[str, Any]) -> list[str]:
    """The docstrings of the guards that refuse `event` from the current state."""
    reasons: list[str] = []
    for state in machine.configuration:
        for transition in state.transitions:
            if not transition.match(event):
                continue
            for spec in transition.cond:
                guard = getattr(machine, spec.attr_name, None)
                if callable(guard) and not guard(**context):
                    reasons.append(guard.__doc__ or spec.attr_name)
    return list(dict.fromkeys(reasons))
