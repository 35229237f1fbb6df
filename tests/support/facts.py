"""GraphQL and builders shared by the fair-facts tests."""

from __future__ import annotations

from datetime import timedelta

from domain.activity.acting import Acting
from domain.activity.calendar import AddAvailability
from domain.activity.record import record_activity
from domain.activity.sessions import BookSession, RecordSessionOutcome
from domain.models import Absentee, MentorshipSession, Participant, RecordedFact, SessionStatus
from tests.support.activity import goal_for

FACT_FIELDS = "id kind state counts subjectId counterpartId sessionId disputeUntil statement allowedEvents"
FACTS = "query($p: ID) { facts(participantId: $p) { " + FACT_FIELDS + " } }"
_RESULT = (
    "{ __typename ... on FactPayload { fact { " + FACT_FIELDS + " } steps { event overrules reason } } "
    "... on FactStepNotAllowedError { state reasons } ... on UserError { message } }"
)
DISPUTE = "mutation($input: DisputeFactInput!) { disputeFact(input: $input) " + _RESULT + " }"
CONCEDE = "mutation($id: ID!) { concedeDispute(factId: $id) " + _RESULT + " }"
WITHDRAW = "mutation($input: WithdrawFactInput!) { withdrawFact(input: $input) " + _RESULT + " }"
RESOLVE = "mutation($input: ResolveDisputeInput!) { resolveDispute(input: $input) " + _RESULT + " }"
BOOK = """mutation($input: BookSessionInput!) { bookSession(input: $input) { __typename
  ... on Session { id } ... on UserError { message } } }"""
MESSAGE = """mutation($s: ID!, $r: ID!) { sendMessage(senderId: $s, recipientId: $r) { __typename
  ... on Message { id } ... on UserError { message } } }"""


async def no_show(
    acting: Acting, mentor: Participant, protege: Participant, clock, absentee: Absentee = Absentee.PROTEGE
) -> RecordedFact:
    """A session booked now, recorded an hour later as missed by `absentee`: returns the fact against them."""
    goal = await goal_for(acting, protege, mentor, clock)
    session = await record_activity(
        acting,
        BookSession(mentor_id=mentor.id, protege_id=protege.id, goal_id=goal.id, scheduled_at=clock.now()),
        clock=clock,
    )
    assert isinstance(session, MentorshipSession), session
    clock.advance(timedelta(hours=1))
    await record_activity(
        acting,
        RecordSessionOutcome(session_id=session.id, outcome=SessionStatus.NO_SHOW, absentee=absentee),
        clock=clock,
    )
    subject = protege if absentee is Absentee.PROTEGE else mentor
    return await RecordedFact.get(session_id=session.id, subject_id=subject.id)


async def open_calendar(acting: Acting, mentor: Participant, clock, days: int = 120) -> None:
    await record_activity(
        acting,
        AddAvailability(mentor_id=mentor.id, starts_at=clock.now(), ends_at=clock.now() + timedelta(days=days)),
        clock=clock,
    )
