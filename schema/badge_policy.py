"""The organization's badge policy over GraphQL: everyone reads the thresholds, admins change them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain.badges import overrides as badge_overrides
from domain.badges.overrides import policies_for
from domain.badges.policy import BADGE_POLICIES
from domain.badges.policy import BadgePolicy as DomainBadgePolicy
from domain.kernel.actors import ActorKind as DomainActorKind
from domain.kernel.rejections import InvalidInput, NotFound
from domain.models import BadgePolicyChange as ChangeRow
from schema.context import admin_of, principal_of
from schema.enums import ActorKind, Role
from schema.errors import InvalidInputError, NotFoundError, to_graphql
from schema.types import Actor

MAX_CHANGES = 100


@strawberry.type(description="One badge criterion as this organization evaluates it.")
class PolicyCriterion:
    key: str
    description: str
    measure: str = strawberry.field(description="count: at least `threshold` things; rate: at least that fraction.")
    threshold: float
    window_days: int | None = strawberry.field(description="The rolling window; null when the Code names none.")
    source: str = strawberry.field(description="Where the criterion comes from in the Code of Conduct.")
    overridden: bool = strawberry.field(description="Whether this organization changed the Code's value.")


@strawberry.type(description="The badge policy one role is evaluated under in this organization.")
class BadgePolicy:
    role: Role
    version: str = strawberry.field(description="What badges and their log rows record as policyVersion.")
    criteria: list[PolicyCriterion]

    @classmethod
    def from_policy(cls, policy: DomainBadgePolicy) -> BadgePolicy:
        code = BADGE_POLICIES[policy.role]
        criteria = []
        for c in policy.criteria:
            base = code.criterion(c.key)
            criteria.append(
                PolicyCriterion(
                    key=c.key,
                    description=c.description,
                    measure=c.measure.value,
                    threshold=c.threshold,
                    window_days=c.window.days if c.window else None,
                    source=c.source,
                    overridden=(c.threshold, c.window) != (base.threshold, base.window),
                )
            )
        return cls(role=policy.role, version=policy.version, criteria=criteria)


@strawberry.type(description="An admin's change of the organization's badge overrides.")
class BadgePolicyChange:
    id: strawberry.ID
    actor: Actor
    reason: str
    previous: JSON | None
    overrides: JSON | None
    versions: JSON = strawberry.field(description="The policy version of each role from this change on.")
    occurred_at: datetime

    @classmethod
    def from_row(cls, row: ChangeRow) -> BadgePolicyChange:
        return cls(
            id=strawberry.ID(str(row.id)),
            actor=Actor(kind=ActorKind(DomainActorKind(row.actor_kind)), id=row.actor_id),
            reason=row.reason,
            previous=row.previous,
            overrides=row.overrides,
            versions=row.versions,
            occurred_at=row.occurred_at,
        )


@strawberry.type
class BadgeOverridesPayload:
    change: BadgePolicyChange
    policies: list[BadgePolicy]


SetBadgeOverridesResult = Annotated[
    BadgeOverridesPayload | InvalidInputError | NotFoundError, strawberry.union("SetBadgeOverridesResult")
]


@strawberry.type
class BadgePolicyQueries:
    @strawberry.field(description="The badge criteria each role is held to in your organization, overrides included.")
    async def badge_policies(self, info: Info) -> list[BadgePolicy]:
        policies = await policies_for(principal_of(info).organization_id)
        return [BadgePolicy.from_policy(p) for p in policies.values()]

    @strawberry.field(description="Changes of the organization's badge overrides, newest first (admins).")
    async def badge_policy_changes(self, info: Info, first: int = 20) -> list[BadgePolicyChange]:
        principal = admin_of(info)
        rows = (
            await ChangeRow.filter(organization_id=principal.organization_id)
            .order_by("-id")
            .limit(max(1, min(first, MAX_CHANGES)))
        )
        return [BadgePolicyChange.from_row(r) for r in rows]


@strawberry.type
class BadgePolicyMutations:
    @strawberry.mutation(
        description=(
            'Replace the organization\'s badge overrides, e.g. {"protege": {"session_attendance": {"threshold": 4}}}; '
            "{} restores the Code's values. Applies at the next evaluation (nightly, or a participant's next activity)."
        )
    )
    async def set_badge_overrides(self, info: Info, overrides: JSON, reason: str) -> SetBadgeOverridesResult:
        principal = admin_of(info)
        result = await badge_overrides.set_badge_overrides(
            principal.organization_id,
            overrides,
            reason=reason,
            actor=principal.actor,
            clock=info.context.clock,
        )
        if isinstance(result, (InvalidInput, NotFound)):
            return to_graphql(result)  # type: ignore[return-value]
        return BadgeOverridesPayload(
            change=BadgePolicyChange.from_row(result.change),
            policies=[BadgePolicy.from_policy(p) for p in result.policies.values()],
        )
