"""Standing at any moment: a mentor takes 30 steps over a year, through the GraphQL mutations and the sweep,
and `standingAt` answers, at each step's instant and one second before it, what a table of this test says."""

from __future__ import annotations

from datetime import timedelta

from domain.deadlines.sweep import sweep
from domain.models import TransitionRecord
from schema.mutations.standing import camel
from tests.support.requests import transition_request

SEND = """
mutation($pid: ID!, $reason: String!, $version: Int %(until_var)s) {
  %(field)s(input: {participantId: $pid, reason: $reason, expectedVersion: $version %(extra)s}) {
    __typename ... on UserError { message }
  }
}
"""

STANDING_AT = """
query($id: ID!, $at: DateTime!) {
  participant(id: $id) { standingAt(at: $at) {
    __typename
    ... on StandingAt { state since suspendedUntil decidedBy { kind id } transition { event } badge { status held } }
    ... on UserError { message }
    ... on LogDoesNotReplayError { message }
  } }
}
"""

# One year of a mentor's standing, written out by hand: (event, who takes it, the state it leads to). Five
# rounds of six steps: a notice, a suspension the sweep lifts when it ends, a removal undone within its grace,
# and the notice cleared.
ROUND = [
    ("issue_notice", "admin", "FIRST_NOTICE"),
    ("suspend", "admin", "SUSPENDED"),
    ("lift_suspension", "system", "FIRST_NOTICE"),
    ("remove", "admin", "REMOVED"),
    ("undo_removal", "admin", "FIRST_NOTICE"),
    ("clear_notice", "admin", "GOOD"),
]
TABLE = ROUND * 5
GAP = timedelta(days=12, hours=4)  # 30 gaps: a year


async def test_standing_at_each_of_thirty_steps_over_a_year_matches_the_table(gql, world, clock):
    mentor = world.mentor
    start = clock.now()
    for number, (event, actor, _) in enumerate(TABLE, start=1):
        clock.advance(GAP)
        if actor == "system":  # the suspension ended days ago: the sweep lifts it, as the worker would
            report = await sweep(clock)
            assert [t.firing.transition for t in report.transitions if t.participant_id == mentor.id] == [event], report
            continue
        until = (clock.now() + timedelta(days=5)).isoformat() if event == "suspend" else None
        query, variables = transition_request(SEND, event, mentor.id, f"step {number}", None, until)
        result = (await gql.data(query, variables, token=world.admin))[camel(event)]
        assert result["__typename"] == "TransitionPayload", result
    assert clock.now() - start == timedelta(days=365)

    steps = await TransitionRecord.filter(participant_id=mentor.id, machine="mentor_standing").order_by("id")
    assert [(s.event, s.actor_kind) for s in steps] == [(e, a) for e, a, _ in TABLE]

    async def standing_at(at):
        data = await gql.data(STANDING_AT, {"id": str(mentor.id), "at": at.isoformat()}, token=world.admin)
        return data["participant"]["standingAt"]

    before = "GOOD"
    for step, (event, actor, after) in zip(steps, TABLE, strict=True):
        at_step = await standing_at(step.occurred_at)
        assert at_step["__typename"] == "StandingAt", at_step
        assert (at_step["state"], at_step["decidedBy"]["kind"], at_step["transition"]["event"]) == (
            after,
            actor.upper(),
            event.upper(),
        )
        assert at_step["since"] == step.occurred_at.isoformat()
        assert (at_step["suspendedUntil"] is not None) is (after == "SUSPENDED")
        just_before = await standing_at(step.occurred_at - timedelta(seconds=1))
        assert just_before["state"] == before, (event, just_before)
        before = after
    assert (await standing_at(mentor.created_at))["decidedBy"] is None  # the state they registered in
    assert await standing_at(mentor.created_at - timedelta(seconds=1)) is None  # not registered yet
    future = await standing_at(clock.now() + timedelta(days=1))
    assert future["__typename"] == "InvalidInputError"
