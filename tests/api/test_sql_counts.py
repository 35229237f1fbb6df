"""A page of participants costs a fixed number of SQL statements, whatever its size.

tests/access/test_read_path.py guards the statements of the two queries bench/api.py measures."""

from __future__ import annotations

from domain.access.tokens import forget_tokens
from domain.kernel.roles import Role

PAGE = """
query($first: Int!) {
  participants(first: $first) {
    edges { node {
      id displayName email profileVisible bookingNeedsApproval
      organization { slug }
      badge { status policyVersion criteria { key met } perks { priorityListing certificateUrl } }
      standing { state since allowedEvents history(first: 3) { edges { node { event reason actor { kind } } } } }
    } }
    pageInfo { hasNextPage }
  }
}
"""


async def statements_for_page(gql, token, counter, size: int) -> int:
    counter.statements.clear()
    data = await gql.data(PAGE, {"first": size}, token=token)
    assert len(data["participants"]["edges"]) == size
    return len(counter.statements)


async def test_listing_100_participants_costs_no_more_sql_than_listing_1(gql, world, sql_counter):
    for i in range(100):
        participant = await world.participant(Role.MENTOR if i % 2 else Role.PROTEGE, f"P{i}")
        if i % 3 == 0:
            await gql.data(
                'mutation($id: ID!) { sendReminder(input: {participantId: $id, reason: "r"}) { __typename } }'
                if participant.role is Role.PROTEGE
                else 'mutation($id: ID!) { issueNotice(input: {participantId: $id, reason: "r"}) { __typename } }',
                {"id": str(participant.id)},
                token=world.admin,
            )
    forget_tokens()  # the mutations above left the admin token in this process's token cache
    cold = await statements_for_page(gql, world.admin, sql_counter, 1)
    # token lookup, the page, organizations, histories, badges: five statements, whatever the page size
    assert cold == 5, sql_counter.statements
    # The token is then known for TOKEN_CACHE_SECONDS: the page alone costs four.
    one = await statements_for_page(gql, world.admin, sql_counter, 1)
    hundred = await statements_for_page(gql, world.admin, sql_counter, 100)
    assert hundred == one == 4, sql_counter.statements
