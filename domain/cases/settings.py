"""An organization's own case stage deadlines, set by an admin with a reason and recorded like badge overrides."""

from __future__ import annotations

from typing import Any

from domain.cases.policy import CASE_POLICY, CasePolicy, validate_case_overrides
from domain.infra.db import transaction
from domain.kernel.actors import Actor
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound
from domain.kernel.text import reason_problem
from domain.models import BadgePolicyChange, Organization


async def set_case_stages(
    organization_id: int, overrides: Any, *, reason: str, actor: Actor, clock: Clock
) -> CasePolicy | InvalidInput | NotFound:
    """Replace the organization's stage overrides ({} restores Standing's); applies to cases opened from now."""
    if (wrong := validate_case_overrides(overrides)) is not None:
        return InvalidInput("stages", wrong)
    if (problem := reason_problem(reason, required=True)) is not None:
        return problem
    kept = overrides or None
    policy = CASE_POLICY.with_overrides(kept)
    async with transaction() as conn:
        organization = (
            await Organization.filter(id=organization_id).select_for_update(no_key=True).using_db(conn).first()
        )
        if organization is None:
            return NotFound("Organization", str(organization_id))
        previous = organization.case_policy
        await Organization.filter(id=organization_id).using_db(conn).update(case_policy=kept)
        await BadgePolicyChange.create(
            using_db=conn,
            organization_id=organization_id,
            policy="cases",
            actor_kind=actor.kind.value,
            actor_id=actor.id,
            reason=reason.strip(),
            previous=previous,
            overrides=kept,
            versions={"cases": policy.version},
            occurred_at=clock.now(),
        )
    return policy
