"""Provisional facts: a no-show counts toward the reminder only once confirmed. Disputed, conceded, resolved
or withdrawn, each at its boundary, fired by the worker and by the embedded sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.access.principals import TokenRole
from domain.activity.acting import Acting
from domain.deadlines.sweep import sweep
from domain.facts.policy import FACT_POLICY
from domain.kernel.roles import Role
from domain.models import Participant, RecordedFact, TransitionRecord
from tests.support.facts import CONCEDE, DISPUTE, FACTS, RESOLVE, WITHDRAW, no_show
from tests.support.world import issue

SECOND = timedelta(seconds=1)
WINDOW = FACT_POLICY.dispute_window.value


@pytest.fixture
def acting(world):
    return Acting(world.org_id)


async def standing(participant) -> str:
    return (await Participant.get(id=participant.id)).standing


async def _dispute(gql, fact, token, statement="I wrote to say I was ill") -> dict:
    return (await gql.data(DISPUTE, {"input": {"factId": str(fact.id), "statement": statement}}, token=token))[
        "disputeFact"
    ]


async def test_a_disputed_no_show_the_mentor_concedes_does_not_count(gql, world, clock, acting, fire):
    first = await no_show(acting, world.mentor, world.protege, clock)
    second = await no_show(acting, world.mentor, world.protege, clock)
    disputed = await _dispute(gql, second, world.protege_token)
    assert disputed["fact"]["state"] == "DISPUTED" and disputed["fact"]["counts"] is False
    conceded = (await gql.data(CONCEDE, {"id": str(second.id)}, token=world.mentor_token))["concedeDispute"]
    assert conceded["fact"]["state"] == "WITHDRAWN"
    clock.advance(WINDOW + SECOND)
    await fire()
    assert (await RecordedFact.get(id=first.id)).state == "confirmed"
    assert await standing(world.protege) == "good"  # one counted no-show: no reminder
    assert not await TransitionRecord.filter(event="send_reminder").exists()


async def test_two_confirmed_no_shows_remind_the_protege_when_the_window_closes(gql, world, clock, acting, fire):
    await no_show(acting, world.mentor, world.protege, clock)
    second = await no_show(acting, world.mentor, world.protege, clock)
    assert await standing(world.protege) == "good"  # both provisional
    clock.set(second.dispute_until)  # the last second of the window
    await fire()
    assert (await RecordedFact.get(id=second.id)).state == "provisional" and await standing(world.protege) == "good"
    clock.set(second.dispute_until + SECOND)
    await fire()
    assert await standing(world.protege) == "reminder"
    reminder = await TransitionRecord.get(event="send_reminder")
    assert sorted(reminder.evidence["missed_sessions"]) == sorted(
        [f.session_id for f in await RecordedFact.filter(subject_id=world.protege.id)]
    )


async def test_a_dispute_is_accepted_in_the_windows_last_second_and_refused_after(gql, world, clock, acting):
    late = await no_show(acting, world.mentor, world.protege, clock)
    on_time = await no_show(acting, world.mentor, world.protege, clock)
    clock.set(on_time.dispute_until - SECOND)
    assert (await _dispute(gql, on_time, world.protege_token))["__typename"] == "FactPayload"
    clock.set(late.dispute_until + SECOND)
    refused = await _dispute(gql, late, world.protege_token)
    assert refused["__typename"] == "FactStepNotAllowedError", refused
    assert refused["reasons"] == ["a fact is disputed within its dispute window"]
    fact = await RecordedFact.get(id=late.id)
    assert (fact.state, fact.statement, fact.version) == ("provisional", None, 1)


async def test_a_third_person_cannot_dispute_or_withdraw_and_a_partner_reads_no_fact(gql, world, clock, acting):
    fact = await no_show(acting, world.mentor, world.protege, clock)
    stranger = await world.participant(Role.PROTEGE, "Sam Stranger")
    token = await issue("demo", TokenRole.PARTICIPANT, clock, stranger.id)
    assert (await _dispute(gql, fact, token))["__typename"] == "NotFoundError"
    withdrawn = (await gql.data(WITHDRAW, {"input": {"factId": str(fact.id), "reason": "mine"}}, token=token))[
        "withdrawFact"
    ]
    assert withdrawn["__typename"] == "NotFoundError"
    assert (await gql.data(FACTS, token=token))["facts"] == []
    refused = await gql.execute(FACTS, token=world.partner)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    row = await RecordedFact.get(id=fact.id)
    assert (row.state, row.version) == ("provisional", 1)


async def test_an_admin_resolves_a_dispute_and_an_upheld_one_counts(gql, world, clock, acting):
    await no_show(acting, world.mentor, world.protege, clock)
    second = await no_show(acting, world.mentor, world.protege, clock)
    await _dispute(gql, second, world.protege_token)
    variables = {"input": {"factId": str(second.id), "outcome": "UPHELD", "reason": "x"}}
    by_the_protege = await gql.execute(RESOLVE, variables, token=world.protege_token)
    assert by_the_protege["errors"][0]["extensions"]["code"] == "FORBIDDEN"  # only admins resolve
    clock.advance(WINDOW + SECOND)
    await sweep(clock)  # the first no-show is confirmed; the disputed one waits for an admin
    assert await standing(world.protege) == "good"
    upheld = (
        await gql.data(
            RESOLVE,
            {"input": {"factId": str(second.id), "outcome": "UPHELD", "reason": "the calendar shows no message"}},
            token=world.admin,
        )
    )["resolveDispute"]
    assert upheld["fact"]["state"] == "CONFIRMED" and upheld["fact"]["counts"] is True
    assert await standing(world.protege) == "reminder"


async def test_withdrawing_a_fact_that_caused_a_reminder_reverses_it(gql, world, clock, acting, fire):
    await no_show(acting, world.mentor, world.protege, clock)
    second = await no_show(acting, world.mentor, world.protege, clock)
    clock.advance(WINDOW + SECOND)
    await fire()
    reminder = await TransitionRecord.get(event="send_reminder")
    assert await standing(world.protege) == "reminder"
    answer = (
        await gql.data(
            WITHDRAW,
            {"input": {"factId": str(second.id), "reason": "I had the wrong week in my calendar"}},
            token=world.mentor_token,
        )
    )["withdrawFact"]
    assert answer["__typename"] == "FactPayload", answer
    [reversal] = answer["steps"]
    assert (reversal["event"], reversal["overrules"]) == ("APPROVE_RESCHEDULE", str(reminder.id))
    assert "withdrawn" in reversal["reason"] and "wrong week" in reversal["reason"]
    assert await standing(world.protege) == "good"
    row = await TransitionRecord.get(event="approve_reschedule")
    assert (row.actor_kind, row.actor_id, row.evidence["fact"]) == ("system", "fact_withdrawn", second.id)


async def test_the_subject_cannot_withdraw_a_fact_against_them(gql, world, clock, acting):
    fact = await no_show(acting, world.mentor, world.protege, clock)
    answer = (await gql.data(WITHDRAW, {"input": {"factId": str(fact.id), "reason": "no"}}, token=world.protege_token))[
        "withdrawFact"
    ]
    assert answer["__typename"] == "FactStepNotAllowedError"
    assert (await RecordedFact.get(id=fact.id)).state == "provisional"
