"""Persisted operations (schema/persisted.py): every plan answers exactly what GraphQL answers for the same
document, token and variables, steps aside whenever it should, and is never staler than GraphQL.

GraphQL's answer is taken by sending the catalog's document with a trailing space: the same operation, but
not the catalog's text, so the plan does not recognise it and GraphQL executes it.
"""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from domain.access.read_model import READ_MODEL
from domain.access.tokens import hash_secret, revoke_token
from domain.infra.db import on_commit
from domain.models import ApiToken, Participant
from schema import persisted, persisted_http
from schema.persisted import CATALOG, PARTICIPANT_STANDING, PARTICIPANTS_PAGE, catalog_manifest, sha256
from tests.support.queries import SEND_REMINDER, crowd

GRAPHQL_RESPONSE = "application/graphql-response+json"


async def post(gql, body: dict[str, Any], token: str | None, accept: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if accept:
        headers["Accept"] = accept
    return await gql.http.post("/graphql", json=body, headers=headers)


async def both(gql, document: str, variables: dict[str, Any], token: str | None, accept: str | None = None):
    """(the answer to the catalog's document, GraphQL's answer to the same operation), as HTTP responses."""
    planned = await post(gql, {"query": document, "variables": variables}, token, accept)
    general = await post(gql, {"query": document + " ", "variables": variables}, token, accept)
    return planned, general


def same(planned, general) -> dict:
    assert planned.status_code == general.status_code, (planned.text, general.text)
    assert planned.headers["content-type"] == general.headers["content-type"]
    assert planned.json() == general.json()
    return planned.json()


def tokens(world) -> dict[str, str]:
    return {
        "admin": world.admin,
        "partner": world.partner,
        "mentor": world.mentor_token,
        "protege": world.protege_token,
        "other organization": world.other_admin,
    }


def global_id(participant_id: int) -> str:
    return base64.b64encode(f"Participant:{participant_id}".encode()).decode()


def cursor(offset: int) -> str:
    return base64.b64encode(f"arrayconnection:{offset}".encode()).decode()


@pytest.fixture(params=["database", "read model"])
def source(request, monkeypatch) -> Iterator[Callable[[], None]]:
    """Where the plans read from: the database, or the process's read model (domain/access/read_model.py),
    trusted from the moment the test calls what this yields until this process next commits. Its clock
    ticks on every reading, so a commit is always later than the trust it ends."""
    READ_MODEL.forget()
    persisted.answered_from.clear()
    if request.param == "database":
        yield lambda: None
        assert persisted.answered_from["read model"] == 0
        return
    ticks = itertools.count(1)
    monkeypatch.setattr(READ_MODEL, "now", lambda: float(next(ticks)))
    monkeypatch.setattr(READ_MODEL, "bound", float("inf"))  # staleness by time: tests/access/test_read_model.py
    monkeypatch.setattr(READ_MODEL, "wrote", float("-inf"))  # a commit of an earlier test, by an earlier clock
    unregister = on_commit(READ_MODEL.committed)
    try:
        yield lambda: READ_MODEL.heard(READ_MODEL.now())
        assert persisted.answered_from["read model"] > 0  # the model did answer: the comparison is of it
    finally:
        unregister()
        READ_MODEL.forget()


async def test_the_single_read_plan_answers_what_graphql_answers(gql, world, source):
    await crowd(gql, world, 6)
    other = await world.participant(world.mentor.role, "Elsewhere", org_id=None)
    source()
    ids: list[Any] = [p.id for p in await Participant.all()] + [global_id(world.protege.id), 999_999, "abc", ""]
    ids += [str(world.mentor.id), f" {world.mentor.id} ", global_id(other.id), base64.b64encode(b"Goal:1").decode()]
    persisted_http.stats.clear()
    answers = 0
    for who, token in tokens(world).items():
        for wanted in ids:
            data = same(*await both(gql, PARTICIPANT_STANDING, {"id": wanted}, token))["data"]
            answers += data["participant"] is not None
            assert who != "other organization" or data["participant"] is None
    assert answers > len(ids)  # most reads found someone: the comparison is not of nulls alone
    assert persisted_http.stats["ParticipantStanding:planned"] == len(ids) * len(tokens(world))
    assert persisted_http.stats["ParticipantStanding:graphql"] == 0


async def test_the_page_plan_answers_what_graphql_answers(gql, world, source):
    await crowd(gql, world, 24)
    source()
    persisted_http.stats.clear()
    cases = [
        (first, after) for first in (0, 1, 5, 100) for after in (None, cursor(0), cursor(10), cursor(25), cursor(500))
    ]
    for token in tokens(world).values():
        for first, after in cases:
            same(*await both(gql, PARTICIPANTS_PAGE, {"first": first, "after": after}, token))
    page = same(*await both(gql, PARTICIPANTS_PAGE, {"first": 100}, world.admin))["data"]["participants"]
    statuses = {edge["node"]["badge"]["status"] for edge in page["edges"]}
    states = {edge["node"]["standing"]["state"] for edge in page["edges"]}
    assert {"AWARDED", "REVOKED", "NONE"} <= statuses and len(states) > 1  # the page has variety to compare
    assert persisted_http.stats["ParticipantsPage:planned"] == len(cases) * len(tokens(world)) + 1


@pytest.mark.parametrize("accept", [None, GRAPHQL_RESPONSE])
@pytest.mark.parametrize(
    "document, variables",
    [
        (PARTICIPANTS_PAGE, {"first": 101}),
        (PARTICIPANTS_PAGE, {"first": -1}),
        (PARTICIPANTS_PAGE, {"first": "10"}),
        (PARTICIPANTS_PAGE, {}),
        (PARTICIPANTS_PAGE, {"first": 10, "after": "not ours"}),
        (PARTICIPANTS_PAGE, {"first": 10, "after": base64.b64encode(b"arrayconnection:-4").decode()}),
        (PARTICIPANTS_PAGE, {"first": 10, "after": 7}),
        (PARTICIPANT_STANDING, {}),
        (PARTICIPANT_STANDING, {"id": None}),
        (PARTICIPANT_STANDING, {"id": [1]}),
        (PARTICIPANT_STANDING, {"id": 1.5}),
    ],
)
async def test_a_plan_steps_aside_for_bad_variables_and_graphql_refuses_them(gql, world, document, variables, accept):
    persisted_http.stats.clear()
    body = same(*await both(gql, document, variables, world.admin, accept))
    assert body["errors"]
    assert sum(persisted_http.stats.values()) == persisted_http.stats[f"{CATALOG[sha256(document)].name}:graphql"] == 1


@pytest.mark.parametrize("document", [PARTICIPANT_STANDING, PARTICIPANTS_PAGE])
@pytest.mark.parametrize("token", [None, "stk_not-a-token"])
async def test_without_a_valid_token_graphql_refuses(gql, world, document, token):
    variables = {"id": str(world.protege.id)} if document == PARTICIPANT_STANDING else {"first": 1}
    body = same(*await both(gql, document, variables, token))
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_operation_named_otherwise_is_graphqls_to_refuse(gql, world):
    body = {"query": PARTICIPANT_STANDING, "variables": {"id": "1"}, "operationName": "Other"}
    response = await post(gql, body, world.admin)
    assert 'Unknown operation named "Other"' in response.json()["errors"][0]["message"]


# --- naming an operation by its hash ---------------------------------------------------------------------


def by_hash(document: str, variables: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256(document)}},
        "variables": variables,
        **extra,
    }


async def test_an_operation_is_named_by_its_hash_alone(gql, world):
    variables = {"id": str(world.protege.id)}
    alone = await post(gql, by_hash(PARTICIPANT_STANDING, variables), world.partner)
    general = await post(gql, {"query": PARTICIPANT_STANDING + " ", "variables": variables}, world.partner)
    assert same(alone, general)["data"]["participant"]["standing"]["state"] == "GOOD"


async def test_a_hash_alone_that_steps_aside_is_run_by_graphql_from_the_catalog(gql, world):
    response = await post(gql, by_hash(PARTICIPANTS_PAGE, {"first": 500}), world.admin)
    assert "first must be between 0 and 100" in response.json()["errors"][0]["message"]
    response = await post(gql, by_hash(PARTICIPANT_STANDING, {"id": "1"}), None)
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_hash_alone_works_over_get(gql, world):
    params = {
        "extensions": json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha256(PARTICIPANT_STANDING)}}),
        "variables": json.dumps({"id": str(world.mentor.id)}),
    }
    response = await gql.http.get("/graphql", params=params, headers={"Authorization": f"Bearer {world.admin}"})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["participant"]["standing"]["state"] == "GOOD"


@pytest.mark.parametrize("accept, status", [(None, 200), (GRAPHQL_RESPONSE, 400)])
async def test_an_unknown_hash_is_refused_with_apollos_code(gql, world, accept, status):
    body = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}, "variables": {}}
    response = await post(gql, body, world.admin, accept)
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_an_unknown_hash_with_its_document_is_run_as_usual(gql, world):
    document = "{ viewer { role } }"
    response = await post(gql, by_hash(document, {}, query=document), world.admin)
    assert response.json() == {"data": {"viewer": {"role": "ADMIN"}}}


async def test_a_document_that_does_not_match_its_hash_is_refused(gql, world):
    body = by_hash(PARTICIPANT_STANDING, {"id": "1"}, query="{ viewer { role } }")
    response = await post(gql, body, world.admin)
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


@pytest.mark.parametrize("extension", [{"version": 2, "sha256Hash": "0" * 64}, {"version": 1}, "abc"])
async def test_a_malformed_extension_is_refused(gql, world, extension):
    response = await post(gql, {"extensions": {"persistedQuery": extension}}, world.admin)
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_INVALID"


# --- never staler than GraphQL ---------------------------------------------------------------------------


async def test_a_change_shows_on_the_very_next_planned_read_of_the_client_that_made_it(gql, world, source):
    source()
    read = by_hash(PARTICIPANT_STANDING, {"id": str(world.protege.id)})
    before = (await post(gql, read, world.admin)).json()["data"]["participant"]["standing"]["state"]
    await gql.data(SEND_REMINDER, {"id": str(world.protege.id)}, token=world.admin)
    after = (await post(gql, read, world.admin)).json()["data"]["participant"]["standing"]["state"]
    assert (before, after) == ("GOOD", "REMINDER")
    page = (await post(gql, by_hash(PARTICIPANTS_PAGE, {"first": 100}), world.admin)).json()["data"]
    states = {e["node"]["id"]: e["node"]["standing"]["state"] for e in page["participants"]["edges"]}
    assert states[global_id(world.protege.id)] == "REMINDER"


async def test_a_revoked_token_is_refused_at_once(gql, world, clock):
    read = by_hash(PARTICIPANT_STANDING, {"id": str(world.protege.id)})
    assert (await post(gql, read, world.partner)).json()["data"]["participant"] is not None
    token = await ApiToken.get(secret_hash=hash_secret(world.partner))
    assert await revoke_token(token.id, clock)
    refused = (await post(gql, read, world.partner)).json()
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert refused["data"] == {"participant": None}


# --- the catalog -----------------------------------------------------------------------------------------


def test_the_catalog_publishes_every_operation_with_its_hash():
    manifest = catalog_manifest()
    assert {entry["name"] for entry in manifest} == {"ParticipantStanding", "ParticipantsPage"}
    for entry in manifest:
        assert entry["sha256Hash"] == sha256(entry["document"]) and CATALOG[entry["sha256Hash"]].name == entry["name"]
