"""Protecting the other party: a suspended mentor's three protégés have their sessions cancelled without
penalty, are told, have their clocks paused for the suspension, and get mentors to book instead; a removal
flags them for a rematch; a protégé made ineligible frees their mentor's sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from domain.access.principals import TokenRole
from domain.activity.acting import Acting
from domain.activity.calendar import CreateServiceOffering
from domain.activity.record import record_activity
from domain.activity.sessions import BookSession
from domain.badges.evaluation import evaluate_badges
from domain.kernel.actors import Actor
from domain.kernel.roles import Role
from domain.models import MentorshipSession, Notice, OutboxEvent, Participant, SessionStatus, TransitionRecord
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event
from domain.standing.policy import TIME_POLICY
from tests.support.activity import exemplary_pair, goal_for
from tests.support.facts import open_calendar
from tests.support.world import issue

SECOND = timedelta(seconds=1)
SUGGESTED = """query($p: ID!) { suggestedMentors(protegeId: $p) { mentor { id displayName } badgeHolder offerings
  upcomingSessions } }"""


@dataclass
class Mentorship:
    proteges: list[Participant]
    sessions: list[MentorshipSession]
    tokens: list[str]
    good_mentor: Participant  # in good standing, with availability, an offering and the badge
    plain_mentor: Participant  # in good standing, with availability and an offering
    closed_mentor: Participant  # in good standing, with no availability
    noticed_mentor: Participant  # with a first notice


@pytest.fixture
async def mentorship(world, clock) -> Mentorship:
    acting = Acting(world.org_id)
    good = await world.participant(Role.MENTOR, "Gail Good")
    await exemplary_pair(acting, good, await world.participant(Role.PROTEGE, "Gus Protege"), clock)
    await evaluate_badges(clock=clock, organization_id=world.org_id)
    await record_activity(acting, CreateServiceOffering(mentor_id=good.id, title="Career chats"), clock=clock)
    plain = await world.participant(Role.MENTOR, "Paul Plain")
    closed = await world.participant(Role.MENTOR, "Cleo Closed")
    noticed = await world.participant(Role.MENTOR, "Nina Noticed")
    for mentor in (plain, noticed, world.mentor):
        await open_calendar(acting, mentor, clock)
        await record_activity(acting, CreateServiceOffering(mentor_id=mentor.id, title="Portfolio review"), clock=clock)
    await record_activity(acting, CreateServiceOffering(mentor_id=closed.id, title="Mock interviews"), clock=clock)
    await apply_event(StandingCommand(noticed.id, "issue_notice", Actor.admin(1), "late notes"), clock=clock)
    proteges, sessions, tokens = [], [], []
    for name in ("Ann", "Ben", "Cai"):
        protege = await world.participant(Role.PROTEGE, f"{name} Protege")
        goal = await goal_for(acting, protege, world.mentor, clock)
        session = await record_activity(
            acting,
            BookSession(
                mentor_id=world.mentor.id,
                protege_id=protege.id,
                goal_id=goal.id,
                scheduled_at=clock.now() + timedelta(days=3),
            ),
            clock=clock,
        )
        proteges.append(protege)
        sessions.append(session)
        tokens.append(await issue("demo", TokenRole.PARTICIPANT, clock, protege.id))
    return Mentorship(proteges, sessions, tokens, good, plain, closed, noticed)


async def _sanction(participant, event, clock, **params) -> None:
    await apply_event(StandingCommand(participant.id, "issue_notice", Actor.admin(1), "first"), clock=clock)
    result = await apply_event(
        StandingCommand(participant.id, event, Actor.admin(1), f"{event} for the test", params=params), clock=clock
    )
    assert isinstance(result, TransitionApplied), result


async def test_suspending_a_mentor_protects_their_three_proteges(gql, world, clock, mentorship):
    until = clock.now() + timedelta(days=30)
    await _sanction(world.mentor, "suspend", clock, until=until)
    for session in mentorship.sessions:
        row = await MentorshipSession.get(id=session.id)
        assert (row.status, row.cancellation, row.absentee) == (SessionStatus.CANCELLED, "mentor_suspended", None)
    for protege, token in zip(mentorship.proteges, mentorship.tokens, strict=True):
        [notice] = await Notice.filter(participant_id=protege.id)
        assert notice.template_key == "mentor_unavailable" and "Maya Mentor" in notice.parts["facts"]
        assert "suspend" not in notice.body.lower()  # the mentor's sanction is theirs: the protégé is told less
        assert await OutboxEvent.filter(type="protection.applied", participant_id=protege.id).exists()
        suggested = (await gql.data(SUGGESTED, {"p": str(protege.id)}, token=token))["suggestedMentors"]
        names = [s["mentor"]["displayName"] for s in suggested]
        assert names == ["Gail Good", "Paul Plain"]  # badge holder first; no hidden, noticed or closed mentor
        assert suggested[0]["badgeHolder"] is True and suggested[0]["offerings"]
    # No cancellation counts against a protégé: no reminder, no rule, nothing in their log.
    assert not await TransitionRecord.filter(participant_id__in=[p.id for p in mentorship.proteges]).exists()


async def test_a_suspension_pauses_the_proteges_inactivity_clock_for_its_length(world, clock, mentorship, fire):
    protege = mentorship.proteges[0]
    registered = protege.created_at
    suspension = timedelta(days=30)
    await _sanction(world.mentor, "suspend", clock, until=clock.now() + suspension)
    warned_at = registered + TIME_POLICY.inactivity.value + timedelta(seconds=1)
    clock.set(warned_at + SECOND)
    await fire()
    assert (await Participant.get(id=protege.id)).standing == "good"  # the paused days are not counted
    clock.set(warned_at + suspension + SECOND)
    await fire()
    assert (await Participant.get(id=protege.id)).standing == "warning"


async def test_removing_a_mentor_flags_the_proteges_for_a_rematch_until_they_book_another(world, clock, mentorship):
    await _sanction(world.mentor, "remove", clock)
    protege = mentorship.proteges[0]
    assert (await Participant.get(id=protege.id)).needs_rematch is True
    assert {s.cancellation for s in await MentorshipSession.filter(mentor_id=world.mentor.id)} == {"mentor_removed"}
    acting = Acting(world.org_id)
    goal = await goal_for(acting, protege, mentorship.plain_mentor, clock)
    await record_activity(
        acting,
        BookSession(
            mentor_id=mentorship.plain_mentor.id,
            protege_id=protege.id,
            goal_id=goal.id,
            scheduled_at=clock.now() + timedelta(days=1),
        ),
        clock=clock,
    )
    assert (await Participant.get(id=protege.id)).needs_rematch is False


async def test_a_protege_made_ineligible_frees_their_mentors_sessions(world, clock, mentorship):
    protege = mentorship.proteges[1]
    result = await apply_event(
        StandingCommand(protege.id, "mark_ineligible", Actor.admin(1), "program review"), clock=clock
    )
    assert isinstance(result, TransitionApplied)
    session = await MentorshipSession.get(id=mentorship.sessions[1].id)
    assert (session.status, session.cancellation) == (SessionStatus.CANCELLED, "protege_ineligible")
    others = await MentorshipSession.filter(id__in=[mentorship.sessions[0].id, mentorship.sessions[2].id])
    assert {s.status for s in others} == {SessionStatus.BOOKED}
    [notice] = await Notice.filter(participant_id=world.mentor.id)
    assert notice.template_key == "protege_unavailable" and "reliability" in notice.parts["code_section"]
    assert not await TransitionRecord.filter(participant_id=world.mentor.id).exists()
