"""GraphQL enums, derived from the machines and domain enums, never written out by hand."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import strawberry

from domain import models
from domain.access import principals
from domain.kernel import actors, roles
from domain.standing.machines import all_event_ids, all_state_ids


def _from_ids(name: str, ids: list[str], description: str) -> type[Enum]:
    """An enum whose members are a machine's ids (`first_notice` becomes FIRST_NOTICE)."""
    members = Enum(name, {value.upper(): value for value in ids})  # type: ignore[misc]
    return strawberry.enum(members, description=description)  # type: ignore[call-overload, no-any-return]


if TYPE_CHECKING:  # built at import time from the machines; to a type checker they are plain enums
    StandingState = Enum
    StandingEvent = Enum
else:
    StandingState = _from_ids(
        "StandingState", all_state_ids(), "Every state of the mentor and protégé standing machines."
    )
    StandingEvent = _from_ids(
        "StandingEvent", all_event_ids(), "Every event of the mentor and protégé standing machines."
    )

# strawberry.enum registers the domain's own enum classes, which the schema then uses as they are.
strawberry.enum(roles.Role, description="A participant's role in the mentorship.")
strawberry.enum(actors.ActorKind, description="Who made a decision.")
strawberry.enum(principals.TokenRole, description="What a bearer token may do.")
strawberry.enum(models.GoalStatus, description="Where a SMART goal stands.")
strawberry.enum(models.SessionStatus, description="A session is booked, then ends one of four ways.")
strawberry.enum(models.Absentee, description="Who did not show.")
strawberry.enum(models.CommunityEventKind, description="Community events a mentor attends.")
Role = roles.Role
ActorKind = actors.ActorKind
TokenRole = principals.TokenRole
GoalStatus = models.GoalStatus
SessionStatus = models.SessionStatus
Absentee = models.Absentee
CommunityEventKind = models.CommunityEventKind
