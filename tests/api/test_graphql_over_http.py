"""GraphQL over HTTP (the spec's current draft): with `Accept: application/graphql-response+json`, a request
error (a document that does not parse or validate, a variable that does not coerce) is HTTP 400 with no
`data`; a field error after execution began is 200 with `data`. `application/json` clients keep the legacy
behaviour (always 200). graphql-http's own audit, run from Node against a live server, passes every check."""

from __future__ import annotations

import json
import subprocess

import httpx
import pytest

from schema.media_types import GRAPHQL_RESPONSE, JSON, response_media_type
from tests.support.live import ROOT, serve
from tests.support.node import node_with

WANTS_SPEC = {"accept": f"{GRAPHQL_RESPONSE}, {JSON};q=0.9"}
LEGACY = {"accept": JSON}

REQUEST_ERRORS = {
    "a document that does not parse": {"query": "{ viewer { role }"},
    "a document that does not validate": {"query": "{ viewer { noSuchField } }"},
    "a variable that does not coerce": {
        "query": 'mutation($u: DateTime!) { suspend(input: {participantId: "1", reason: "r", until: $u}) { __typename } }',
        "variables": {"u": "2030-01-01T09:00:00"},
    },
    "a variable of the wrong type": {"query": "query($n: Int!) { viewer { role } }", "variables": {"n": "many"}},
}


@pytest.mark.parametrize("body", REQUEST_ERRORS.values(), ids=REQUEST_ERRORS.keys())
async def test_a_request_error_is_400_without_data_for_graphql_response_json(body, gql, world):
    response = await gql.http.post(
        "/graphql", json=body, headers={**WANTS_SPEC, "authorization": f"Bearer {world.admin}"}
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    answer = response.json()
    assert "data" not in answer and answer["errors"], answer


@pytest.mark.parametrize("body", REQUEST_ERRORS.values(), ids=REQUEST_ERRORS.keys())
async def test_an_application_json_client_keeps_200_and_a_null_data(body, gql, world):
    response = await gql.http.post("/graphql", json=body, headers={**LEGACY, "authorization": f"Bearer {world.admin}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(JSON)
    assert response.json()["data"] is None


async def test_a_field_error_after_execution_began_is_200_with_data(gql):
    response = await gql.http.post("/graphql", json={"query": "{ viewer { role } }"}, headers=WANTS_SPEC)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert "data" in answer and answer["errors"][0]["path"] == ["viewer"], answer


async def test_an_answer_is_graphql_response_json_when_asked_for(gql, world):
    response = await gql.http.post(
        "/graphql",
        json={"query": "{ viewer { role } }"},
        headers={**WANTS_SPEC, "authorization": f"Bearer {world.admin}"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    assert response.json() == {"data": {"viewer": {"role": "ADMIN"}}}


@pytest.mark.parametrize("accept", [WANTS_SPEC, LEGACY], ids=["graphql-response+json", "json"])
async def test_a_body_that_is_not_json_is_refused_with_a_json_errors_list(gql, accept):
    response = await gql.http.post(
        "/graphql", content=b"{query", headers={**accept, "content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(response_media_type(accept["accept"]))
    assert json.loads(response.text) == {"errors": [{"message": "Unable to parse request body as JSON"}]}


@pytest.mark.parametrize(
    "accept, chosen",
    [
        (None, JSON),
        ("*/*", JSON),
        (JSON, JSON),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{JSON}, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.5, {JSON}", JSON),
        (f"{GRAPHQL_RESPONSE};q=0, */*", JSON),
        (f"{GRAPHQL_RESPONSE};q=oops", JSON),
        (f"application/*;q=0.2, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
    ],
)
def test_the_accept_header_chooses_the_media_type(accept, chosen):
    assert response_media_type(accept) == chosen


def test_graphql_https_audit_passes_every_check(database_url):
    node = node_with(ROOT / "var" / "graphql-http", ["graphql-http@1", "graphql@16"])
    with serve(database_url) as (base, _env):
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
        result = subprocess.run(
            [node, str(ROOT / "tests" / "api" / "js" / "audit.mjs")],
            env={"JS_MODULES": str(ROOT / "var" / "graphql-http"), "URL": f"{base}/graphql", "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 0, result.stderr
    audit = json.loads(result.stdout)
    assert audit["failures"] == [] and audit["ok"] == audit["total"] == 61, audit
