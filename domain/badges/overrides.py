"""An organization's own badge thresholds and windows (the Code lets each platform tune its badges): read and set.

Setting them is an admin decision like any other: it needs a reason, it is validated against the
policy (`validate_overrides`), and it is recorded with who made it, the values before and after, and
the policy version each role is evaluated under from then on, which is the version that badges and
their log rows carry. New values apply at the next evaluation: nightly, or a participant's next
recorded activity.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from domain.badges.policy import BadgePolicy, policies_with, validate_overrides
from domain.infra.db import transaction
from domain.kernel.actors import Actor
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound
from domain.kernel.roles import Role
from domain.kernel.text import reason_problem
from domain.models import BadgePolicyChange, Organization

MAX_OVERRIDES_BYTES = 10_000


async def policies_for(organization_id: int) -> dict[Role, BadgePolicy]:
    """The policy each role of this organization is evaluated under, its overrides included."""
    organization = await Organization.filter(id=organization_id).only("id", "policy_overrides").first()
    return policies_with(organization.policy_overrides if organization else None)


async def policy_for(organization_id: int, role: Role) -> BadgePolicy:
    return (await policies_for(organization_id))[role]


@dataclass(frozen=True)
class OverridesSet:
    change: BadgePolicyChange
    policies: dict[Role, BadgePolicy]


def _problem(overrides: Any, reason: str) -> InvalidInput | None:
    if (
        not isinstance(overrides, dict)
        or not all(isinstance(v, dict) for v in overrides.values())
        or not all(isinstance(c, dict) for changes in overrides.values() for c in changes.values())
    ):
        return InvalidInput(
            "overrides", 'an object by role, then criterion: {"protege": {"session_attendance": {"threshold": 4}}}'
        )
    if len(json.dumps(overrides)) > MAX_OVERRIDES_BYTES:
        return InvalidInput("overrides", f"at most {MAX_OVERRIDES_BYTES} bytes")
    if (problem := validate_overrides(overrides)) is not None:
        return InvalidInput("overrides", problem)
    return reason_problem(reason, required=True)


async def set_badge_overrides(
    organization_id: int, overrides: Any, *, reason: str, actor: Actor, clock: Clock
) -> OverridesSet | InvalidInput | NotFound:
    """Replace the organization's overrides (an empty object restores the Code's values everywhere)."""
    if (problem := _problem(overrides, reason)) is not None:
        return problem
    # Roles and criteria left empty change nothing; storing them would only change the version's hash.
    trimmed = {role: {k: c for k, c in changes.items() if c} for role, changes in overrides.items()}
    kept = {role: changes for role, changes in trimmed.items() if changes} or None
    policies = policies_with(kept)
    async with transaction() as conn:
        organization = (
            await Organization.filter(id=organization_id).select_for_update(no_key=True).using_db(conn).first()
        )
        if organization is None:
            return NotFound("Organization", str(organization_id))
        previous = organization.policy_overrides
        await Organization.filter(id=organization_id).using_db(conn).update(policy_overrides=kept)
        change = await BadgePolicyChange.create(
            using_db=conn,
            organization_id=organization_id,
            actor_kind=actor.kind.value,
            actor_id=actor.id,
            reason=reason.strip(),
            previous=previous,
            overrides=kept,
            versions={role.value: policy.version for role, policy in policies.items()},
            occurred_at=clock.now(),
        )
    return OverridesSet(change=change, policies=policies)
