"""The standing machines: the one place where states and transitions are defined."""

from __future__ import annotations

from domain.kernel.roles import Role
from domain.standing.machines.base import EventInputInvalid, StandingMachine
from domain.standing.machines.context import TransitionContext
from domain.standing.machines.mentor import MentorStanding
from domain.standing.machines.protege import ProtegeStanding

MACHINES: dict[Role, type[StandingMachine]] = {
    Role.MENTOR: MentorStanding,
    Role.PROTEGE: ProtegeStanding,
}


def machine_class(role: Role | str) -> type[StandingMachine]:
    return MACHINES[Role(role)]


def machine_name(role: Role | str) -> str:
    return f"{Role(role).value}_standing"


STANDING_MACHINE_NAMES = [machine_name(role) for role in MACHINES]


def bind(row) -> StandingMachine:
    """A machine resumed from (and writing to) the row's `standing` attribute; it never saves."""
    return machine_class(row.role)(model=row, state_field="standing")


def all_state_ids() -> list[str]:
    """Every state of every machine, once, in declaration order."""
    return list(dict.fromkeys(s for m in MACHINES.values() for s in m.state_ids()))


def all_event_ids() -> list[str]:
    return list(dict.fromkeys(e for m in MACHINES.values() for e in m.event_ids()))


def is_hidden(role: Role | str, state: str) -> bool:
    return state in machine_class(role).hidden_states


def needs_booking_approval(role: Role | str, state: str) -> bool:
    return state in machine_class(role).approval_states


__all__ = [
    "MACHINES",
    "STANDING_MACHINE_NAMES",
    "EventInputInvalid",
    "StandingMachine",
    "TransitionContext",
    "MentorStanding",
    "ProtegeStanding",
    "machine_class",
    "machine_name",
    "bind",
    "all_state_ids",
    "all_event_ids",
    "is_hidden",
    "needs_booking_approval",
]
