"""No-contact orders: booking and messaging between the two are refused in both directions while the order
is in force, without telling the one who did not ask for it; the order ends at its exact second."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.access.organizations import get_or_create_organization
from domain.activity.acting import Acting
from domain.kernel.roles import Role
from domain.models import MentorshipSession, Message, NoContactOrder
from domain.protection.no_contact import UNDISCLOSED
from tests.support.activity import goal_for
from tests.support.facts import BOOK, MESSAGE, open_calendar

SECOND = timedelta(seconds=1)
ORDER = """mutation($input: OrderNoContactInput!) { orderNoContact(input: $input) { __typename
  ... on NoContactOrder { id until requestedBy } ... on UserError { message } } }"""


async def _order(gql, world, until, *, a=None, b=None, requested_by=None, token=None, reason="a report of harassment"):
    variables = {
        "input": {
            "participantAId": str((a or world.protege).id),
            "participantBId": str((b or world.mentor).id),
            "until": until.isoformat(),
            "reason": reason,
            "requestedBy": str(requested_by.id) if requested_by else None,
        }
    }
    return (await gql.data(ORDER, variables, token=token or world.admin))["orderNoContact"]


@pytest.fixture
async def goal(world, clock):
    acting = Acting(world.org_id)
    await open_calendar(acting, world.mentor, clock)
    return await goal_for(acting, world.protege, world.mentor, clock)


def _booking(world, goal, clock):
    return {
        "input": {
            "mentorId": str(world.mentor.id),
            "protegeId": str(world.protege.id),
            "goalId": str(goal.id),
            "scheduledAt": (clock.now() + timedelta(days=2)).isoformat(),
        }
    }


async def test_an_order_blocks_booking_and_messaging_both_ways_until_its_exact_second(gql, world, clock, goal):
    until = clock.now() + timedelta(days=10)
    ordered = await _order(gql, world, until, requested_by=world.protege)
    assert ordered["__typename"] == "NoContactOrder", ordered
    book = (await gql.data(BOOK, _booking(world, goal, clock), token=world.protege_token))["bookSession"]
    assert book["__typename"] == "NotPermittedError" and "no-contact order" in book["message"]  # they asked for it
    by_mentor = (await gql.data(BOOK, _booking(world, goal, clock), token=world.mentor_token))["bookSession"]
    assert by_mentor == {"__typename": "NotPermittedError", "message": UNDISCLOSED}  # not told of the order
    for sender, recipient, token in (
        (world.mentor, world.protege, world.mentor_token),
        (world.protege, world.mentor, world.protege_token),
    ):
        sent = (await gql.data(MESSAGE, {"s": str(sender.id), "r": str(recipient.id)}, token=token))["sendMessage"]
        assert sent["__typename"] == "NotPermittedError"
    mentor_view = (
        await gql.data(MESSAGE, {"s": str(world.mentor.id), "r": str(world.protege.id)}, token=world.mentor_token)
    )["sendMessage"]
    assert "no-contact" not in mentor_view["message"] and "order" not in mentor_view["message"]
    assert await MentorshipSession.all().count() == 0 and await Message.all().count() == 0
    clock.set(until - SECOND)
    late = (await gql.data(BOOK, _booking(world, goal, clock), token=world.protege_token))["bookSession"]
    assert late["__typename"] == "NotPermittedError"
    clock.set(until)
    booked = (await gql.data(BOOK, _booking(world, goal, clock), token=world.protege_token))["bookSession"]
    assert booked["__typename"] == "Session", booked
    sent = (await gql.data(MESSAGE, {"s": str(world.mentor.id), "r": str(world.protege.id)}, token=world.mentor_token))[
        "sendMessage"
    ]
    assert sent["__typename"] == "Message"


async def test_an_order_between_two_organizations_is_refused_and_writes_nothing(gql, world, clock):
    elsewhere = await get_or_create_organization("elsewhere", clock)
    outsider = await world.participant(Role.MENTOR, "Otto Outside", org_id=elsewhere.id)
    answer = await _order(gql, world, clock.now() + timedelta(days=5), b=outsider)
    assert answer["__typename"] == "NotFoundError"
    assert await NoContactOrder.all().count() == 0


@pytest.mark.parametrize(
    ("days", "same", "reason"),
    [(-1, False, "r"), (0, False, "r"), (366, False, "r"), (5, True, "r"), (5, False, " ")],
)
async def test_an_order_needs_two_people_a_future_end_within_a_year_and_a_reason(gql, world, clock, days, same, reason):
    answer = await _order(
        gql, world, clock.now() + timedelta(days=days), b=world.protege if same else None, reason=reason
    )
    assert answer["__typename"] == "InvalidInputError", answer
    assert await NoContactOrder.all().count() == 0


async def test_only_admins_order_no_contact(gql, world, clock):
    variables = {
        "input": {
            "participantAId": str(world.protege.id),
            "participantBId": str(world.mentor.id),
            "until": (clock.now() + timedelta(days=1)).isoformat(),
            "reason": "x",
        }
    }
    refused = await gql.execute(ORDER, variables, token=world.protege_token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
