"""Compiled completion (schema/compiled.py) answers exactly what graphql-core's own completion does.

Every query below runs twice against the same data, with compiled plans and with graphql-core alone,
for each kind of token, and the whole response body (data and errors) must be equal. The queries
cover basic fields, sync and async resolvers, access-checked fields, nested lists, connections,
fragments, aliases, @skip/@include driven by variables, __typename and a field that errors.
"""

from __future__ import annotations

import pytest

from schema import compiled
from tests.support.queries import PAGE, SINGLE, crowd

BADGE = """badge { status since policyVersion evaluatedAt
  criteria { key description met value threshold windowStart windowEnd note }
  advice { criterion message dueBy }
  perks { priorityListing spotlightEligible earlyAccess bonusReferrals committedLearner ambassadorEligible certificateUrl } }"""
EVERYTHING = (
    """{ participants(first: 100) { edges { cursor node { __typename id role displayName timezone version
  profileVisible bookingNeedsApproval programReview createdAt email
  standing { state since suspendedUntil machine allowedEvents
    history(first: 3) { edges { cursor node { id machine fromState toState event actor { kind id } reason evidence
      policyVersion occurredAt } } pageInfo { hasNextPage endCursor } } }
  organization { id slug name } """
    + BADGE
    + """ } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""
)
DIRECTIVES = """query($withBadge: Boolean!, $skipName: Boolean!) {
  everyone: participants(first: 50) { edges { node { ...who  mine: standing { s: state } } } }
  viewer { role organizationId participantId __typename } }
  fragment who on Participant { id name: displayName @skip(if: $skipName)
    ... on Participant { badge @include(if: $withBadge) { status perks { priorityListing } } } }"""
NODE = """query($id: ID!) { node(id: $id) { __typename id ... on Participant { displayName email
  standing { state allowedEvents } badge { status criteria { key met } } } } }"""

QUERIES = {
    "benchmark page": (PAGE, {"first": 100}),
    "everything on a page": (EVERYTHING, {}),
    "directives, aliases, fragments (on)": (DIRECTIVES, {"withBadge": True, "skipName": False}),
    "directives, aliases, fragments (off)": (DIRECTIVES, {"withBadge": False, "skipName": True}),
    "a directory": ("{ directory(role: MENTOR, first: 20) { id role displayName timezone __typename } }", {}),
}


async def both_ways(gql, query: str, variables: dict, token: str, monkeypatch) -> tuple[dict, dict, int]:
    before = compiled.stats["compiled"]
    fast = await gql.execute(query, variables, token=token)
    used = compiled.stats["compiled"] - before
    monkeypatch.setattr(compiled, "ENABLED", False)
    try:
        reference = await gql.execute(query, variables, token=token)
    finally:
        monkeypatch.setattr(compiled, "ENABLED", True)
    return fast, reference, used


@pytest.mark.parametrize("name", list(QUERIES))
async def test_every_token_gets_the_same_answer_either_way(gql, world, monkeypatch, name):
    await crowd(gql, world, 24)
    query, variables = QUERIES[name]
    compiled_somewhere = 0
    for token in (world.admin, world.partner, world.mentor_token, world.protege_token, world.other_admin):
        fast, reference, used = await both_ways(gql, query, variables, token, monkeypatch)
        assert fast == reference
        compiled_somewhere += used
    assert compiled_somewhere > 0  # the comparison above compared something that was compiled


async def test_single_reads_and_nodes_get_the_same_answer_either_way(gql, world, monkeypatch):
    await crowd(gql, world, 8)
    listing = await gql.data("{ participants(first: 100) { edges { node { id } } } }", token=world.admin)
    for edge in listing["participants"]["edges"]:
        for token in (world.admin, world.partner, world.protege_token):
            for query in (SINGLE, NODE):
                fast, reference, _ = await both_ways(gql, query, {"id": edge["node"]["id"]}, token, monkeypatch)
                assert fast == reference


async def test_the_benchmarked_page_is_completed_in_one_compiled_plan(gql, world):
    await crowd(gql, world, 10)
    before = dict(compiled.stats)
    data = await gql.data(PAGE, {"first": 100}, token=world.partner)
    assert len(data["participants"]["edges"]) == 12
    # The connection object is plain all the way down, so it is the one object compiled.
    assert compiled.stats["compiled"] - before.get("compiled", 0) == 1
    assert compiled.stats["fell_back"] == before.get("fell_back", 0)


async def test_an_awaitable_in_a_plain_looking_place_falls_back_to_graphql_core(gql, world):
    # One participant's badge is not preloaded: its sync resolver hands back a coroutine, so the plan for
    # the participant is dropped and graphql-core completes it (and awaits the badge) instead.
    before = compiled.stats["fell_back"]
    data = await gql.data(
        "query($id: ID!) { participant(id: $id) { displayName badge { status } } }",
        {"id": str(world.protege.id)},
        token=world.admin,
    )
    assert data["participant"] == {"displayName": "Pat Protege", "badge": {"status": "NONE"}}
    assert compiled.stats["fell_back"] == before + 1


# --- errors and nulls stay graphql-core's own -----------------------------------------------------

import strawberry  # noqa: E402

from schema.build import StandingExecutionContext  # noqa: E402


@strawberry.type
class Leaf:
    value: int
    maybe: int | None

    @strawberry.field
    def fails(self) -> int:
        raise ValueError(f"no value for {self.value}")

    @strawberry.field
    def doubled(self, times: int = 2) -> int:
        return self.value * times


@strawberry.type
class Box:
    leaves: list[Leaf]
    label: str


@strawberry.type
class ErrorQuery:
    @strawberry.field
    def box(self) -> Box:
        return Box(leaves=[Leaf(value=1, maybe=None), Leaf(value=2, maybe=5)], label="box")

    @strawberry.field
    def broken_box(self) -> Box:
        return Box(leaves=[Leaf(value=3, maybe=None)], label=None)  # type: ignore[arg-type]  # null in a non-null


ERROR_SCHEMA = strawberry.Schema(query=ErrorQuery, execution_context_class=StandingExecutionContext)


@pytest.mark.parametrize(
    "query",
    [
        "{ box { label leaves { value maybe doubled(times: 3) } } }",
        "{ box { label leaves { value fails } } }",
        "{ brokenBox { label leaves { value } } }",
        "{ box { leaves { ... on Leaf { value } __typename } } brokenBox { leaves { maybe } } }",
    ],
)
def test_errors_paths_and_nulls_are_graphql_cores_own(query, monkeypatch):
    fast = ERROR_SCHEMA.execute_sync(query)
    monkeypatch.setattr(compiled, "ENABLED", False)
    reference = ERROR_SCHEMA.execute_sync(query)
    assert fast.data == reference.data
    assert [(e.message, e.path) for e in fast.errors or []] == [(e.message, e.path) for e in reference.errors or []]


def test_a_plain_selection_is_compiled_and_an_erroring_one_falls_back():
    before = dict(compiled.stats)
    assert ERROR_SCHEMA.execute_sync("{ box { label leaves { value doubled } } }").data == {
        "box": {"label": "box", "leaves": [{"value": 1, "doubled": 2}, {"value": 2, "doubled": 4}]}
    }
    assert compiled.stats["compiled"] == before.get("compiled", 0) + 1
    result = ERROR_SCHEMA.execute_sync("{ box { leaves { fails } } }")
    assert [e.path for e in result.errors] == [["box", "leaves", 0, "fails"]]  # the null bubbles up to data
    assert compiled.stats["fell_back"] > before.get("fell_back", 0)
