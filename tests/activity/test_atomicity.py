"""An activity is recorded whole or not at all: the row, its deadlines, its rules and the badges concerned
commit together. A failure injected after the row is written leaves nothing behind."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.activity import consequences
from domain.activity.acting import Acting
from domain.activity.messages import SendMessage
from domain.activity.record import record_activity
from domain.activity.sessions import BookSession, RecordSessionOutcome
from domain.models import Absentee, Deadline, MentorshipSession, Message, OutboxEvent, SessionStatus, TransitionRecord
from tests.support.activity import goal_for


class Injected(RuntimeError):
    pass


async def _fail(*args, **kwargs):
    raise Injected("the process died here")


async def test_a_message_whose_consequences_fail_is_not_recorded(world, clock, monkeypatch):
    acting = Acting(world.org_id)
    before = await Deadline.all().count()
    schedule, calls = consequences.schedule, []

    async def second_deadline_fails(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:  # the row and its 24-hour nudge are written; the 48-hour deadline is not
            raise Injected("the process died here")
        return await schedule(*args, **kwargs)

    monkeypatch.setattr(consequences, "schedule", second_deadline_fails)
    with pytest.raises(Injected):
        await record_activity(
            acting, SendMessage(sender_id=world.mentor.id, recipient_id=world.protege.id), clock=clock
        )
    assert await Message.all().count() == 0
    assert await Deadline.all().count() == before  # no response deadline without its message, and no message without it


async def test_a_no_show_whose_reminder_fails_leaves_the_session_booked(world, clock, monkeypatch):
    acting = Acting(world.org_id)
    goal = await goal_for(acting, world.protege, world.mentor, clock)
    sessions = []
    for _ in range(2):
        booked = await record_activity(
            acting,
            BookSession(
                mentor_id=world.mentor.id, protege_id=world.protege.id, goal_id=goal.id, scheduled_at=clock.now()
            ),
            clock=clock,
        )
        assert isinstance(booked, MentorshipSession)
        sessions.append(booked)
    clock.advance(timedelta(hours=2))
    first = await record_activity(
        acting,
        RecordSessionOutcome(session_id=sessions[0].id, outcome=SessionStatus.NO_SHOW, absentee=Absentee.PROTEGE),
        clock=clock,
    )
    assert isinstance(first, MentorshipSession)
    log_rows, events = await TransitionRecord.all().count(), await OutboxEvent.all().count()
    monkeypatch.setattr(consequences, "evaluate_badges", _fail)  # after the reminder was applied
    with pytest.raises(Injected):
        await record_activity(
            acting,
            RecordSessionOutcome(session_id=sessions[1].id, outcome=SessionStatus.NO_SHOW, absentee=Absentee.PROTEGE),
            clock=clock,
        )
    assert (await MentorshipSession.get(id=sessions[1].id)).status is SessionStatus.BOOKED
    assert (await world.protege.__class__.get(id=world.protege.id)).standing == "good"
    assert await TransitionRecord.all().count() == log_rows and await OutboxEvent.all().count() == events


async def test_without_a_failure_the_same_message_is_recorded_with_its_deadlines(world, clock):
    message = await record_activity(
        Acting(world.org_id), SendMessage(sender_id=world.mentor.id, recipient_id=world.protege.id), clock=clock
    )
    assert isinstance(message, Message)
    kinds = set(await Deadline.filter(subject_id=message.id).values_list("kind", flat=True))
    assert {k.value for k in kinds} == {"response_nudge", "response_due"}
