"""Production hardening (Settings.production=True), checked against development mode on the same database.

In production: introspection is refused, GraphiQL is not served, unexpected errors are masked (AuthErrors are
not), query depth, aliases and tokens are limited, and typed user errors still come back as data.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from graphql.language import Lexer, Source, TokenKind

import domain.participants.directory
import schema.mutations.standing
from domain.infra.config import Settings
from domain.kernel.clock import FixedClock
from domain.models import TransitionRecord
from schema.app import create_app
from tests.support.world import GraphQLClient

MASKED = "Unexpected error."


@pytest.fixture
def production_app(orm: str, clock: FixedClock):
    return create_app(Settings(database_url=orm, production=True), clock=clock, manage_database=False)


@pytest.fixture
async def prod(production_app) -> AsyncIterator[GraphQLClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=production_app), base_url="http://standing.test"
    ) as http:
        yield GraphQLClient(http)


def messages(body: dict) -> list[str]:
    return [e["message"] for e in body.get("errors", [])]


def token_count(document: str) -> int:
    """Lexical tokens as graphql-core's parser counts them for max_tokens (punctuators, names, values)."""
    lexer, count = Lexer(Source(document)), 0
    while lexer.advance().kind is not TokenKind.EOF:
        count += 1
    return count


# --- introspection and GraphiQL -----------------------------------------------------------------

INTROSPECTION = "{ __schema { types { name } } }"
TYPE_INTROSPECTION = '{ __type(name: "Participant") { fields { name } } }'


@pytest.mark.parametrize("use_token", [False, True], ids=["anonymous", "admin-token"])
@pytest.mark.parametrize(
    ("query", "field"), [(INTROSPECTION, "__schema"), (TYPE_INTROSPECTION, "__type")], ids=["schema", "type"]
)
async def test_introspection_is_refused_in_production(prod, world, query, field, use_token):
    body = await prod.execute(query, token=world.admin if use_token else None)
    assert body.get("data") is None
    # One error per introspection field: the root field first, then the fields selected under it.
    assert messages(body)[0] == (
        f"GraphQL introspection has been disabled, but the requested query contained the field '{field}'."
    )
    assert all(m.startswith("GraphQL introspection has been disabled") for m in messages(body))


async def test_introspection_through_a_get_query_is_refused_in_production(prod):
    response = await prod.http.get("/graphql", params={"query": INTROSPECTION}, headers={"Accept": "application/json"})
    body = response.json()
    assert body.get("data") is None
    assert messages(body) == [
        "GraphQL introspection has been disabled, but the requested query contained the field '__schema'.",
        "GraphQL introspection has been disabled, but the requested query contained the field 'types'.",
    ]
    assert "Participant" not in response.text


async def test_introspection_is_answered_in_development(gql):
    data = await gql.data(INTROSPECTION)
    names = {t["name"] for t in data["__schema"]["types"]}
    assert {"Participant", "Viewer", "TransitionResult", "Mutation"} <= names


ACCEPT_HTML = ["text/html", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]


@pytest.mark.parametrize("accept", ACCEPT_HTML)
async def test_graphiql_is_not_served_in_production(prod, accept):
    response = await prod.http.get("/graphql", headers={"Accept": accept})
    assert response.status_code == 404
    assert "graphiql" not in response.text.lower()
    assert not response.headers.get("content-type", "").startswith("text/html")


@pytest.mark.parametrize("accept", ACCEPT_HTML)
async def test_graphiql_is_served_in_development(gql, accept):
    response = await gql.http.get("/graphql", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


# --- error masking --------------------------------------------------------------------------------


def _explode(*args, **kwargs):
    raise RuntimeError("secret detail")


async def _directory_request(client: GraphQLClient, world) -> dict:
    return await client.execute("{ directory(role: MENTOR) { displayName } }", token=world.admin)


async def _issue_notice_request(client: GraphQLClient, world) -> dict:
    return await client.execute(
        'mutation($pid: ID!) { issueNotice(input: {participantId: $pid, reason: "r"}) { __typename } }',
        {"pid": str(world.mentor.id)},
        token=world.admin,
    )


# (resolver, where the domain function is looked up, its name, the request, the field in the error path)
BROKEN_RESOLVERS = {
    "directory-query": (domain.participants.directory, "directory", _directory_request, "directory"),
    "issueNotice-mutation": (schema.mutations.standing, "apply_event", _issue_notice_request, "issueNotice"),
}


@pytest.mark.parametrize("broken", list(BROKEN_RESOLVERS))
async def test_an_unexpected_resolver_exception_is_masked_in_production(prod, world, monkeypatch, broken):
    module, name, request, field = BROKEN_RESOLVERS[broken]
    monkeypatch.setattr(module, name, _explode)
    response = await prod.http.post("/graphql", json={"query": "{ __typename }"})  # the app is up
    assert response.json() == {"data": {"__typename": "Query"}}
    body = await request(prod, world)
    assert body["data"] is None
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert error["message"] == MASKED
    assert error["path"] == [field]
    assert "extensions" not in error
    assert "secret detail" not in str(body)
    assert "RuntimeError" not in str(body)


@pytest.mark.parametrize("broken", list(BROKEN_RESOLVERS))
async def test_the_same_exception_is_shown_in_development(gql, world, monkeypatch, broken):
    module, name, request, field = BROKEN_RESOLVERS[broken]
    monkeypatch.setattr(module, name, _explode)
    body = await request(gql, world)
    assert messages(body) == ["secret detail"]
    assert body["errors"][0]["path"] == [field]


async def test_unauthenticated_errors_are_not_masked_in_production(prod):
    body = await prod.execute("{ viewer { role } }")
    assert body["data"] is None
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert error["path"] == ["viewer"]
    assert error["message"].startswith("missing or invalid token: send 'Authorization: Bearer <token>'")


async def test_forbidden_errors_are_not_masked_in_production(prod, world):
    body = await prod.execute(
        'mutation($pid: ID!) { issueNotice(input: {participantId: $pid, reason: "r"}) { __typename } }',
        {"pid": str(world.mentor.id)},
        token=world.partner,
    )
    assert body["data"] is None
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        ("this needs an admin token; yours is a partner token", {"code": "FORBIDDEN"}),
    ]
    assert await TransitionRecord.all().count() == 0


async def test_graphql_validation_messages_are_not_masked_in_production(prod, world):
    body = await prod.execute("{ viewer { nope } }", token=world.admin)
    assert body.get("data") is None
    assert len(messages(body)) == 1
    assert messages(body)[0].startswith("Cannot query field 'nope' on type 'Viewer'.")


# --- query limits ---------------------------------------------------------------------------------


def nested(levels: int) -> str:
    """A named operation `levels` fields deep. No valid query here goes deeper than 9 fields, so the
    chain uses an unknown field `f`; the depth rule is syntactic and judges it all the same."""
    return "query Deep " + "{ f " * levels + "}" * levels


DEPTH_ERROR = "the query is 11 levels deep; at most 10 are allowed"


@pytest.fixture(params=["production", "development"])
def either(request, prod, gql):
    """The limits are the same in both modes."""
    return prod if request.param == "production" else gql


async def test_a_query_deeper_than_10_is_refused_before_validation_in_every_mode(either, world):
    body = await either.execute(nested(12), token=world.admin)  # its deepest field sits at depth 11
    assert body.get("data") is None
    assert messages(body) == [DEPTH_ERROR]  # refused before any other walk: no validation error beside it


async def test_a_query_of_depth_10_is_not_refused_for_depth(either, world):
    body = await either.execute(nested(11), token=world.admin)
    assert messages(body) == ["Cannot query field 'f' on type 'Query'."]


async def test_the_deepest_valid_query_is_served_in_production(prod, world):
    query = "{ participants { edges { node { standing { history { edges { node { actor { kind } } } } } } } } }"
    data = await prod.data(query, token=world.admin)
    assert [e["node"]["standing"]["history"]["edges"] for e in data["participants"]["edges"]] == [[], []]


def aliased(count: int) -> str:
    return "{ " + " ".join(f"a{i}: viewer {{ role }}" for i in range(count)) + " }"


async def test_more_than_15_aliases_are_refused_in_every_mode(either, world):
    body = await either.execute(aliased(16), token=world.admin)
    assert body.get("data") is None
    assert messages(body) == ["the query uses 16 aliases; at most 15 are allowed"]


async def test_aliases_hidden_in_fragments_are_counted(either, world):
    fragment = "fragment V on Query { " + " ".join(f"a{i}: viewer {{ role }}" for i in range(8)) + " }"
    body = await either.execute("{ ...V ... on Query { ...V } } " + fragment, token=world.admin)
    assert messages(body) == ["the query uses 16 aliases; at most 15 are allowed"]


async def test_15_aliases_are_served(either, world):
    data = await either.data(aliased(15), token=world.admin)
    assert data == {f"a{i}": {"role": "ADMIN"} for i in range(15)}


def document_of(tokens: int, participant_id: int) -> tuple[str, int]:
    """An issueNotice mutation of exactly `tokens` tokens, padded with a JSON evidence list; and the padding."""

    def build(padding: int) -> str:
        return (
            'mutation { issueNotice(input: {participantId: "%d", reason: "padded", evidence: {pad: [%s]}}) '
            "{ __typename } }" % (participant_id, ", ".join("0" * padding))
        )

    padding = tokens - token_count(build(0))
    document = build(padding)
    assert token_count(document) == tokens
    return document, padding


async def test_a_document_of_more_than_2000_tokens_is_refused_in_every_mode(either, world):
    document, _ = document_of(2001, world.mentor.id)
    body = await either.execute(document, token=world.admin)
    assert body.get("data") is None
    assert messages(body) == ["Syntax Error: Document contains more than 2000 tokens. Parsing aborted."]
    assert await TransitionRecord.all().count() == 0


async def test_a_document_of_2000_tokens_is_served_in_production(prod, world):
    document, padding = document_of(2000, world.mentor.id)
    data = await prod.data(document, token=world.admin)
    assert data == {"issueNotice": {"__typename": "TransitionPayload"}}
    record = await TransitionRecord.get(participant_id=world.mentor.id)
    assert record.evidence == {"pad": [0] * padding}


# --- typed user errors stay data ------------------------------------------------------------------

TRANSITION = """
mutation($pid: ID!, $reason: String!, $version: Int) {
  %s(input: {participantId: $pid, reason: $reason, expectedVersion: $version}) {
    __typename
    ... on UserError { message }
    ... on InvalidInputError { field }
    ... on NotFoundError { entity id }
    ... on TransitionNotAllowedError { state allowedEvents }
    ... on StaleVersionError { expectedVersion actualVersion }
  }
}
"""


async def test_invalid_input_from_issue_notice_is_data_in_production(prod, world):
    body = await prod.execute(
        TRANSITION % "issueNotice", {"pid": str(world.mentor.id), "reason": "   "}, token=world.admin
    )
    assert "errors" not in body
    result = body["data"]["issueNotice"]
    assert result["__typename"] == "InvalidInputError"
    assert result["field"] == "reason"
    assert "every admin action needs a reason" in result["message"]
    assert await TransitionRecord.all().count() == 0


@pytest.mark.parametrize(
    ("field", "who", "variables", "expected"),
    [
        (
            "issueNotice",
            "admin",
            lambda w: {"pid": "999999", "reason": "r"},
            {"__typename": "NotFoundError", "entity": "Participant", "id": "999999"},
        ),
        (
            "issueNotice",
            "other_admin",
            lambda w: {"pid": str(w.mentor.id), "reason": "r"},
            {"__typename": "NotFoundError", "entity": "Participant"},
        ),
        (
            "suspend",
            "admin",
            None,
            {"__typename": "TransitionNotAllowedError", "state": "GOOD", "allowedEvents": ["ISSUE_NOTICE"]},
        ),
        (
            "issueNotice",
            "admin",
            lambda w: {"pid": str(w.mentor.id), "reason": "r", "version": 7},
            {"__typename": "StaleVersionError", "expectedVersion": 7, "actualVersion": 1},
        ),
    ],
    ids=["not-found", "other-organization", "transition-not-allowed", "stale-version"],
)
async def test_typed_user_errors_stay_data_in_production(prod, world, clock, field, who, variables, expected):
    if field == "suspend":
        query = (
            'mutation($pid: ID!, $until: DateTime!) { suspend(input: {participantId: $pid, reason: "r", '
            "until: $until}) { __typename ... on UserError { message } "
            "... on TransitionNotAllowedError { state allowedEvents } } }"
        )
        body = await prod.execute(
            query,
            {"pid": str(world.mentor.id), "until": (clock.now() + timedelta(days=3)).isoformat()},
            token=world.admin,
        )
    else:
        body = await prod.execute(TRANSITION % field, variables(world), token=getattr(world, who))
    assert "errors" not in body
    result = body["data"][field]
    assert result["message"] and result["message"] != MASKED
    assert {k: result[k] for k in expected} == expected
    assert await TransitionRecord.all().count() == 0


# --- suggestions and masking ------------------------------------------------------------------------

BAIT = [
    "{ viewr { role } }",
    '{ participant(id: "1") { displayNam } }',
    "{ participants(rol: MENTOR) { edges { cursor } } }",
    "{ directory(role: MENTR) { id } }",
]


@pytest.mark.parametrize("query", BAIT)
async def test_production_never_suggests_names(prod, gql, world, query):
    quiet = messages(await prod.execute(query, token=world.admin))
    assert quiet and not any("Did you mean" in m for m in quiet), quiet
    assert any("Did you mean" in m for m in messages(await gql.execute(query, token=world.admin)))


async def test_a_wrong_variable_type_is_explained_not_masked_in_production(prod, world):
    body = await prod.execute(
        "query($n: Int!) { directory(role: MENTOR, first: $n) { id } }", {"n": "ten"}, token=world.admin
    )
    assert messages(body) == ["Variable '$n' has invalid value: Int cannot represent non-integer value: 'ten'"]


async def test_coercion_errors_suggest_nothing_in_production(prod, gql, world):
    query = "query($role: Role!) { directory(role: $role) { id } }"
    quiet = messages(await prod.execute(query, {"role": "MENTR"}, token=world.admin))
    assert quiet and not any("Did you mean" in m for m in quiet), quiet
    assert any("Did you mean" in m for m in messages(await gql.execute(query, {"role": "MENTR"}, token=world.admin)))
