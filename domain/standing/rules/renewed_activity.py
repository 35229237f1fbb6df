"""Protégé Code, Warning, read in reverse: acting again lifts an inactivity warning, and the 60-day
inactivity horizon starts again from now."""

from __future__ import annotations

from datetime import datetime

from domain.deadlines.firing import Firing
from domain.deadlines.schedule import schedule
from domain.kernel.actors import Actor, ActorKind
from domain.models import DeadlineKind, Participant
from domain.standing.policy import TIME_POLICY
from domain.standing.rules.step import take_step


async def renewed_activity(protege: Participant, activity: str, now: datetime) -> Firing | None:
    await schedule(DeadlineKind.INACTIVITY, protege.id, TIME_POLICY.inactivity_due(now), now, rearm=True)
    if protege.standing != "warning":
        return None
    actor = Actor(ActorKind.PARTICIPANT, f"participant:{protege.id}")
    return await take_step(
        protege,
        "restore_good_standing",
        rule="renewed_activity",
        reason=f"active again: {activity}",
        evidence={"activity": activity},
        now=now,
        dry_run=False,
        actor=actor,
        policy_version=TIME_POLICY.version,
    )
