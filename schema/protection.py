"""Protecting the other party over GraphQL: mentors to suggest to a protégé who needs one, and admins'
no-contact orders."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.access.visibility import can_read
from domain.kernel.roles import Role
from domain.models import NoContactOrder as OrderRow
from domain.models import Participant
from domain.protection.no_contact import NoContact, order_no_contact
from domain.protection.rematch import suggested_mentors
from schema.context import admin_of, principal_of
from schema.errors import InvalidInputError, NotFoundError, to_graphql
from schema.ids import any_id
from schema.types import ParticipantNode


@strawberry.type(description="A mentor to suggest: in good standing, with availability ahead and an offering.")
class SuggestedMentor:
    mentor: ParticipantNode
    badge_holder: bool = strawberry.field(description="Holds the Accountability Badge: listed first.")
    available_until: datetime = strawberry.field(description="The end of their furthest open availability.")
    offerings: list[str]
    upcoming_sessions: int = strawberry.field(description="Sessions already booked ahead: fewer ranks higher.")


@strawberry.type(description="An admin's order that two participants neither book nor message each other.")
class NoContactOrder:
    id: strawberry.ID
    participant_a_id: strawberry.ID
    participant_b_id: strawberry.ID
    requested_by: strawberry.ID | None
    until: datetime
    reason: str
    ordered_by: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: OrderRow) -> NoContactOrder:
        return cls(
            id=strawberry.ID(str(row.id)),
            participant_a_id=strawberry.ID(str(row.party_a_id)),
            participant_b_id=strawberry.ID(str(row.party_b_id)),
            requested_by=strawberry.ID(str(row.requested_by)) if row.requested_by else None,
            until=row.until,
            reason=row.reason,
            ordered_by=row.ordered_by,
            created_at=row.created_at,
        )


@strawberry.input
class OrderNoContactInput:
    participant_a_id: strawberry.ID
    participant_b_id: strawberry.ID
    until: datetime = strawberry.field(description="The order ends by itself at this second; at most a year ahead.")
    reason: str
    requested_by: strawberry.ID | None = strawberry.field(
        default=None, description="Which of the two asked for it: only they (and admins) are told of it when refused."
    )


OrderNoContactResult = Annotated[
    NoContactOrder | NotFoundError | InvalidInputError, strawberry.union("OrderNoContactResult")
]


@strawberry.type
class ProtectionQueries:
    @strawberry.field(
        description="Mentors to suggest to a protégé (theirs, an admin's, a partner's read): good standing, "
        "availability ahead and an offering, badge holders first, then the least booked."
    )
    async def suggested_mentors(self, info: Info, protege_id: strawberry.ID, first: int = 10) -> list[SuggestedMentor]:
        principal = principal_of(info)
        protege = await Participant.filter(
            id=any_id(protege_id), organization_id=principal.organization_id, role=Role.PROTEGE
        ).first()
        if protege is None or not can_read(principal, protege):
            return []
        found = await suggested_mentors(protege, info.context.clock.now(), first)
        return [
            SuggestedMentor(
                mentor=ParticipantNode.from_row(s.mentor),
                badge_holder=s.badge_holder,
                available_until=s.available_until,
                offerings=s.offerings,
                upcoming_sessions=s.upcoming_sessions,
            )
            for s in found
        ]

    @strawberry.field(description="The no-contact orders a participant is part of, in force or past (admins).")
    async def no_contact_orders(self, info: Info, participant_id: strawberry.ID) -> list[NoContactOrder]:
        principal = admin_of(info)
        who = any_id(participant_id)
        rows = await OrderRow.filter(organization_id=principal.organization_id).order_by("-id")
        return [NoContactOrder.from_row(r) for r in rows if who in (r.party_a_id, r.party_b_id)]


@strawberry.type
class ProtectionMutations:
    @strawberry.mutation(
        description="Order two participants of your organization apart until a time (admins): booking and "
        "messaging between them are refused meanwhile."
    )
    async def order_no_contact(self, info: Info, input: OrderNoContactInput) -> OrderNoContactResult:
        principal = admin_of(info)
        command = NoContact(
            organization_id=principal.organization_id,
            party_a=any_id(input.participant_a_id),
            party_b=any_id(input.participant_b_id),
            until=input.until,
            reason=input.reason,
            requested_by=any_id(input.requested_by) if input.requested_by is not None else None,
        )
        result = await order_no_contact(command, by=principal.actor, clock=info.context.clock)
        return NoContactOrder.from_row(result) if isinstance(result, OrderRow) else to_graphql(result)  # type: ignore[return-value]
