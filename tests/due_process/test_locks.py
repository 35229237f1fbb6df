"""Locks over automation: with a lock in place a protégé past 60 days of inactivity is not warned, and the skip
shows in history; when the lock ends the admins get a review item and the next sweep warns. Fired by the
worker and by the embedded sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.models import AdminNudge, Participant, StandingLock, TransitionRecord
from domain.standing.policy import TIME_POLICY
from tests.support.due_process import HISTORY, LOCK, UNLOCK, history_nodes

SECOND = timedelta(seconds=1)
NUDGES = "{ adminNudges { kind participantId message } }"


async def _lock(gql, world, until, reason="talking with the family about a long illness") -> dict:
    variables = {"input": {"participantId": str(world.protege.id), "until": until.isoformat(), "reason": reason}}
    return (await gql.data(LOCK, variables, token=world.admin))["lockStanding"]


async def test_a_lock_holds_the_inactivity_warning_until_it_ends(gql, world, clock, fire):
    registered = clock.now()
    lock_ends = registered + timedelta(days=75)
    locked = await _lock(gql, world, lock_ends)
    assert locked["__typename"] == "StandingLockPayload", locked
    clock.set(registered + TIME_POLICY.inactivity.value + SECOND)
    await fire()
    assert (await Participant.get(id=world.protege.id)).standing == "good"
    [held] = history_nodes(await gql.data(HISTORY, {"id": str(world.protege.id)}, token=world.admin))
    assert (held["event"], held["outcome"], held["toState"]) == ("ISSUE_WARNING", "HELD", "GOOD")
    assert "lock until" in held["reason"] and "long illness" in held["reason"]
    assert (held["actor"]["kind"], held["actor"]["id"]) == ("SYSTEM", "inactivity_warning")
    assert (await gql.data(NUDGES, token=world.admin))["adminNudges"] == []
    clock.set(lock_ends - SECOND)
    await fire()
    assert (await Participant.get(id=world.protege.id)).standing == "good"
    assert await TransitionRecord.filter(outcome="held").count() == 1  # held once: the deadline waited
    clock.set(lock_ends + SECOND)
    await fire()
    assert (await Participant.get(id=world.protege.id)).standing == "warning"
    warning = await TransitionRecord.get(event="issue_warning", outcome="applied")
    assert warning.actor_id == "inactivity_warning"
    [review] = (await gql.data(NUDGES, token=world.admin))["adminNudges"]
    assert review["kind"] == "lock_review" and review["participantId"] == str(world.protege.id)


async def test_unlocking_early_lets_the_held_warning_fire_at_the_next_sweep(gql, world, clock, fire):
    registered = clock.now()
    locked = await _lock(gql, world, registered + timedelta(days=120))
    clock.set(registered + TIME_POLICY.inactivity.value + SECOND)
    await fire()
    assert (await Participant.get(id=world.protege.id)).standing == "good"
    clock.advance(timedelta(days=3))
    unlocked = (
        await gql.data(
            UNLOCK, {"input": {"lockId": locked["lock"]["id"], "reason": "back in touch"}}, token=world.admin
        )
    )["unlockStanding"]
    assert unlocked["__typename"] == "StandingLockPayload" and unlocked["lock"]["endedAt"]
    await fire()
    assert (await Participant.get(id=world.protege.id)).standing == "warning"
    again = (await gql.data(UNLOCK, {"input": {"lockId": locked["lock"]["id"], "reason": "twice"}}, token=world.admin))[
        "unlockStanding"
    ]
    assert again["__typename"] == "NotPermittedError"
    clock.set(registered + timedelta(days=121))
    await fire()
    assert await AdminNudge.filter(kind="lock_review").count() == 0  # lifted early: no review at its old end


@pytest.mark.parametrize(
    ("until_days", "reason"),
    [(-1, "a reason"), (0, "a reason"), (366, "a reason"), (10, ""), (10, "   ")],
)
async def test_a_lock_needs_a_future_end_within_a_year_and_a_reason(gql, world, clock, until_days, reason):
    answer = await _lock(gql, world, clock.now() + timedelta(days=until_days), reason)
    assert answer["__typename"] == "InvalidInputError", answer
    assert await StandingLock.all().count() == 0


async def test_only_admins_lock_and_only_their_own_organizations_participants(gql, world, clock):
    variables = {
        "input": {
            "participantId": str(world.protege.id),
            "until": (clock.now() + timedelta(days=5)).isoformat(),
            "reason": "x",
        }
    }
    refused = await gql.execute(LOCK, variables, token=world.protege_token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    elsewhere = (await gql.data(LOCK, variables, token=world.other_admin))["lockStanding"]
    assert elsewhere["__typename"] == "NotFoundError"
    assert await StandingLock.all().count() == 0


async def test_a_lock_holds_only_automation_an_admin_still_acts(gql, world, clock):
    await _lock(gql, world, clock.now() + timedelta(days=30))
    answer = await gql.data(
        'mutation($p: ID!) { sendReminder(input: {participantId: $p, reason: "talked"}) { __typename } }',
        {"p": str(world.protege.id)},
        token=world.admin,
    )
    assert answer["sendReminder"]["__typename"] == "TransitionPayload"
    assert (await Participant.get(id=world.protege.id)).standing == "reminder"
