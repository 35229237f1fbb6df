"""Each time-based and reactive rule at its boundary, with an injected clock and the real sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.activity.acting import Acting
from domain.activity.messages import RespondToMessage, SendMessage
from domain.activity.record import record_activity
from domain.activity.sessions import BookSession, RecordSessionOutcome
from domain.badges.evaluation import evaluate_badges
from domain.deadlines.leave import grant_leave
from domain.deadlines.sweep import sweep
from domain.facts.policy import FACT_POLICY
from domain.kernel.actors import Actor
from domain.models import Absentee, BadgeRecord, Deadline, Nudge, Participant, SessionStatus, TransitionRecord
from domain.standing.apply import StandingCommand, apply_event
from tests.support.activity import exemplary_pair, goal_for

MINUTE = timedelta(minutes=1)


async def standing_of(participant) -> str:
    return (await Participant.get(id=participant.id)).standing


async def system_log(participant) -> list[tuple[str, str]]:
    rows = await TransitionRecord.filter(
        participant_id=participant.id, actor_kind="system", machine__in=["mentor_standing", "protege_standing"]
    ).order_by("id")
    return [(r.event, r.actor_id) for r in rows]


async def test_a_protege_inactive_for_60_days_is_not_warned_but_at_60_days_and_a_minute_is(world, clock):
    protege = await world.participant(world.protege.role, "Idle Ida")
    clock.advance(timedelta(days=60))
    await sweep(clock)
    assert await standing_of(protege) == "good"
    clock.advance(MINUTE)
    report = await sweep(clock)
    assert await standing_of(protege) == "warning"
    assert [f.firing.transition for f in report.fired if f.participant_id == protege.id] == ["issue_warning"]
    row = await TransitionRecord.get(participant_id=protege.id, event="issue_warning")
    assert row.actor_kind == "system" and row.actor_id == "inactivity_warning"
    assert row.evidence["inactivity_days"] == 60 and row.evidence["last_active_at"] == protege.created_at.isoformat()
    assert row.policy_version == "time-2026.1"  # the deciding policy is the time rules', not the ladder's


async def test_renewed_activity_lifts_the_warning_and_restarts_the_horizon(world, clock):
    clock.advance(timedelta(days=61))
    await sweep(clock)
    assert await standing_of(world.protege) == "warning"
    await goal_for(Acting(world.org_id), world.protege, world.mentor, clock)
    assert await standing_of(world.protege) == "good"
    recovery = await TransitionRecord.filter(participant_id=world.protege.id).order_by("-id").first()
    assert (recovery.event, recovery.actor_kind) == ("restore_good_standing", "participant")
    clock.advance(timedelta(days=60))
    await sweep(clock)
    assert await standing_of(world.protege) == "good"
    clock.advance(MINUTE)
    await sweep(clock)
    assert await standing_of(world.protege) == "warning"


async def test_a_suspension_ends_exactly_at_its_end_time_and_the_notice_stays(world, clock):
    await apply_event(StandingCommand(world.mentor.id, "issue_notice", Actor.admin(1), "late"), clock=clock)
    until = clock.now() + timedelta(days=14)
    await apply_event(
        StandingCommand(world.mentor.id, "suspend", Actor.admin(1), "again", params={"until": until}), clock=clock
    )
    clock.set(until - timedelta(seconds=1))
    await sweep(clock)
    assert await standing_of(world.mentor) == "suspended"
    clock.set(until)
    await sweep(clock)
    mentor = await Participant.get(id=world.mentor.id)
    assert mentor.standing == "first_notice" and mentor.profile_visible
    lift = await TransitionRecord.get(participant_id=mentor.id, event="lift_suspension")
    assert lift.actor_id == "suspension_ends" and lift.evidence["due_at"] == until.isoformat()


async def test_a_notice_decays_after_180_quiet_days(world, clock):
    await apply_event(StandingCommand(world.mentor.id, "issue_notice", Actor.admin(1), "late"), clock=clock)
    clock.advance(timedelta(days=180) - MINUTE)
    await sweep(clock)
    assert await standing_of(world.mentor) == "first_notice"
    clock.advance(MINUTE)
    await sweep(clock)
    assert await standing_of(world.mentor) == "good"
    assert ("clear_notice", "notice_decays") in await system_log(world.mentor)


async def test_a_new_violation_restarts_the_decay(world, clock):
    admin = Actor.admin(1)
    await apply_event(StandingCommand(world.mentor.id, "issue_notice", admin, "late"), clock=clock)
    clock.advance(timedelta(days=100))
    until = clock.now() + timedelta(days=7)
    await apply_event(
        StandingCommand(world.mentor.id, "suspend", admin, "no-show", params={"until": until}), clock=clock
    )
    clock.advance(timedelta(days=90))  # 190 days after the first notice, 83 after the suspension ended
    await sweep(clock)
    assert await standing_of(world.mentor) == "first_notice"


async def missed(acting, world, clock, absentee=Absentee.PROTEGE, outcome=SessionStatus.NO_SHOW, notice=None):
    goal = await goal_for(acting, world.protege, world.mentor, clock)
    session = await record_activity(
        acting,
        BookSession(mentor_id=world.mentor.id, protege_id=world.protege.id, goal_id=goal.id, scheduled_at=clock.now()),
        clock=clock,
    )
    clock.advance(timedelta(hours=1))
    await record_activity(
        acting,
        RecordSessionOutcome(
            session_id=session.id,
            outcome=outcome,
            absentee=absentee if outcome is SessionStatus.NO_SHOW else None,
            notice_hours=notice,
        ),
        clock=clock,
    )
    clock.advance(timedelta(days=1))


async def test_two_sessions_missed_without_notice_send_a_reminder(world, clock):
    acting = Acting(world.org_id)
    await missed(acting, world, clock, absentee=Absentee.MENTOR)
    await missed(acting, world, clock, outcome=SessionStatus.RESCHEDULED, notice=2)
    await missed(acting, world, clock)
    assert await standing_of(world.protege) == "good"
    await missed(acting, world, clock, absentee=Absentee.BOTH)
    assert await standing_of(world.protege) == "good"  # the second no-show is provisional for 72 hours
    clock.advance(FACT_POLICY.dispute_window.value)
    await sweep(clock)  # its window closes undisputed: it counts, and the reminder follows
    assert await standing_of(world.protege) == "reminder"
    reminder = await TransitionRecord.get(participant_id=world.protege.id, event="send_reminder")
    assert reminder.actor_id == "missed_sessions_reminder" and len(reminder.evidence["missed_sessions"]) == 2


async def test_missed_sessions_outside_the_window_do_not_count(world, clock):
    acting = Acting(world.org_id)
    await missed(acting, world, clock)
    clock.advance(timedelta(days=60))
    await missed(acting, world, clock)
    assert await standing_of(world.protege) == "good"


async def unanswered(acting, world, clock, *, to=None, answer_after=None):
    recipient = to or world.protege
    sender = world.mentor if recipient.id == world.protege.id else world.protege
    message = await record_activity(acting, SendMessage(sender_id=sender.id, recipient_id=recipient.id), clock=clock)
    return message


async def test_an_unanswered_message_is_nudged_at_24_hours_and_lapses_at_48(gql, world, clock):
    acting = Acting(world.org_id)
    message = await unanswered(acting, world, clock)
    clock.advance(timedelta(hours=24) - MINUTE)
    await sweep(clock)
    assert await Nudge.filter(participant_id=world.protege.id).count() == 0
    clock.advance(MINUTE)
    await sweep(clock)
    nudges = (
        await gql.data(
            "query($id: ID!) { nudges(participantId: $id) { kind message windowEndsAt } }",
            {"id": str(world.protege.id)},
            token=world.protege_token,
        )
    )["nudges"]
    assert nudges == [
        {
            "kind": "response",
            "message": "a message has waited 24 hours for your answer",
            "windowEndsAt": message.respond_by.isoformat(),
        }
    ]
    clock.advance(timedelta(hours=24))
    report = await sweep(clock)
    [lapse] = [f.firing.outcome for f in report.fired if f.kind == "response_due"]
    assert lapse.startswith("lapse recorded, provisional until")


async def test_an_answered_message_is_never_nudged(world, clock):
    acting = Acting(world.org_id)
    message = await unanswered(acting, world, clock)
    clock.advance(timedelta(hours=3))
    await record_activity(acting, RespondToMessage(message_id=message.id), clock=clock)
    clock.advance(timedelta(days=3))
    await sweep(clock)
    assert await Nudge.all().count() == 0


async def test_repeated_non_responsiveness_makes_a_protege_ineligible_and_removes_the_badge(world, clock):
    acting = Acting(world.org_id)
    await exemplary_pair(acting, world.mentor, world.protege, clock)
    await evaluate_badges(clock=clock, organization_id=world.org_id)
    assert (await BadgeRecord.get(participant_id=world.protege.id)).state == "awarded"
    for _ in range(2):
        await unanswered(acting, world, clock)
        clock.advance(timedelta(days=3))
        await sweep(clock)
    assert await standing_of(world.protege) == "good"
    await unanswered(acting, world, clock)
    clock.advance(timedelta(days=3))
    await sweep(clock)
    assert await standing_of(world.protege) == "good"  # the third lapse is provisional for 72 hours
    clock.advance(timedelta(days=3))
    await sweep(clock)
    protege = await Participant.get(id=world.protege.id)
    assert protege.standing == "ineligible" and protege.program_review is True
    assert (await BadgeRecord.get(participant_id=protege.id)).state == "revoked"
    ineligible = await TransitionRecord.get(participant_id=protege.id, event="mark_ineligible")
    assert ineligible.actor_id == "non_responsiveness" and len(ineligible.evidence["lapsed_messages"]) == 3


async def test_excused_leave_pauses_the_inactivity_clock(world, clock):
    start = clock.now() + timedelta(days=30)
    await grant_leave(
        organization_id=world.org_id,
        participant_id=world.protege.id,
        starts_at=start,
        ends_at=start + timedelta(days=20),
        reason="parental leave",
        granted_by=Actor.admin(1),
        clock=clock,
    )
    clock.advance(timedelta(days=61))  # due on day 60, inside the leave: postponed
    report = await sweep(clock)
    assert await standing_of(world.protege) == "good" and report.postponed >= 1
    deadline = await Deadline.get(participant_id=world.protege.id, kind="inactivity")
    assert deadline.due_at == start + timedelta(days=20) + timedelta(days=30, seconds=1)
    clock.set(deadline.due_at - MINUTE)
    await sweep(clock)
    assert await standing_of(world.protege) == "good"
    clock.set(deadline.due_at)
    await sweep(clock)
    assert await standing_of(world.protege) == "warning"


async def test_excused_leave_is_left_out_of_rolling_badge_windows(world, clock):
    await exemplary_pair(Acting(world.org_id), world.mentor, world.protege, clock)
    await grant_leave(
        organization_id=world.org_id,
        participant_id=world.protege.id,
        starts_at=clock.now(),
        ends_at=clock.now() + timedelta(days=45),
        reason="exams",
        granted_by=Actor.admin(1),
        clock=clock,
    )
    clock.advance(timedelta(days=45))
    await evaluate_badges(clock=clock, organization_id=world.org_id)
    protege = {c["key"]: c for c in (await BadgeRecord.get(participant_id=world.protege.id)).criteria}
    mentor = {c["key"]: c for c in (await BadgeRecord.get(participant_id=world.mentor.id)).criteria}
    assert protege["session_attendance"]["value"] == 3 and protege["session_attendance"]["met"] is True
    assert protege["session_attendance"]["window_start"] == (clock.now() - timedelta(days=105)).isoformat()
    assert mentor["reliable_scheduling"]["value"] < 3  # no leave: the mentor's window did not stretch


async def test_the_sweep_is_idempotent_and_a_dry_run_changes_nothing(world, clock):
    await apply_event(StandingCommand(world.mentor.id, "issue_notice", Actor.admin(1), "late"), clock=clock)
    clock.advance(timedelta(days=181))
    preview = await sweep(clock, dry_run=True)
    assert {f.firing.transition for f in preview.transitions} == {"clear_notice", "issue_warning"}
    assert await standing_of(world.mentor) == "first_notice"
    assert await Deadline.filter(fired_at__not_isnull=True).count() == 0
    first = await sweep(clock)
    logged = await TransitionRecord.all().count()
    second = await sweep(clock)
    assert len(first.transitions) == 2 and second.fired == [] and await TransitionRecord.all().count() == logged


@pytest.mark.parametrize("as_of_days", [179, 181])
async def test_dry_run_as_of_a_future_time(world, clock, as_of_days):
    await apply_event(StandingCommand(world.mentor.id, "issue_notice", Actor.admin(1), "late"), clock=clock)
    report = await sweep(clock, dry_run=True, as_of=clock.now() + timedelta(days=as_of_days))
    decays = [f for f in report.fired if f.kind == "notice_decay"]
    assert [f.firing.outcome.startswith("would clear_notice") for f in decays] == ([True] if as_of_days > 180 else [])
