"""A cohort to act on: a mentor with two protégés, each of whom had a session with them that the mentor missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from domain.access.principals import TokenRole
from domain.activity.acting import Acting
from domain.activity.calendar import AddAvailability
from domain.activity.goals import CreateGoal
from domain.activity.record import record_activity
from domain.activity.sessions import BookSession, RecordSessionOutcome
from domain.kernel.roles import Role
from domain.models import Absentee, MentorshipSession, Participant, SessionStatus
from tests.support.activity import smart
from tests.support.world import World, issue


@dataclass
class Cohort:
    world: World
    second: Participant  # a second protégé of the world's mentor
    second_token: str
    sessions: dict[int, MentorshipSession]  # protégé id -> their missed session with the mentor
    other_admin_same_org: str  # an admin of demo who is not a party to anything


@pytest.fixture
async def cohort(world, clock) -> Cohort:
    admin = Acting(world.org_id)
    second = await world.participant(Role.PROTEGE, "Quinn Protege")
    await record_activity(
        admin,
        AddAvailability(mentor_id=world.mentor.id, starts_at=clock.now(), ends_at=clock.now() + timedelta(days=60)),
        clock=clock,
    )
    sessions = {}
    for protege in (world.protege, second):
        goal = await record_activity(
            admin, CreateGoal(protege_id=protege.id, goal=smart(clock=clock), mentor_id=world.mentor.id), clock=clock
        )
        session = await record_activity(
            admin,
            BookSession(
                mentor_id=world.mentor.id,
                protege_id=protege.id,
                goal_id=goal.id,
                scheduled_at=clock.now() + timedelta(hours=1),
            ),
            clock=clock,
        )
        sessions[protege.id] = session
    clock.advance(timedelta(hours=3))
    for session in sessions.values():
        missed = await record_activity(
            admin,
            RecordSessionOutcome(session_id=session.id, outcome=SessionStatus.NO_SHOW, absentee=Absentee.MENTOR),
            clock=clock,
        )
        assert isinstance(missed, MentorshipSession)
    second_token = await issue("demo", TokenRole.PARTICIPANT, clock, second.id)
    other_admin = await issue("demo", TokenRole.ADMIN, clock)
    return Cohort(world, second, second_token, sessions, other_admin)
