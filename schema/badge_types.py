"""GraphQL views of a participant's Accountability Badge, its evidence, advice and perks."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.badges.advice import advise
from domain.badges.overrides import policy_for
from domain.badges.perks import perks_for
from domain.infra.snapshots import ParticipantRead
from domain.kernel.roles import Role
from domain.models import BadgeRecord
from schema.enums import BadgeStatus
from schema.loaders import BadgeSummary


@strawberry.type(description="One badge criterion as last evaluated: value against threshold over a window.")
class BadgeCriterion:
    key: str
    description: str
    met: bool
    value: float | None
    threshold: float
    window_start: datetime | None
    window_end: datetime
    note: str | None

    @classmethod
    def from_evidence(cls, item: dict) -> BadgeCriterion:
        """Evidence is stored as JSON, so its times come back as ISO strings."""
        start = item.get("window_start")
        return cls(
            key=item["key"],
            description=item["description"],
            met=item["met"],
            value=item["value"],
            threshold=item["threshold"],
            window_start=datetime.fromisoformat(start) if start else None,
            window_end=datetime.fromisoformat(item["window_end"]),
            note=item.get("note"),
        )


@strawberry.type(description="What to do, and by when, to earn or keep the badge.")
class BadgeAdvice:
    criterion: str
    message: str
    due_by: datetime | None


@strawberry.type
class BadgePerks:
    priority_listing: bool
    spotlight_eligible: bool
    early_access: bool
    bonus_referrals: bool
    committed_learner: bool
    ambassador_eligible: bool
    certificate_url: str | None


@strawberry.type
class Badge:
    status: BadgeStatus = strawberry.field(description="The badge machine's state: NONE, AWARDED, AT_RISK or REVOKED.")
    since: datetime | None
    cure_by: datetime | None = strawberry.field(
        description="While at risk: meet every criterion again by this time to keep the badge, or it is revoked."
    )
    policy_version: str | None
    evaluated_at: datetime | None
    criteria: list[BadgeCriterion]
    perks: BadgePerks
    participant: strawberry.Private[ParticipantRead]
    evidence: strawberry.Private[list[dict]]

    @classmethod
    def from_record(cls, participant: ParticipantRead, record: BadgeRecord | BadgeSummary | None) -> Badge:
        state = record.state if record else "none"
        perks = perks_for(Role(participant.role), state)
        url = f"/certificates/{record.certificate_code}.pdf" if record and perks.certificate else None
        evidence: list[dict] = list(record.criteria) if record else []
        return cls(
            status=BadgeStatus(state),
            since=record.since if record else None,
            cure_by=record.cure_by if record else None,
            policy_version=record.policy_version if record else None,
            evaluated_at=record.evaluated_at if record else None,
            criteria=[BadgeCriterion.from_evidence(item) for item in evidence],
            perks=BadgePerks(
                priority_listing=perks.priority_listing,
                spotlight_eligible=perks.spotlight_eligible,
                early_access=perks.early_access,
                bonus_referrals=perks.bonus_referrals,
                committed_learner=perks.committed_learner,
                ambassador_eligible=perks.ambassador_eligible,
                certificate_url=url,
            ),
            participant=participant,
            evidence=evidence,
        )

    @strawberry.field(
        description="For each criterion unmet or about to lapse: what to do and by when. "
        "Costs a few queries: ask for it on one participant, not on a page."
    )
    async def advice(self, info: Info) -> list[BadgeAdvice]:
        policy = await policy_for(self.participant.organization_id, Role(self.participant.role))
        found = await advise(self.participant.id, policy, self.evidence, info.context.clock.now(), self.cure_by)
        return [BadgeAdvice(criterion=a.criterion, message=a.message, due_by=a.due_by) for a in found]
