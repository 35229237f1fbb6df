"""Accountability Badges: exact thresholds, set-based evaluation, evidence, and the log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.activity.acting import Acting
from domain.badges import evaluation
from domain.badges.evaluation import evaluate_badges
from domain.badges.policy import MENTOR_BADGE_POLICY, PROTEGE_BADGE_POLICY
from domain.kernel.actors import Actor
from domain.kernel.roles import Role
from domain.models import BadgeRecord, MentorshipSession, Organization, TransitionRecord
from domain.standing.apply import StandingCommand, apply_event
from tests.support.activity import exemplary_pair


def test_policies_hold_the_codes_thresholds_exactly():
    mentor = {c.key: (c.threshold, c.window.days if c.window else None) for c in MENTOR_BADGE_POLICY.criteria}
    assert mentor == {
        "smart_goals": (3, None),
        "reliable_scheduling": (3, 60),
        "responsiveness": (0.95, 90),
        "session_reporting": (0.90, 90),
        "community_engagement": (1, 90),
    }
    protege = {c.key: (c.threshold, c.window.days if c.window else None) for c in PROTEGE_BADGE_POLICY.criteria}
    assert protege == {
        "active_goal": (1, None),
        "session_attendance": (3, 60),
        "timely_response": (0.90, 90),
        "feedback_participation": (2, None),
        "goal_progress": (1, 30),
    }


@pytest.fixture
def acting(world):
    return Acting(world.org_id)


async def badge(participant) -> BadgeRecord | None:
    return await BadgeRecord.filter(participant_id=participant.id).first()


async def test_an_engaged_pair_earns_both_badges_with_evidence(world, acting, clock):
    await exemplary_pair(acting, world.mentor, world.protege, clock)
    # The pair's own last activities awarded both badges on demand; the nightly run only refreshes the evidence.
    assert await evaluate_badges(clock=clock, organization_id=world.org_id) == []
    mentor_badge = await badge(world.mentor)
    assert mentor_badge.state == "awarded" and mentor_badge.policy_version == "mentor-badge-2026.2"
    evidence = {c["key"]: c for c in mentor_badge.criteria}
    assert evidence["reliable_scheduling"]["value"] == 3 and evidence["reliable_scheduling"]["threshold"] == 3
    assert evidence["responsiveness"]["value"] == 1.0 and evidence["session_reporting"]["value"] == 1.0
    assert evidence["reliable_scheduling"]["window_start"] == (clock.now() - timedelta(days=60)).isoformat()
    log = await TransitionRecord.filter(participant_id=world.protege.id, machine="protege_badge")
    assert [(r.event, r.from_state, r.to_state, r.actor_kind) for r in log] == [("award", "none", "awarded", "system")]
    assert len(log[0].evidence["criteria"]) == 5


async def test_evaluation_is_idempotent(world, acting, clock):
    await exemplary_pair(acting, world.mentor, world.protege, clock)
    await evaluate_badges(clock=clock, organization_id=world.org_id)
    assert await evaluate_badges(clock=clock, organization_id=world.org_id) == []
    assert await TransitionRecord.filter(machine__in=["mentor_badge", "protege_badge"]).count() == 2


async def test_attendance_ages_out_after_sixty_days_and_the_badge_is_put_at_risk(world, acting, clock):
    await exemplary_pair(acting, world.mentor, world.protege, clock)
    await evaluate_badges(clock=clock, organization_id=world.org_id)
    clock.advance(timedelta(days=45))
    changes = await evaluate_badges(clock=clock, participant_ids=[world.protege.id])
    assert [(c.event, c.to_state) for c in changes] == [("lapse", "at_risk")]
    evidence = {c["key"]: c for c in (await badge(world.protege)).criteria}
    assert evidence["session_attendance"]["met"] is False
    assert evidence["goal_progress"]["met"] is False


async def test_two_sessions_are_one_short_of_the_attendance_threshold(world, acting, clock):
    await exemplary_pair(acting, world.mentor, world.protege, clock)
    first_session = await MentorshipSession.filter(protege_id=world.protege.id).order_by("scheduled_at").first()
    # Move the clock so that exactly the first session has left the 60-day window.
    clock.set(first_session.scheduled_at + timedelta(days=60, seconds=1))
    await evaluate_badges(clock=clock, participant_ids=[world.protege.id])
    evidence = {c["key"]: c for c in (await badge(world.protege)).criteria}
    assert evidence["session_attendance"]["value"] == 2 and evidence["session_attendance"]["met"] is False


async def test_a_protege_made_ineligible_loses_the_badge_in_the_same_transaction(world, acting, clock):
    await exemplary_pair(acting, world.mentor, world.protege, clock)
    await evaluate_badges(clock=clock, organization_id=world.org_id)
    result = await apply_event(
        StandingCommand(world.protege.id, "mark_ineligible", Actor.admin(1), "ignored 6 nudges"), clock=clock
    )
    assert result.participant.standing == "ineligible"
    assert (await badge(world.protege)).state == "revoked"
    revoke = await TransitionRecord.filter(
        participant_id=world.protege.id, machine="protege_badge", event="revoke"
    ).get()
    assert revoke.actor_kind == "admin" and "ineligible" in revoke.reason
    assert await evaluate_badges(clock=clock, participant_ids=[world.protege.id]) == []


async def test_an_organization_can_override_a_threshold_and_the_version_says_so(world, acting, clock):
    await exemplary_pair(acting, world.mentor, world.protege, clock)
    await Organization.filter(id=world.org_id).update(
        policy_overrides={"protege": {"session_attendance": {"threshold": 4}}}
    )
    await evaluate_badges(clock=clock, organization_id=world.org_id)
    record = await badge(world.protege)
    assert record.state == "at_risk"  # awarded on demand under the Code's 3, lapsed under the organization's 4
    assert record.policy_version.startswith("protege-badge-2026.2+org.")
    revoke = await TransitionRecord.get(participant_id=world.protege.id, machine="protege_badge", event="lapse")
    assert revoke.policy_version == record.policy_version  # longer than 32 characters, logged whole
    assert {c["key"]: c["threshold"] for c in record.criteria}["session_attendance"] == 4


async def test_mentor_without_active_availability_fails_reliable_scheduling(world, acting, clock):
    await exemplary_pair(acting, world.mentor, world.protege, clock)
    clock.advance(timedelta(days=130))  # the availability window has ended
    await evaluate_badges(clock=clock, participant_ids=[world.mentor.id])
    evidence = {c["key"]: c for c in (await badge(world.mentor)).criteria}
    assert evidence["reliable_scheduling"]["note"] == "no active availability on the calendar"


async def test_population_evaluation_runs_one_query_per_criterion(world, acting, clock, sql_counter):
    for i in range(30):
        await world.participant(Role.PROTEGE if i % 2 else Role.MENTOR, f"P{i}")
    sql_counter.statements.clear()
    await evaluate_badges(clock=clock, organization_id=world.org_id)
    selects = [s for s in sql_counter.statements if s.lstrip().upper().startswith("SELECT")]
    # participants; per role: overrides, one per criterion, excused leave, existing badges; for mentors
    # also active availability and the second half of the session-reporting rate
    assert len(selects) == 1 + 2 * (1 + 5 + 1 + 1) + 2, selects
    writes = [s for s in sql_counter.statements if not s.lstrip().upper().startswith("SELECT")]
    assert len(writes) < 10, "evidence is written in bulk, not a statement per participant"


async def test_a_population_larger_than_a_batch_is_evaluated_batch_by_batch(world, acting, clock, monkeypatch):
    # PostgreSQL takes at most 32,767 parameters a statement: the nightly run of a large organization lists
    # members' ids by batches. Batches of 2 here, over 2 + 7 participants of both roles.
    monkeypatch.setattr(evaluation, "BATCH", 2)
    await exemplary_pair(acting, world.mentor, world.protege, clock)
    others = [await world.participant(Role.PROTEGE if i % 2 else Role.MENTOR, f"P{i}") for i in range(7)]
    await evaluate_badges(clock=clock, organization_id=world.org_id)
    everyone = [world.mentor, world.protege, *others]
    records = {b.participant_id: b for b in await BadgeRecord.filter(participant_id__in=[p.id for p in everyone])}
    assert set(records) == {p.id for p in everyone}
    assert records[world.mentor.id].state == records[world.protege.id].state == "awarded"
    assert all(records[p.id].state == "none" and len(records[p.id].criteria) == 5 for p in others)
    assert await evaluate_badges(clock=clock, organization_id=world.org_id) == []


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"protege": {"session_attendance": {"threshold": 4, "window_days": 90}}}, None),
        ({"tutor": {}}, "unknown role 'tutor'"),
        ({"mentor": {"charisma": {"threshold": 1}}}, "unknown mentor criterion 'charisma'"),
        (
            {"protege": {"timely_response": {"threshold": 1.5}}},
            "protege.timely_response.threshold: a rate is at most 1 (100%)",
        ),
        (
            {"protege": {"active_goal": {"window_days": 30}}},
            "protege.active_goal.window_days: only windowed criteria take a whole number of days",
        ),
        (
            {"protege": {"goal_progress": {"window_days": 2.5}}},
            "protege.goal_progress.window_days: only windowed criteria take a whole number of days",
        ),
        ({"mentor": {"smart_goals": {"threshold": 0}}}, "mentor.smart_goals.threshold: must be a positive number"),
    ],
)
def test_organization_overrides_are_validated(overrides, problem):
    from domain.badges.policy import validate_overrides

    assert validate_overrides(overrides) == problem
