"""GraphQL enums, derived from the machines and domain enums, never written out by hand."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import strawberry

from domain import models
from domain.access import principals
from domain.appeals.machine import AppealMachine
from domain.badges.machine import BadgeMachine
from domain.cases.decisions import Outcome, ReporterSummary
from domain.cases.machine import CaseMachine
from domain.cases.stages import STAGES
from domain.facts.machine import FactMachine
from domain.kernel import actors, roles
from domain.standing.machines import all_event_ids, all_state_ids


def _from_ids(name: str, ids: list[str], description: str) -> type[Enum]:
    """An enum whose members are a machine's ids (`first_notice` becomes FIRST_NOTICE)."""
    members = Enum(name, {value.upper(): value for value in ids})  # type: ignore[misc]
    return strawberry.enum(members, description=description)  # type: ignore[call-overload, no-any-return]


if TYPE_CHECKING:  # built at import time from the machines; to a type checker they are plain enums
    StandingState = Enum
    StandingEvent = Enum
    CaseState = Enum
    CaseEvent = Enum
    AppealState = Enum
    AppealEvent = Enum
    TransitionOutcome = Enum
    FactState = Enum
    FactEvent = Enum
else:
    StandingState = _from_ids(
        "StandingState", all_state_ids(), "Every state of the mentor and protégé standing machines."
    )
    StandingEvent = _from_ids(
        "StandingEvent", all_event_ids(), "Every event of the mentor and protégé standing machines."
    )
    CaseState = _from_ids("CaseState", CaseMachine.state_ids(), "Every state of the case machine.")
    CaseEvent = _from_ids(
        "CaseEvent",
        [*CaseMachine.event_ids(), "open", "assign", "report", "disclose_reporter"],
        "Every step of a case: its machine's events, and the steps that leave its state as it is.",
    )
    AppealState = _from_ids("AppealState", AppealMachine.state_ids(), "Every state of the appeal machine.")
    AppealEvent = _from_ids(
        "AppealEvent",
        [*AppealMachine.event_ids(), "file"],
        "Every step of an appeal: filing it, and its machine's events.",
    )
    FactState = _from_ids("FactState", FactMachine.state_ids(), "Every state of the fact machine.")
    FactEvent = _from_ids("FactEvent", FactMachine.event_ids(), "Every event of the fact machine.")
    TransitionOutcome = _from_ids(
        "TransitionOutcome",
        ["applied", "held"],
        "APPLIED: the step changed standing. HELD: automation would have taken it, and a lock or an open appeal held it.",
    )

# strawberry.enum registers the domain's own enum classes, which the schema then uses as they are.
strawberry.enum(roles.Role, description="A participant's role in the mentorship.")
strawberry.enum(actors.ActorKind, description="Who made a decision.")
strawberry.enum(principals.TokenRole, description="What a bearer token may do.")
strawberry.enum(models.GoalStatus, description="Where a SMART goal stands.")
strawberry.enum(models.SessionStatus, description="A session is booked, then ends one of four ways.")
strawberry.enum(models.Absentee, description="Who did not show.")
strawberry.enum(models.CommunityEventKind, description="Community events a mentor attends.")
strawberry.enum(models.ConcernCategory, description="What a concern is about, tied to the sections of the Code.")
strawberry.enum(models.ReporterKind, description="Who reported a concern.")
strawberry.enum(models.FactKind, description="What a recorded fact is: a no-show, or a lapsed 48-hour reply window.")
strawberry.enum(Outcome, name="CaseOutcome", description="How a case was decided.")
strawberry.enum(ReporterSummary, description="What reporters are told once their case is decided.")
Role = roles.Role
ActorKind = actors.ActorKind
TokenRole = principals.TokenRole
GoalStatus = models.GoalStatus
SessionStatus = models.SessionStatus
Absentee = models.Absentee
CommunityEventKind = models.CommunityEventKind
ConcernCategory = models.ConcernCategory
ReporterKind = models.ReporterKind
CaseOutcome = Outcome

# The badge machine's states and events (badge.status, badgeChanged), and every step caseChanged reports: the
# case's own steps and each stage deadline missed (domain/cases/stages.py names them `<stage>_overdue`).
if TYPE_CHECKING:
    BadgeStatus = Enum
    BadgeEvent = Enum
    CaseChangeEvent = Enum
else:
    BadgeStatus = _from_ids(
        "BadgeStatus", [state.id for state in BadgeMachine.states], "Every state of the badge machine."
    )
    BadgeEvent = _from_ids(
        "BadgeEvent", [event.id for event in BadgeMachine.events], "Every event of the badge machine."
    )
    CaseChangeEvent = _from_ids(
        "CaseChangeEvent",
        [member.value for member in CaseEvent] + [f"{stage}_overdue" for stage, _ in STAGES.values()],
        "Every step of a case a subscriber hears of: its steps, and each stage deadline it missed.",
    )
