"""Mermaid diagrams drawn from the machine classes; the README embeds this text."""

from domain.appeals.machine import AppealMachine
from domain.badges.machine import BadgeMachine
from domain.cases.machine import CaseMachine
from domain.facts.machine import FactMachine
from domain.standing.machines import MACHINES

# Every state machine of the Code, in the order the README shows them.
DIAGRAMED: list[type] = [*MACHINES.values(), BadgeMachine, CaseMachine, AppealMachine, FactMachine]


def machines_markdown() -> str:
    parts = []
    for machine in DIAGRAMED:
        role = getattr(machine, "role", None)
        title = f"{machine.__name__} ({role.value})" if role else machine.__name__
        parts.append(f"#### {title}\n\n```mermaid\n{machine:mermaid}```\n")
    return "\n".join(parts)
