"""GraphQL enums, derived from the machines and domain enums, never written out by hand."""

from __future__ import annotations

from enum import Enum

import strawberry

from domain import models
from domain.access import principals
from domain.kernel import actors, roles
from domain.standing.machines import all_event_ids, all_state_ids

StandingState = strawberry.enum(
    Enum("StandingState", {state.upper(): state for state in all_state_ids()}),  # type: ignore[misc]
    description="Every state of the mentor and protégé standing machines.",
)
StandingEvent = strawberry.enum(
    Enum("StandingEvent", {event.upper(): event for event in all_event_ids()}),  # type: ignore[misc]
    description="Every event of the mentor and protégé standing machines.",
)
Role = strawberry.enum(roles.Role, description="A participant's role in the mentorship.")
ActorKind = strawberry.enum(actors.ActorKind, description="Who made a decision.")
TokenRole = strawberry.enum(principals.TokenRole, description="What a bearer token may do.")
GoalStatus = strawberry.enum(models.GoalStatus, description="Where a SMART goal stands.")
SessionStatus = strawberry.enum(models.SessionStatus, description="A session is booked, then ends one of four ways.")
Absentee = strawberry.enum(models.Absentee, description="Who did not show.")
CommunityEventKind = strawberry.enum(models.CommunityEventKind, description="Community events a mentor attends.")
