"""Client mistakes (a query that does not parse or validate, a variable of the wrong type, a missing token)
are logged at info, without a traceback; only an exception raised while resolving is logged as an error."""

from __future__ import annotations

import logging

import pytest

CLIENT_MISTAKES = {
    "a query that does not parse": ("{ viewer { role }", {}),
    "a query that does not validate": ("{ viewer { noSuchField } }", {}),
    "a variable of the wrong type": ("query($n: Int!) { viewer { role } }", {"n": "many"}),
    "a time without a UTC offset": (
        'mutation($u: DateTime!) { suspend(input: {participantId: "1", reason: "r", until: $u}) { __typename } }',
        {"u": "2030-01-01T09:00:00"},
    ),
}


@pytest.mark.parametrize("query, variables", CLIENT_MISTAKES.values(), ids=CLIENT_MISTAKES.keys())
async def test_a_client_mistake_is_logged_at_info_not_error(query, variables, gql, world, caplog):
    caplog.set_level(logging.INFO)
    body = await gql.execute(query, variables, token=world.admin)
    assert body["errors"]
    assert [r.levelname for r in caplog.records if r.name == "standing.graphql.client"] == ["INFO"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_missing_token_is_logged_at_info_not_error(gql, caplog):
    caplog.set_level(logging.INFO)
    body = await gql.execute("{ participants(first: 1) { edges { node { id } } } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_an_exception_in_a_resolver_is_still_logged_as_an_error(gql, world, caplog, monkeypatch):
    from schema import queries

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(queries, "parse_participant_id", broken)
    caplog.set_level(logging.INFO)
    await gql.execute('{ participant(id: "1") { id } }', token=world.admin)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR and "a bug" in r.getMessage()]
