"""Taking one standing step on a rule's behalf: the shared path of every time-based and reactive rule."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.deadlines.firing import Firing
from domain.kernel.actors import Actor
from domain.kernel.clock import FixedClock
from domain.models import Participant
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event
from domain.standing.ladder import DOWNWARD
from domain.standing.locks import hold_on, log_held


async def take_step(
    participant: Participant,
    event: str,
    *,
    rule: str,
    reason: str,
    evidence: dict[str, Any],
    now: datetime,
    dry_run: bool,
    policy_version: str,
    actor: Actor | None = None,
) -> Firing:
    """Send `event` for `rule`, logged under the version of the policy that decided it. A punitive step waits
    while an admin's lock or an open appeal holds the participant, and the log says so."""
    if event in DOWNWARD and (hold := await hold_on(participant.id, now)) is not None:
        if not dry_run:
            await log_held(
                participant,
                event,
                rule=rule,
                reason=reason,
                evidence=evidence,
                hold=hold,
                policy_version=policy_version,
                now=now,
            )
        return Firing(f"held: {event} waits for {hold.described}", held_until=hold.until)
    if dry_run:
        return Firing(f"would {event}: {reason}", event)
    result = await apply_event(
        StandingCommand(
            participant.id, event, actor or Actor.system(rule), reason, evidence=evidence, policy_version=policy_version
        ),
        clock=FixedClock(now),
    )
    if isinstance(result, TransitionApplied):
        return Firing(f"{event}: {reason}", event)
    return Firing(f"no change ({result.message})")
