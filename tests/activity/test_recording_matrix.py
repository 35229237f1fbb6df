"""Who may record which fact about whom (docs/decisions.md, "Who records what"), cell by cell.

Admins record for anyone in their organization, backfilling included. A participant records facts only
about a real relationship (a goal the protégé created naming the mentor, or a booking both can see), books
only what is still ahead, and never writes a fact as someone else. The attack that pushed a stranger into
reminder through a mentor token is replayed over GraphQL at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from domain.activity.acting import Acting
from domain.activity.calendar import AddAvailability
from domain.activity.community import RecordCommunityEvent
from domain.activity.goals import CreateGoal
from domain.activity.messages import SendMessage
from domain.activity.record import record_activity
from domain.activity.sessions import BookSession, RecordSessionOutcome, SubmitSessionFeedback, SubmitSessionNote
from domain.kernel.roles import Role
from domain.models import Absentee, CommunityEventKind, Goal, MentorshipSession, Participant, SessionStatus
from tests.support.activity import smart

OK = "ok"


@dataclass
class Cast:
    """P chose M (P's goal names M); M2 and P2 are in the organization but in no mentorship with them."""

    org: int
    p: Participant
    m: Participant
    p2: Participant
    m2: Participant
    goal: Goal
    session: MentorshipSession  # booked between M and P, now started

    def acting(self, who: str) -> Acting:
        return Acting(self.org) if who == "admin" else Acting(self.org, getattr(self, who).id)


@pytest.fixture
async def cast(world, clock) -> Cast:
    admin = Acting(world.org_id)
    p2 = await world.participant(Role.PROTEGE, "Pia Elsewhere")
    m2 = await world.participant(Role.MENTOR, "Max Elsewhere")
    goal = await record_activity(
        admin, CreateGoal(protege_id=world.protege.id, goal=smart(clock=clock), mentor_id=world.mentor.id), clock=clock
    )
    await record_activity(
        admin,
        AddAvailability(mentor_id=world.mentor.id, starts_at=clock.now(), ends_at=clock.now() + timedelta(days=30)),
        clock=clock,
    )
    session = await record_activity(
        admin,
        BookSession(
            mentor_id=world.mentor.id,
            protege_id=world.protege.id,
            goal_id=goal.id,
            scheduled_at=clock.now() + timedelta(hours=1),
        ),
        clock=clock,
    )
    clock.advance(timedelta(hours=2))  # the session has started: its outcome can be recorded
    return Cast(world.org_id, world.protege, world.mentor, p2, m2, goal, session)


def outcome(result) -> str:
    return OK if type(result).__name__ not in {"NotFound", "InvalidInput", "NotPermitted"} else type(result).__name__


async def _run(cast: Cast, clock, who: str, make) -> str:
    return outcome(await record_activity(cast.acting(who), make(cast, clock), clock=clock))


def future(c: Cast, clock, hours: int = 24):
    return clock.now() + timedelta(hours=hours)


def GOAL(c, clock):
    return CreateGoal(protege_id=c.p.id, goal=smart(clock=clock), mentor_id=c.m.id)


def BOOK_AHEAD(c, clock):
    return BookSession(
        mentor_id=c.m.id,
        protege_id=c.p.id,
        goal_id=c.goal.id,
        scheduled_at=future(c, clock),
    )


def BOOK_PAST(c, clock):
    return BookSession(
        mentor_id=c.m.id,
        protege_id=c.p.id,
        goal_id=c.goal.id,
        scheduled_at=clock.now() - timedelta(days=1),
    )


def BOOK_OFF_CALENDAR(c, clock):
    return BookSession(
        mentor_id=c.m.id,
        protege_id=c.p.id,
        goal_id=c.goal.id,
        scheduled_at=future(c, clock, 24 * 60),
    )


def BOOK_OTHER_MENTOR(c, clock):
    return BookSession(
        mentor_id=c.m2.id,
        protege_id=c.p.id,
        goal_id=c.goal.id,
        scheduled_at=future(c, clock),
    )


def NO_SHOW(c, clock):
    return RecordSessionOutcome(
        session_id=c.session.id,
        outcome=SessionStatus.NO_SHOW,
        absentee=Absentee.PROTEGE,
    )


def MESSAGE_P(c, clock):
    return SendMessage(sender_id=c.m.id, recipient_id=c.p.id)


def MESSAGE_P_FROM_M2(c, clock):
    return SendMessage(sender_id=c.m2.id, recipient_id=c.p.id)


def MESSAGE_M_FROM_P2(c, clock):
    return SendMessage(sender_id=c.p2.id, recipient_id=c.m.id)


def AVAILABILITY(c, clock):
    return AddAvailability(
        mentor_id=c.m.id,
        starts_at=clock.now(),
        ends_at=future(c, clock),
    )


def COMMUNITY_M(c, clock):
    return RecordCommunityEvent(
        participant_id=c.m.id,
        kind=CommunityEventKind.WEBINAR,
        title="Feedback that lands",
    )


MATRIX = [
    # (fact, who records it, expected)
    ("goal for P naming M", GOAL, "admin", OK),
    ("goal for P naming M", GOAL, "p", OK),
    ("goal for P naming M", GOAL, "m", "NotPermitted"),
    ("goal for P naming M", GOAL, "p2", "NotPermitted"),
    ("booking ahead, in M's calendar", BOOK_AHEAD, "admin", OK),
    ("booking ahead, in M's calendar", BOOK_AHEAD, "p", OK),
    ("booking ahead, in M's calendar", BOOK_AHEAD, "m", OK),
    ("booking ahead, in M's calendar", BOOK_AHEAD, "m2", "NotPermitted"),
    ("booking ahead, in M's calendar", BOOK_AHEAD, "p2", "NotPermitted"),
    ("booking in the past", BOOK_PAST, "admin", OK),
    ("booking in the past", BOOK_PAST, "p", "InvalidInput"),
    ("booking in the past", BOOK_PAST, "m", "InvalidInput"),
    ("booking outside M's calendar", BOOK_OFF_CALENDAR, "p", "NotPermitted"),
    ("booking outside M's calendar", BOOK_OFF_CALENDAR, "m", OK),
    ("booking P's goal with another mentor", BOOK_OTHER_MENTOR, "p", "InvalidInput"),
    ("booking P's goal with another mentor", BOOK_OTHER_MENTOR, "m2", "InvalidInput"),
    ("P's no-show in a started session", NO_SHOW, "admin", OK),
    ("P's no-show in a started session", NO_SHOW, "m", OK),
    ("P's no-show in a started session", NO_SHOW, "p", OK),
    ("P's no-show in a started session", NO_SHOW, "m2", "NotFound"),
    ("P's no-show in a started session", NO_SHOW, "p2", "NotFound"),
    ("message from M to P", MESSAGE_P, "admin", OK),
    ("message from M to P", MESSAGE_P, "m", OK),
    ("message from M to P", MESSAGE_P, "p", "NotPermitted"),
    ("message from M2 to P", MESSAGE_P_FROM_M2, "m2", "NotPermitted"),
    ("message from M2 to P", MESSAGE_P_FROM_M2, "admin", OK),
    ("message from P2 to M", MESSAGE_M_FROM_P2, "p2", "NotPermitted"),
    ("M's availability", AVAILABILITY, "m", OK),
    ("M's availability", AVAILABILITY, "p", "NotPermitted"),
    ("M's availability", AVAILABILITY, "m2", "NotPermitted"),
    ("M's community event", COMMUNITY_M, "m", OK),
    ("M's community event", COMMUNITY_M, "m2", "NotPermitted"),
    ("M's community event", COMMUNITY_M, "admin", OK),
]


@pytest.mark.parametrize(("fact", "make", "who", "expected"), MATRIX, ids=[f"{f} by {w}" for f, _, w, _ in MATRIX])
async def test_who_may_record_which_fact_about_whom(cast, clock, fact, make, who, expected):
    assert await _run(cast, clock, who, make) == expected


@pytest.mark.parametrize(("who", "expected"), [("m", OK), ("p", "NotPermitted"), ("admin", OK), ("m2", "NotFound")])
async def test_session_notes_are_the_mentors(cast, clock, who, expected):
    attended = await record_activity(
        Acting(cast.org), RecordSessionOutcome(session_id=cast.session.id, outcome=SessionStatus.ATTENDED), clock=clock
    )
    assert isinstance(attended, MentorshipSession)
    assert (
        await _run(cast, clock, who, lambda c, _: SubmitSessionNote(session_id=c.session.id, body="Reviewed"))
        == expected
    )


@pytest.mark.parametrize(("who", "expected"), [("p", OK), ("m", "NotPermitted"), ("admin", OK), ("p2", "NotFound")])
async def test_session_feedback_is_the_proteges(cast, clock, who, expected):
    await record_activity(
        Acting(cast.org), RecordSessionOutcome(session_id=cast.session.id, outcome=SessionStatus.ATTENDED), clock=clock
    )
    assert (
        await _run(cast, clock, who, lambda c, _: SubmitSessionFeedback(session_id=c.session.id, body="Useful"))
        == expected
    )


ATTACK = {
    "goal": """mutation($p: ID!, $m: ID!, $due: Date!) { createGoal(input: {protegeId: $p, mentorId: $m,
      specific: "x", measurable: "x", achievable: "x", relevant: "x", dueOn: $due}) { __typename ... on Goal { id } } }""",
    "book": """mutation($input: BookSessionInput!) { bookSession(input: $input) { __typename
      ... on UserError { message } } }""",
}


async def test_a_mentor_token_cannot_push_a_stranger_into_reminder(gql, world, clock):
    victim = await world.participant(Role.PROTEGE, "Vic Victim")
    due = (clock.now().date() + timedelta(days=30)).isoformat()
    goal = await gql.data(
        ATTACK["goal"], {"p": str(victim.id), "m": str(world.mentor.id), "due": due}, token=world.mentor_token
    )
    assert goal["createGoal"]["__typename"] == "NotPermittedError"
    own = await record_activity(
        Acting(world.org_id), CreateGoal(protege_id=victim.id, goal=smart(clock=clock)), clock=clock
    )  # a goal of the victim's that names nobody
    yesterday = {
        "mentorId": str(world.mentor.id),
        "protegeId": str(victim.id),
        "goalId": str(own.id),
        "scheduledAt": (clock.now() - timedelta(days=1)).isoformat(),
    }
    for _ in range(2):
        booked = await gql.data(ATTACK["book"], {"input": yesterday}, token=world.mentor_token)
        assert booked["bookSession"]["__typename"] == "InvalidInputError"
    ahead = {**yesterday, "scheduledAt": (clock.now() + timedelta(days=1)).isoformat()}
    booked = await gql.data(ATTACK["book"], {"input": ahead}, token=world.mentor_token)
    assert booked["bookSession"] == {
        "__typename": "NotPermittedError",
        "message": "a mentor books only for a goal whose protégé chose them",
    }
    assert await MentorshipSession.filter(protege_id=victim.id).count() == 0
    assert (await Participant.get(id=victim.id)).standing == "good"
