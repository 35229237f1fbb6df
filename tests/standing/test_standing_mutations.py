"""Standing events through the GraphQL API: every event reachable, logged with actor and reason."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.models import TransitionRecord
from domain.standing.machines import MACHINES
from schema.mutations.standing import camel
from tests.support.requests import transition_request

TRANSITION = """
mutation($pid: ID!, $reason: String!, $version: Int %(until_var)s) {
  %(field)s(input: {participantId: $pid, reason: $reason, expectedVersion: $version %(extra)s}) {
    __typename
    ... on TransitionPayload {
      participant { version profileVisible bookingNeedsApproval standing { state since suspendedUntil allowedEvents } }
      transition { event fromState toState reason actor { kind id } evidence policyVersion occurredAt }
    }
    ... on UserError { message }
    ... on TransitionNotAllowedError { state allowedEvents reasons }
    ... on StaleVersionError { expectedVersion actualVersion }
    ... on InvalidInputError { field }
  }
}
"""

HISTORY = """
query($id: ID!, $first: Int!, $after: String) {
  participant(id: $id) { standing { history(first: $first, after: $after) {
    edges { cursor node { event fromState toState reason actor { kind id } evidence policyVersion } }
    pageInfo { hasNextPage endCursor }
  } } }
}
"""


async def send(gql, token, event, participant_id, reason="a reason", version=None, until=None):
    query, variables = transition_request(TRANSITION, event, participant_id, reason, version, until)
    return (await gql.data(query, variables, token=token))[camel(event)]


# A path through each machine that takes every event at least once.
MENTOR_PATH = [
    "issue_notice",
    "clear_notice",
    "issue_notice",
    "suspend",
    "lift_suspension",
    "suspend",
    "remove",
    "undo_removal",
    "remove",
]
PROTEGE_PATH = [
    "send_reminder",
    "approve_reschedule",
    "send_reminder",
    "issue_warning",
    "restore_good_standing",
    "issue_warning",
    "mark_ineligible",
    "restore_good_standing",
    "mark_ineligible",
]


def test_the_paths_cover_every_event_of_both_machines():
    assert set(MENTOR_PATH) | set(PROTEGE_PATH) == {e for m in MACHINES.values() for e in m.event_ids()}


@pytest.mark.parametrize(("who", "path"), [("mentor", MENTOR_PATH), ("protege", PROTEGE_PATH)])
async def test_every_event_is_reachable_by_mutation_and_shows_in_history(gql, world, clock, who, path):
    participant = getattr(world, who)
    for step, event in enumerate(path, start=1):
        clock.advance(timedelta(hours=1))
        until = (clock.now() + timedelta(days=7)).isoformat() if event == "suspend" else None
        result = await send(gql, world.admin, event, participant.id, reason=f"step {step}", until=until)
        assert result["__typename"] == "TransitionPayload", result
        assert result["transition"]["event"] == event.upper()
        assert result["transition"]["actor"]["kind"] == "ADMIN"
        assert result["participant"]["version"] == step + 1

    history = await gql.data(HISTORY, {"id": str(participant.id), "first": 100}, token=world.admin)
    edges = history["participant"]["standing"]["history"]["edges"]
    assert [e["node"]["event"] for e in reversed(edges)] == [e.upper() for e in path]
    assert [e["node"]["reason"] for e in reversed(edges)] == [f"step {i}" for i in range(1, len(path) + 1)]
    assert {e["node"]["policyVersion"] for e in edges} == {"coc-2026.1"}
    assert await TransitionRecord.filter(participant_id=participant.id).count() == len(path)


async def test_suspension_hides_the_mentor_and_records_its_end(gql, world, clock):
    await send(gql, world.admin, "issue_notice", world.mentor.id)
    until = clock.now() + timedelta(days=14)
    result = await send(gql, world.admin, "suspend", world.mentor.id, until=until.isoformat())
    assert result["participant"]["profileVisible"] is False
    assert result["participant"]["standing"]["state"] == "SUSPENDED"
    assert result["participant"]["standing"]["suspendedUntil"].startswith(until.date().isoformat())
    assert result["transition"]["evidence"] == {"until": until.isoformat()}
    lifted = await send(gql, world.admin, "lift_suspension", world.mentor.id)
    assert lifted["participant"]["profileVisible"] is True
    assert lifted["participant"]["standing"]["suspendedUntil"] is None


async def test_reminder_makes_booking_need_admin_approval(gql, world):
    result = await send(gql, world.admin, "send_reminder", world.protege.id)
    assert result["participant"]["bookingNeedsApproval"] is True
    approved = await send(gql, world.admin, "approve_reschedule", world.protege.id)
    assert approved["participant"]["bookingNeedsApproval"] is False


async def test_warning_hides_the_protege_from_mentors(gql, world):
    result = await send(gql, world.admin, "issue_warning", world.protege.id)
    assert result["participant"]["profileVisible"] is False
    directory = await gql.data("{ directory(role: PROTEGE) { displayName } }", token=world.mentor_token)
    assert directory["directory"] == []


async def test_event_not_allowed_from_state_lists_the_allowed_events(gql, world):
    result = await send(gql, world.admin, "suspend", world.mentor.id, until="2030-01-01T00:00:00Z")
    assert result["__typename"] == "TransitionNotAllowedError"
    assert result["state"] == "GOOD"
    assert result["allowedEvents"] == ["ISSUE_NOTICE"]


async def test_event_of_the_other_role_is_not_allowed(gql, world):
    result = await send(gql, world.admin, "send_reminder", world.mentor.id)
    assert result["__typename"] == "TransitionNotAllowedError"
    assert "not a mentor event" in result["reasons"][0]


async def test_suspension_end_in_the_past_is_invalid_input(gql, world, clock):
    await send(gql, world.admin, "issue_notice", world.mentor.id)
    result = await send(
        gql, world.admin, "suspend", world.mentor.id, until=(clock.now() - timedelta(minutes=1)).isoformat()
    )
    assert result == {
        "__typename": "InvalidInputError",
        "message": "until: the suspension's end time must be in the future",
        "field": "until",
    }


async def test_admin_action_without_reason_is_invalid_input(gql, world):
    result = await send(gql, world.admin, "issue_notice", world.mentor.id, reason="   ")
    assert result["__typename"] == "InvalidInputError"
    assert result["field"] == "reason"
    assert await TransitionRecord.all().count() == 0


async def test_stale_version_is_rejected_and_nothing_is_written(gql, world):
    first = await send(gql, world.admin, "issue_notice", world.mentor.id, version=1)
    assert first["participant"]["version"] == 2
    stale = await send(gql, world.admin, "remove", world.mentor.id, version=1)
    assert stale == {
        "__typename": "StaleVersionError",
        "message": stale["message"],
        "expectedVersion": 1,
        "actualVersion": 2,
    }
    assert await TransitionRecord.all().count() == 1


async def test_unknown_participant_is_not_found(gql, world):
    result = await send(gql, world.admin, "issue_notice", 999999)
    assert result["__typename"] == "NotFoundError"


async def test_removal_undo_is_refused_after_the_grace_period(gql, world, clock):
    await send(gql, world.admin, "issue_notice", world.mentor.id)
    await send(gql, world.admin, "remove", world.mentor.id)
    clock.advance(timedelta(days=31))
    result = await send(gql, world.admin, "undo_removal", world.mentor.id)
    assert result["__typename"] == "TransitionNotAllowedError"
    assert result["reasons"] == [
        "a removal can only be undone within the policy's grace period, or by deciding its appeal"
    ]
    assert result["allowedEvents"] == []


async def test_history_pages_newest_first_with_cursors(gql, world):
    for event in ["send_reminder", "approve_reschedule", "send_reminder"]:
        await send(gql, world.admin, event, world.protege.id)
    page1 = await gql.data(HISTORY, {"id": str(world.protege.id), "first": 2}, token=world.admin)
    history1 = page1["participant"]["standing"]["history"]
    assert [e["node"]["event"] for e in history1["edges"]] == ["SEND_REMINDER", "APPROVE_RESCHEDULE"]
    assert history1["pageInfo"]["hasNextPage"] is True
    page2 = await gql.data(
        HISTORY,
        {"id": str(world.protege.id), "first": 2, "after": history1["pageInfo"]["endCursor"]},
        token=world.admin,
    )
    history2 = page2["participant"]["standing"]["history"]
    assert [e["node"]["event"] for e in history2["edges"]] == ["SEND_REMINDER"]
    assert history2["pageInfo"]["hasNextPage"] is False
