"""Read side: viewer, participant, node, participants and the directory."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry import relay
from strawberry.types import Info
from tortoise.expressions import Q

from domain.access.visibility import visible_participant, visible_participants
from domain.kernel.roles import Role as DomainRole
from domain.models import AvailabilityWindow, Goal, MentorshipSession, Message, Nudge, ServiceOffering
from domain.participants import directory as listings
from schema import activity_types as t
from schema.context import principal_of
from schema.enums import Role, StandingState
from schema.ids import parse_participant_id
from schema.mutations.activity import view
from schema.types import MAX_PAGE, ParticipantConnection, ParticipantNode, Profile, Viewer


async def _visible_participant(info: Info, id: str) -> ParticipantNode | None:
    participant_id = parse_participant_id(id)
    if participant_id is None:
        return None
    row = await visible_participant(principal_of(info), participant_id)
    return ParticipantNode.from_row(row) if row else None


@strawberry.enum(description="ID: registration order. PRIORITY: badge holders first (a badge perk), then by id.")
class ParticipantOrder(Enum):
    ID = "id"
    PRIORITY = "priority"


def _owned(info: Info, participant_id: strawberry.ID):
    """The visible participant's id, or None: activity lists are as private as the participant."""
    return visible_participants(principal_of(info)).filter(id=parse_participant_id(participant_id) or -1)


@strawberry.type
class Query:
    @strawberry.field(description="Any object by its global id; null when not visible to you.")
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        # Written out rather than relay.node(): that field extension can only be built into one schema.
        return await _visible_participant(info, id)

    @strawberry.field(description="Who the bearer token belongs to.")
    def viewer(self, info: Info) -> Viewer:
        principal = principal_of(info)
        return Viewer(
            role=principal.role,
            organization_id=strawberry.ID(str(principal.organization_id)),
            participant_id=strawberry.ID(str(principal.participant_id)) if principal.participant_id else None,
        )

    @strawberry.field(description="A participant by global or database id; null when not visible to you.")
    async def participant(self, info: Info, id: strawberry.ID) -> ParticipantNode | None:
        return await _visible_participant(info, id)

    @relay.connection(ParticipantConnection, max_results=MAX_PAGE)
    def participants(
        self,
        info: Info,
        role: Role | None = None,
        standing: StandingState | None = None,
        organization_id: strawberry.ID | None = None,
        visible: bool | None = None,
        order_by: ParticipantOrder = ParticipantOrder.ID,
    ) -> list[ParticipantNode]:  # a QuerySet, sliced by the connection into one LIMIT query
        principal = principal_of(info)
        query = visible_participants(principal)
        if organization_id is not None and str(organization_id) != str(principal.organization_id):
            return []  # type: ignore[return-value]  # tokens never see another organization
        if role is not None:
            query = query.filter(role=role)
        if standing is not None:
            query = query.filter(standing=standing.value)
        if visible is not None:
            query = listings.visibility_filter(query, visible)
        if order_by is ParticipantOrder.PRIORITY:
            return listings.badge_holders_first(query)  # type: ignore[return-value]
        return query.order_by("id")  # type: ignore[return-value]

    @strawberry.field(
        description="Visible profiles of one role, as the other role browses them (hidden standings are left out)."
    )
    async def directory(self, info: Info, role: Role, first: int = 50, offset: int = 0) -> list[Profile]:
        principal = principal_of(info)
        rows = await (
            listings.directory(principal.organization_id, DomainRole(role))
            .order_by("display_name", "id")
            .offset(max(0, offset))
            .limit(max(1, min(first, MAX_PAGE)))
        )
        return [
            Profile(id=strawberry.ID(str(r.id)), role=r.role, display_name=r.display_name, timezone=r.timezone)
            for r in rows
        ]

    @strawberry.field(description="A participant's goals, as owner or tracking mentor.")
    async def goals(self, info: Info, participant_id: strawberry.ID) -> list[t.Goal]:
        ids = await _owned(info, participant_id).values_list("id", flat=True)
        rows = await Goal.filter(Q(protege_id__in=ids) | Q(mentor_id__in=ids)).order_by("id")
        return [view(t.Goal, r) for r in rows]

    @strawberry.field(description="A participant's sessions, newest first.")
    async def sessions(self, info: Info, participant_id: strawberry.ID, first: int = 50) -> list[t.MentorshipSession]:
        ids = await _owned(info, participant_id).values_list("id", flat=True)
        rows = (
            await MentorshipSession.filter(Q(protege_id__in=ids) | Q(mentor_id__in=ids))
            .order_by("-scheduled_at")
            .limit(max(1, min(first, MAX_PAGE)))
        )
        return [view(t.MentorshipSession, r) for r in rows]

    @strawberry.field(description="Messages a participant sent or received, newest first.")
    async def messages(self, info: Info, participant_id: strawberry.ID, first: int = 50) -> list[t.Message]:
        ids = await _owned(info, participant_id).values_list("id", flat=True)
        rows = (
            await Message.filter(Q(sender_id__in=ids) | Q(recipient_id__in=ids))
            .order_by("-sent_at")
            .limit(max(1, min(first, MAX_PAGE)))
        )
        return [view(t.Message, r) for r in rows]

    @strawberry.field(description="A mentor's service offerings and open availability.")
    async def offerings(self, info: Info, participant_id: strawberry.ID) -> list[t.ServiceOffering]:
        ids = await _owned(info, participant_id).values_list("id", flat=True)
        return [view(t.ServiceOffering, r) for r in await ServiceOffering.filter(mentor_id__in=ids).order_by("id")]

    @strawberry.field
    async def availability(self, info: Info, participant_id: strawberry.ID) -> list[t.AvailabilityWindow]:
        ids = await _owned(info, participant_id).values_list("id", flat=True)
        rows = await AvailabilityWindow.filter(mentor_id__in=ids, ends_at__gt=info.context.clock.now()).order_by(
            "starts_at"
        )
        return [view(t.AvailabilityWindow, r) for r in rows]

    @strawberry.field(description="Nudges recorded for a participant, newest first.")
    async def nudges(self, info: Info, participant_id: strawberry.ID, first: int = 50) -> list[t.Nudge]:
        ids = await _owned(info, participant_id).values_list("id", flat=True)
        rows = (
            await Nudge.filter(participant_id__in=ids)
            .order_by("-created_at", "-id")
            .limit(max(1, min(first, MAX_PAGE)))
        )
        return [view(t.Nudge, r) for r in rows]
