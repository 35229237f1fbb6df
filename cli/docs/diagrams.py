"""Mermaid diagrams drawn from the machine classes; the README embeds this text."""

from domain.standing.machines import MACHINES


def machines_markdown() -> str:
    parts = []
    for machine in MACHINES.values():
        parts.append(f"#### {machine.__name__} ({machine.role.value})\n\n```mermaid\n{machine:mermaid}```\n")
    return "\n".join(parts)
