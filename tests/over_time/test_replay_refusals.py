"""The replay sends each logged step to the machines with the context it was taken in, so a log that records a
step the Code does not allow is found, whatever made it: a guard's refusal, a state the replay is not in, a
badge earned in a standing that forbids one. A held step moves nothing and replays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.kernel.roles import Role
from domain.models import Participant, TransitionRecord
from domain.standing.replay import LogDoesNotReplay, StandingAt, replay

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def person(role: Role) -> Participant:
    return Participant(id=7, organization_id=1, role=role, created_at=T0, standing="good", standing_since=T0)


def step(
    n: int, machine: str, event: str, from_state: str, to_state: str, actor: str = "admin", **kw
) -> TransitionRecord:
    return TransitionRecord(
        id=n,
        organization_id=1,
        participant_id=7,
        machine=machine,
        event=event,
        from_state=from_state,
        to_state=to_state,
        actor_kind=actor,
        actor_id="token:1" if actor == "admin" else "rule",
        reason="r",
        evidence=kw.pop("evidence", {}),
        policy_version="coc-2026.1",
        occurred_at=T0 + timedelta(days=n),
        outcome=kw.pop("outcome", "applied"),
        overrules=None,
    )


async def test_a_guard_that_refuses_the_logged_actor_is_found(orm):
    # The system may not issue a mentor's notice: only an admin may.
    found = replay(person(Role.MENTOR), [step(1, "mentor_standing", "issue_notice", "good", "first_notice", "system")])
    assert isinstance(found, LogDoesNotReplay) and "only an admin may take this step" in found.problem


async def test_a_step_logged_from_another_state_is_found(orm):
    rows = [
        step(1, "protege_standing", "send_reminder", "good", "reminder", "system"),
        step(2, "protege_standing", "restore_good_standing", "warning", "good"),
    ]
    found = replay(person(Role.PROTEGE), rows)
    assert isinstance(found, LogDoesNotReplay) and found.record_id == 2 and found.replayed_state == "reminder"


async def test_a_suspension_lifted_by_the_system_before_its_end_is_found(orm):
    until = (T0 + timedelta(days=30)).isoformat()
    rows = [
        step(1, "mentor_standing", "issue_notice", "good", "first_notice"),
        step(2, "mentor_standing", "suspend", "first_notice", "suspended", evidence={"until": until}),
        step(3, "mentor_standing", "lift_suspension", "suspended", "first_notice", "system"),
    ]
    found = replay(person(Role.MENTOR), rows)
    assert isinstance(found, LogDoesNotReplay) and "before its end time" in found.problem
    assert replay(person(Role.MENTOR), rows[:2]).suspended_until.isoformat() == until  # type: ignore[union-attr]


async def test_a_badge_awarded_to_an_ineligible_protege_is_found(orm):
    rows = [
        step(1, "protege_standing", "mark_ineligible", "good", "ineligible"),
        step(2, "protege_badge", "award", "none", "awarded", "system"),
    ]
    found = replay(person(Role.PROTEGE), rows)
    assert isinstance(found, LogDoesNotReplay) and "cannot be earned in ineligible" in found.problem


async def test_a_held_step_replays_and_moves_nothing(orm):
    rows = [
        step(1, "protege_standing", "issue_warning", "good", "good", "system", outcome="held"),
        step(2, "protege_badge", "award", "none", "awarded", "system"),
        step(3, "protege_standing", "mark_ineligible", "good", "ineligible"),
        step(4, "protege_badge", "revoke", "awarded", "revoked"),
    ]
    found = replay(person(Role.PROTEGE), rows, at=T0 + timedelta(days=2))
    assert isinstance(found, StandingAt)
    assert (found.state, found.since, found.decided_by, found.badge.status) == ("good", T0, None, "awarded")
    final = replay(person(Role.PROTEGE), rows)
    assert isinstance(final, StandingAt) and (final.state, final.badge.status, final.steps) == (
        "ineligible",
        "revoked",
        4,
    )
