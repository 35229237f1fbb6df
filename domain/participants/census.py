"""An organization at a glance: how many participants stand in each state, and hold each badge status.

Every state of each role's machine and every status of the badge machine is counted, zeros included, so a
reader sees the whole ladder and not only the rungs somebody is on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tortoise.functions import Count

from domain.badges.machine import BadgeMachine
from domain.kernel.roles import Role
from domain.models import BadgeRecord, Participant
from domain.standing.machines import machine_class

NO_BADGE = BadgeMachine.initial_state.id  # a participant never evaluated has no badge row yet


@dataclass(frozen=True)
class Tally:
    role: Role
    state: str
    count: int


@dataclass(frozen=True)
class Census:
    standings: list[Tally]  # each role's standing states, in the machine's order
    badges: list[Tally]  # each role's badge statuses, in the badge machine's order


async def census(organization_id: int) -> Census:
    standing_counts: Counter[tuple[str, str]] = Counter()
    rows = (
        await Participant.filter(organization_id=organization_id)
        .group_by("role", "standing")
        .annotate(n=Count("id"))
        .values("role", "standing", "n")
    )
    for row in rows:
        standing_counts[(Role(row["role"]).value, row["standing"])] += row["n"]
    badge_counts: Counter[tuple[str, str]] = Counter()
    badge_rows = (
        await BadgeRecord.filter(participant__organization_id=organization_id)
        .group_by("participant__role", "state")
        .annotate(n=Count("id"))
        .values("participant__role", "state", "n")
    )
    for row in badge_rows:
        badge_counts[(Role(row["participant__role"]).value, row["state"])] += row["n"]
    for role in Role:
        # Participants without a badge row count as having none.
        everyone = sum(n for (r, _), n in standing_counts.items() if r == role.value)
        badge_counts[(role.value, NO_BADGE)] += everyone - sum(
            n for (r, _), n in badge_counts.items() if r == role.value
        )
    return Census(
        standings=[
            Tally(role, state, standing_counts[(role.value, state)])
            for role in Role
            for state in machine_class(role).state_ids()
        ],
        badges=[
            Tally(role, state.id, badge_counts[(role.value, state.id)])
            for role in Role
            for state in BadgeMachine.states
        ],
    )
