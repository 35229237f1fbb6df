"""Builders that record realistic activity through the domain's own use cases."""

from __future__ import annotations

from datetime import date, timedelta

from domain.activity.acting import Acting
from domain.activity.calendar import AddAvailability, CreateServiceOffering
from domain.activity.community import RecordCommunityEvent
from domain.activity.goals import CreateGoal, LogGoalProgress, SmartGoal
from domain.activity.messages import RespondToMessage, SendMessage
from domain.activity.record import record_activity
from domain.activity.sessions import BookSession, RecordSessionOutcome, SubmitSessionFeedback, SubmitSessionNote
from domain.kernel.clock import FixedClock
from domain.models import CommunityEventKind, Goal, MentorshipSession, Participant, SessionStatus


def smart(due_in_days: int = 90, clock: FixedClock | None = None) -> SmartGoal:
    today = clock.now().date() if clock else date(2026, 1, 1)
    return SmartGoal(
        "Ship a portfolio site",
        "3 case studies online",
        "10 hours a week",
        "Job search",
        today + timedelta(days=due_in_days),
    )


async def goal_for(acting: Acting, protege: Participant, mentor: Participant, clock: FixedClock) -> Goal:
    goal = await record_activity(
        acting, CreateGoal(protege_id=protege.id, mentor_id=mentor.id, goal=smart(clock=clock)), clock=clock
    )
    assert isinstance(goal, Goal), goal
    return goal


async def attended_session(
    acting: Acting,
    mentor: Participant,
    protege: Participant,
    goal: Goal,
    clock: FixedClock,
    *,
    notes: bool = True,
    feedback: bool = True,
) -> MentorshipSession:
    """Book a session starting now, attend it an hour later, and optionally write notes and feedback."""
    session = await record_activity(
        acting,
        BookSession(mentor_id=mentor.id, protege_id=protege.id, goal_id=goal.id, scheduled_at=clock.now()),
        clock=clock,
    )
    assert isinstance(session, MentorshipSession), session
    clock.advance(timedelta(hours=1))
    session = await record_activity(
        acting, RecordSessionOutcome(session_id=session.id, outcome=SessionStatus.ATTENDED), clock=clock
    )
    assert isinstance(session, MentorshipSession), session
    if notes:
        assert not isinstance(
            await record_activity(acting, SubmitSessionNote(session_id=session.id, body="Reviewed goal"), clock=clock),
            Exception,
        )
    if feedback:
        await record_activity(
            acting, SubmitSessionFeedback(session_id=session.id, body="Useful", rating=5), clock=clock
        )
    return session


async def exemplary_pair(
    acting: Acting, mentor: Participant, protege: Participant, clock: FixedClock, *, progress: bool = True
) -> None:
    """A month of activity after which both the mentor and the protégé meet every badge criterion
    (without `progress`, the protégé lacks only a goal progress update)."""
    goals = [await goal_for(acting, protege, mentor, clock) for _ in range(3)]
    await record_activity(
        acting,
        AddAvailability(mentor_id=mentor.id, starts_at=clock.now(), ends_at=clock.now() + timedelta(days=120)),
        clock=clock,
    )
    await record_activity(acting, CreateServiceOffering(mentor_id=mentor.id, title="Portfolio review"), clock=clock)
    await record_activity(
        acting,
        RecordCommunityEvent(participant_id=mentor.id, kind=CommunityEventKind.WEBINAR, title="Feedback that lands"),
        clock=clock,
    )
    for goal in goals:
        clock.advance(timedelta(days=7))
        await attended_session(acting, mentor, protege, goal, clock)
        for sender, recipient in ((protege, mentor), (mentor, protege)):
            message = await record_activity(
                acting, SendMessage(sender_id=sender.id, recipient_id=recipient.id), clock=clock
            )
            clock.advance(timedelta(hours=5))
            await record_activity(acting, RespondToMessage(message_id=message.id), clock=clock)
        if progress:
            await record_activity(
                acting, LogGoalProgress(goal_id=goal.id, note="Two case studies drafted"), clock=clock
            )
    clock.advance(timedelta(days=3))  # let every 48-hour window close
