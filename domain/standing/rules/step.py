"""Taking one standing step on a rule's behalf: the shared path of every time-based and reactive rule."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.deadlines.firing import Firing
from domain.kernel.actors import Actor
from domain.kernel.clock import FixedClock
from domain.models import Participant
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event


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
    """Send `event` for `rule`, logged under the version of the policy that decided it."""
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
