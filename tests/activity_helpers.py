"""Builders that record realistic activity through the domain's own use cases."""

from __future__ import annotations

from datetime import date, timedelta

from domain import activity
from domain.activity import Acting, SmartGoal
from domain.clock import FixedClock
from domain.models import CommunityEventKind, Goal, MentorshipSession, Participant, SessionStatus


def smart(due_in_days: int = 90, clock: FixedClock | None = None) -> SmartGoal:
    today = (clock.now().date() if clock else date(2026, 1, 1))
    return SmartGoal("Ship a portfolio site", "3 case studies online", "10 hours a week", "Job search", today + timedelta(days=due_in_days))


async def goal_for(acting: Acting, protege: Participant, mentor: Participant, clock: FixedClock) -> Goal:
    goal = await activity.create_goal(acting, protege_id=protege.id, mentor_id=mentor.id, goal=smart(clock=clock), clock=clock)
    assert isinstance(goal, Goal), goal
    return goal


async def attended_session(acting: Acting, mentor: Participant, protege: Participant, goal: Goal, clock: FixedClock,
                           *, notes: bool = True, feedback: bool = True) -> MentorshipSession:
    """Book a session starting now, attend it an hour later, and optionally write notes and feedback."""
    session = await activity.book_session(acting, mentor_id=mentor.id, protege_id=protege.id, goal_id=goal.id,
                                          scheduled_at=clock.now(), clock=clock)
    assert isinstance(session, MentorshipSession), session
    clock.advance(timedelta(hours=1))
    session = await activity.record_session_outcome(acting, session_id=session.id, outcome=SessionStatus.ATTENDED, clock=clock)
    assert isinstance(session, MentorshipSession), session
    if notes:
        assert not isinstance(await activity.submit_session_note(acting, session_id=session.id, body="Reviewed goal", clock=clock), Exception)
    if feedback:
        await activity.submit_session_feedback(acting, session_id=session.id, body="Useful", rating=5, clock=clock)
    return session


async def exemplary_pair(acting: Acting, mentor: Participant, protege: Participant, clock: FixedClock) -> None:
    """A month of activity after which both the mentor and the protégé meet every badge criterion."""
    goals = [await goal_for(acting, protege, mentor, clock) for _ in range(3)]
    await activity.add_availability(acting, mentor_id=mentor.id, starts_at=clock.now(),
                                    ends_at=clock.now() + timedelta(days=120), clock=clock)
    await activity.create_service_offering(acting, mentor_id=mentor.id, title="Portfolio review", clock=clock)
    await activity.record_community_event(acting, participant_id=mentor.id, kind=CommunityEventKind.WEBINAR,
                                          title="Feedback that lands", clock=clock)
    for goal in goals:
        clock.advance(timedelta(days=7))
        await attended_session(acting, mentor, protege, goal, clock)
        for sender, recipient in ((protege, mentor), (mentor, protege)):
            message = await activity.send_message(acting, sender_id=sender.id, recipient_id=recipient.id, clock=clock)
            clock.advance(timedelta(hours=5))
            await activity.respond_to_message(acting, message_id=message.id, clock=clock)
        await activity.log_goal_progress(acting, goal_id=goal.id, note="Two case studies drafted", clock=clock)
    clock.advance(timedelta(days=3))  # let every 48-hour window close
