"""A small cohort over 120 simulated days, driven through a real arq worker on Redis.

Every 12 simulated hours the minute cron's `sweep_job` runs, and every night `nightly_badges_job`.
Scripted activity happens on given days. Each rule must fire exactly once, at the right time. No-shows and
lapses count once their 72-hour dispute window closes; one is disputed and conceded, and never counts; a
suspended mentor's protégé has their session cancelled and their clock paused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from domain.activity.acting import Acting
from domain.activity.goals import LogGoalProgress
from domain.activity.messages import SendMessage
from domain.activity.record import record_activity
from domain.activity.sessions import BookSession, RecordSessionOutcome
from domain.facts.disputes import FactActor, concede_dispute, dispute_fact
from domain.kernel.actors import Actor, ActorKind
from domain.kernel.clock import FixedClock
from domain.kernel.roles import Role
from domain.models import Absentee, MentorshipSession, Notice, Nudge, RecordedFact, SessionStatus, TransitionRecord
from domain.standing.apply import StandingCommand, apply_event
from tests.support.activity import exemplary_pair, goal_for
from tests.support.redis import connect_redis, run_worker

T0 = datetime(2031, 1, 1, tzinfo=UTC)  # in the future: arq holds precise jobs, the sweep does the work
TICK = timedelta(hours=12)
DAY = timedelta(days=1)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


async def test_every_rule_fires_once_at_the_right_simulated_time(world, clock):
    redis = await connect_redis()
    acting, admin = Acting(world.org_id), Actor.admin(1)
    make = world.participant
    # Mentor A got a notice 70 days before the cohort starts: it decays on day 110.
    clock.set(T0 - 70 * DAY)
    mentor_a = await make(Role.MENTOR, "Mentor A")
    await apply_event(StandingCommand(mentor_a.id, "issue_notice", admin, "missed two sessions"), clock=clock)
    # In the 26 days before the cohort starts, C and P4 earn their badges, on demand, by their last activity.
    clock.set(T0 - 26 * DAY)
    mentor_c, p4 = await make(Role.MENTOR, "Mentor C"), await make(Role.PROTEGE, "Protege 4")
    await exemplary_pair(acting, mentor_c, p4, clock)
    assert clock.now() < T0
    clock.set(T0)
    mentor_b = await make(Role.MENTOR, "Mentor B")
    other = world.mentor  # mentors the protégés who are not part of the badge story
    p1, p2, p3, p5, p6 = [await make(Role.PROTEGE, f"Protege {i}") for i in (1, 2, 3, 5, 6)]
    mentor_d = await make(Role.MENTOR, "Mentor D")
    await apply_event(StandingCommand(mentor_b.id, "issue_notice", admin, "late notes"), clock=clock)
    await apply_event(
        StandingCommand(mentor_b.id, "suspend", admin, "no-shows", params={"until": T0 + 14 * DAY}), clock=clock
    )

    async def attend(protege, mentor, outcome=SessionStatus.ATTENDED):
        goal = await goal_for(acting, protege, mentor, clock)
        session = await record_activity(
            acting,
            BookSession(mentor_id=mentor.id, protege_id=protege.id, goal_id=goal.id, scheduled_at=clock.now()),
            clock=clock,
        )
        clock.advance(timedelta(hours=1))
        await record_activity(
            acting,
            RecordSessionOutcome(
                session_id=session.id,
                outcome=outcome,
                absentee=Absentee.PROTEGE if outcome is SessionStatus.NO_SHOW else None,
            ),
            clock=clock,
        )

    async def progress(protege):
        goal = await goal_for(acting, protege, other, clock)
        await record_activity(acting, LogGoalProgress(goal_id=goal.id, note="halfway there"), clock=clock)

    async def dispute_the_last_no_show(protege):
        fact = await RecordedFact.filter(subject_id=protege.id).order_by("-id").first()
        by = FactActor(Actor(ActorKind.PARTICIPANT, f"participant:{protege.id}"), protege.id, world.org_id)
        await dispute_fact(fact.id, "I had written to reschedule", by=by, clock=clock)

    async def mentor_concedes(protege):
        fact = await RecordedFact.filter(subject_id=protege.id).order_by("-id").first()
        by = FactActor(Actor(ActorKind.PARTICIPANT, f"participant:{other.id}"), other.id, world.org_id)
        await concede_dispute(fact.id, by=by, clock=clock)

    async def book_ahead(protege, mentor, days):
        goal = await goal_for(acting, protege, mentor, clock)
        await record_activity(
            acting,
            BookSession(
                mentor_id=mentor.id, protege_id=protege.id, goal_id=goal.id, scheduled_at=clock.now() + days * DAY
            ),
            clock=clock,
        )

    async def suspend_d():
        await apply_event(StandingCommand(mentor_d.id, "issue_notice", admin, "late notes"), clock=clock)
        until = {"until": clock.now() + 30 * DAY}
        await apply_event(StandingCommand(mentor_d.id, "suspend", admin, "no-shows", params=until), clock=clock)

    async def message_to(protege):
        await record_activity(acting, SendMessage(sender_id=other.id, recipient_id=protege.id), clock=clock)

    script: dict[int, list[Callable[[], Awaitable[None]]]] = {
        5: [lambda: attend(p1, other)],
        20: [lambda: attend(p1, other, SessionStatus.NO_SHOW), lambda: progress(p4)],  # P4 keeps goal progress up
        25: [lambda: attend(p1, other, SessionStatus.NO_SHOW)],  # 2nd no-show: counted 72 hours later, reminder
        30: [lambda: message_to(p3)],
        35: [lambda: message_to(p3)],
        40: [lambda: message_to(p3), lambda: book_ahead(p6, mentor_d, 30)],  # P3's last window lapses on day 42
        50: [lambda: progress(p1), lambda: progress(p4), lambda: progress(world.protege)],
        55: [lambda: attend(p5, other, SessionStatus.NO_SHOW)],
        58: [lambda: attend(p5, other, SessionStatus.NO_SHOW), lambda: dispute_the_last_no_show(p5)],
        59: [lambda: mentor_concedes(p5)],  # the disputed no-show never counts: no reminder for P5
        66: [suspend_d],  # P6's session on day 70 is cancelled, and P6's clock pauses for 30 days
        80: [lambda: progress(p2)],  # P2, warned on day 60, is active again
        100: [lambda: progress(p1), lambda: progress(p4), lambda: progress(world.protege), lambda: progress(p5)],
    }
    for day in range(0, 121):
        for half in (0, 1):
            tick = T0 + day * DAY + half * TICK
            for action in script.get(day, []) if half == 0 else []:
                clock.set(tick)
                await action()
            clock.set(tick)
            await redis.enqueue_job("sweep_job")
            if half == 1:
                await redis.enqueue_job("nightly_badges_job")
            await run_worker(redis, clock)

    rows = await TransitionRecord.all().order_by("id")
    automatic = [r for r in rows if r.actor_kind != "admin"]

    def fired(participant, event):
        return [r for r in automatic if r.participant_id == participant.id and r.event == event]

    def once_between(participant, event, earliest, latest, actor_id=None):
        matches = fired(participant, event)
        assert len(matches) == 1, (participant.display_name, event, matches)
        assert earliest <= matches[0].occurred_at <= latest, (event, matches[0].occurred_at)
        if actor_id:
            assert matches[0].actor_id == actor_id
        return matches[0]

    once_between(mentor_b, "lift_suspension", T0 + 14 * DAY, T0 + 14 * DAY, "suspension_ends")
    once_between(mentor_a, "clear_notice", T0 + 110 * DAY, T0 + 110 * DAY, "notice_decays")
    window = 3 * DAY + timedelta(seconds=1)  # a no-show or a lapse counts once its dispute window has closed
    once_between(p1, "send_reminder", T0 + 25 * DAY + window, T0 + 25 * DAY + window + TICK, "missed_sessions_reminder")
    warning = once_between(p2, "issue_warning", T0 + 60 * DAY, T0 + 60 * DAY + TICK, "inactivity_warning")
    assert warning.evidence["last_active_at"] == T0.isoformat()
    once_between(p2, "restore_good_standing", T0 + 80 * DAY, T0 + 80 * DAY + TICK)
    lapsed = T0 + 42 * DAY + timedelta(hours=1)  # day 40's message, sent in the first hour, lapses 48 hours on
    ineligible = once_between(p3, "mark_ineligible", lapsed + window, lapsed + window + TICK, "non_responsiveness")
    assert len(ineligible.evidence["lapsed_messages"]) == 3
    assert await Nudge.filter(participant_id=p3.id, kind="response").count() == 3
    for holder in (mentor_c, p4):
        award = once_between(holder, "award", T0 - 5 * DAY, T0)
        lapse = once_between(holder, "lapse", award.occurred_at, T0 + 120 * DAY)
        assert lapse.evidence["criteria"]  # the evidence says which criterion lapsed
        # The badge is revoked only once its 14-day cure window passes with the criterion still unmet, by the
        # cure deadline the next sweep fires.
        cure_by = lapse.occurred_at + 14 * DAY
        revoke = once_between(holder, "revoke", cure_by, cure_by + TICK, "badge_evaluation")
        assert revoke.evidence["cure_window"]["until"] == cure_by.isoformat()
    first_session = await MentorshipSession.filter(protege_id=p4.id).order_by("scheduled_at").first()
    # P4's third attended session in 60 days ages out 60 days after the first: at risk that night.
    assert fired(p4, "lapse")[0].occurred_at.date() in {
        (first_session.scheduled_at + 60 * DAY).date(),
        (first_session.scheduled_at + 61 * DAY).date(),
    }
    # P5's disputed no-show was conceded: one counted no-show, no reminder.
    assert [f.state for f in await RecordedFact.filter(subject_id=p5.id).order_by("id")] == ["confirmed", "withdrawn"]
    # P6: the session with the suspended mentor was cancelled by the platform, P6 was told, and the 30 days of
    # the suspension did not count toward P6's 60 days of inactivity (due on day 100, moved to day 130).
    [cancelled] = await MentorshipSession.filter(protege_id=p6.id)
    assert (cancelled.status, cancelled.cancellation) == (SessionStatus.CANCELLED, "mentor_suspended")
    assert await Notice.filter(participant_id=p6.id, template_key="mentor_unavailable").exists()
    once_between(mentor_d, "lift_suspension", T0 + 96 * DAY, T0 + 96 * DAY + TICK, "suspension_ends")
    # Nothing else happened on its own: no rule fired twice, and no other participant changed.
    expected = {
        ("lift_suspension", mentor_d.id),
        ("lift_suspension", mentor_b.id),
        ("clear_notice", mentor_a.id),
        ("send_reminder", p1.id),
        ("issue_warning", p2.id),
        ("restore_good_standing", p2.id),
        ("mark_ineligible", p3.id),
        ("award", mentor_c.id),
        ("award", p4.id),
        ("lapse", mentor_c.id),
        ("lapse", p4.id),
        ("revoke", mentor_c.id),
        ("revoke", p4.id),
    }
    assert sorted((r.event, r.participant_id) for r in automatic) == sorted(expected)
    await redis.flushdb()
    await redis.aclose()
