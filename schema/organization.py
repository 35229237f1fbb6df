"""The organization at a glance over GraphQL (admins and partners): its name and its census."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from domain.access.principals import TokenRole
from domain.models import Organization as OrganizationRow
from domain.participants.census import census
from schema.context import principal_of
from schema.enums import BadgeStatus, Role, StandingState
from schema.errors import AuthError
from schema.types import Organization


@strawberry.type(description="How many participants of one role stand in one state.")
class StandingCount:
    role: Role
    state: StandingState
    count: int


@strawberry.type(description="How many participants of one role have one badge status.")
class BadgeCount:
    role: Role
    status: BadgeStatus = strawberry.field(description="The badge machine's state, as on Badge.status.")
    count: int


@strawberry.type(description="Your organization: its display name, and counts by standing state and badge status.")
class OrganizationOverview:
    organization: Organization
    standings: list[StandingCount] = strawberry.field(description="Every state of each role's ladder, zeros included.")
    badges: list[BadgeCount] = strawberry.field(description="Every badge status of each role, zeros included.")


@strawberry.type
class OrganizationQueries:
    @strawberry.field(description="Your organization at a glance (admins and partners).")
    async def organization_overview(self, info: Info) -> OrganizationOverview:
        principal = principal_of(info)
        if principal.role is TokenRole.PARTICIPANT:
            raise AuthError("FORBIDDEN", "this needs an admin or partner token; yours is a participant token")
        row = await OrganizationRow.get(id=principal.organization_id)
        counted = await census(row.id)
        return OrganizationOverview(
            organization=Organization.from_row(row),
            standings=[
                StandingCount(role=t.role, state=StandingState(t.state), count=t.count) for t in counted.standings
            ],
            badges=[BadgeCount(role=t.role, status=BadgeStatus(t.state), count=t.count) for t in counted.badges],
        )
