"""Read side: viewer, participant, node, participants and the directory."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain import access, participants
from domain.roles import Role as DomainRole
from schema.context import principal_of
from schema.enums import Role, StandingState
from schema.ids import parse_participant_id
from schema.types import MAX_PAGE, ParticipantConnection, ParticipantNode, Profile, Viewer


async def _visible_participant(info: Info, id: str) -> ParticipantNode | None:
    participant_id = parse_participant_id(id)
    if participant_id is None:
        return None
    row = await access.visible_participants(principal_of(info)).filter(id=participant_id).first()
    return ParticipantNode.from_row(row) if row else None


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
    ) -> list[ParticipantNode]:  # a QuerySet, sliced by the connection into one LIMIT query
        principal = principal_of(info)
        query = access.visible_participants(principal)
        if organization_id is not None and str(organization_id) != str(principal.organization_id):
            query = query.none()  # tokens never see another organization
        if role is not None:
            query = query.filter(role=role)
        if standing is not None:
            query = query.filter(standing=standing.value)
        if visible is not None:
            query = participants.visibility_filter(query, visible)
        return query.order_by("id")  # type: ignore[return-value]

    @strawberry.field(
        description="Visible profiles of one role, as the other role browses them (hidden standings are left out)."
    )
    async def directory(self, info: Info, role: Role, first: int = 50, offset: int = 0) -> list[Profile]:
        principal = principal_of(info)
        rows = await (
            participants.directory(principal.organization_id, DomainRole(role))
            .order_by("display_name", "id").offset(max(0, offset)).limit(max(1, min(first, MAX_PAGE)))
        )
        return [
            Profile(id=strawberry.ID(str(r.id)), role=r.role, display_name=r.display_name, timezone=r.timezone)
            for r in rows
        ]
