"""A lapsed 48-hour reply window is a provisional fact too: the badge's response rate and non-responsiveness
count it only once its dispute window closes undisputed, and never once it is withdrawn."""

from __future__ import annotations

from datetime import timedelta

from domain.activity.acting import Acting
from domain.activity.messages import SendMessage
from domain.activity.record import record_activity
from domain.badges.evaluation import evaluate_badges
from domain.facts.policy import FACT_POLICY
from domain.models import BadgeRecord, RecordedFact
from tests.support.activity import exemplary_pair
from tests.support.facts import DISPUTE, RESOLVE

SECOND = timedelta(seconds=1)
REPLY_WINDOW = timedelta(hours=48)


async def responsiveness(world, clock) -> float:
    await evaluate_badges(clock=clock, participant_ids=[world.mentor.id])
    record = await BadgeRecord.get(participant_id=world.mentor.id)
    return {c["key"]: c for c in record.criteria}["responsiveness"]["value"]


async def _lapse(world, clock, fire) -> RecordedFact:
    acting = Acting(world.org_id)
    await record_activity(acting, SendMessage(sender_id=world.protege.id, recipient_id=world.mentor.id), clock=clock)
    clock.advance(REPLY_WINDOW + SECOND)
    await fire()
    fact = await RecordedFact.get(subject_id=world.mentor.id)
    assert (fact.kind.value, fact.state, fact.counterpart_id) == ("response_lapse", "provisional", world.protege.id)
    return fact


async def test_a_lapse_counts_in_the_response_rate_only_once_its_window_closes(world, clock, fire):
    await exemplary_pair(Acting(world.org_id), world.mentor, world.protege, clock)
    assert await responsiveness(world, clock) == 1.0
    fact = await _lapse(world, clock, fire)
    assert await responsiveness(world, clock) == 1.0  # provisional: not counted yet
    clock.set(fact.dispute_until + SECOND)
    await fire()
    assert (await RecordedFact.get(id=fact.id)).state == "confirmed"
    assert await responsiveness(world, clock) < 1.0


async def test_a_withdrawn_lapse_never_counts(gql, world, clock, fire):
    await exemplary_pair(Acting(world.org_id), world.mentor, world.protege, clock)
    fact = await _lapse(world, clock, fire)
    disputed = await gql.data(
        DISPUTE, {"input": {"factId": str(fact.id), "statement": "I answered by phone"}}, token=world.mentor_token
    )
    assert disputed["disputeFact"]["fact"]["state"] == "DISPUTED"
    rejected = await gql.data(
        RESOLVE,
        {"input": {"factId": str(fact.id), "outcome": "WITHDRAWN", "reason": "the call log shows it"}},
        token=world.admin,
    )
    assert rejected["resolveDispute"]["fact"]["state"] == "WITHDRAWN"
    clock.set(fact.dispute_until + timedelta(days=1))
    await fire()
    assert await responsiveness(world, clock) == 1.0
    assert FACT_POLICY.dispute_window.value == timedelta(hours=72)
