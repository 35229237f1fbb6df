"""A subscription event is executed and encoded once per selection, and shared only where that is exact."""

from __future__ import annotations

import asyncio
import json
from contextlib import ExitStack

import pytest
from graphql import parse
from starlette.testclient import TestClient

from domain.infra import db
from domain.infra.config import Settings
from domain.kernel.clock import FixedClock
from schema import subscriptions
from schema.app import create_app
from schema.build import build_schema
from schema.shared_events import RENDERINGS, rendering_variables
from tests.support.world import build_world

PROTOCOL = "graphql-transport-ws"
SELECTION = """subscription($after: ID, $participantId: ID, $withReason: Boolean!) {
  standingChanged(after: $after, participantId: $participantId) {
    cursor participantId toState reasonCode @include(if: $withReason) } }"""
REGISTER = """mutation { registerParticipant(input: {role: PROTEGE, displayName: "Sam", email: "sam@example.org"}) {
  ... on ParticipantPayload { participant { id } } } }"""
REMIND = """mutation($id: ID!) { sendReminder(input: {participantId: $id, reason: "shared events"}) { __typename } }"""


def operation_of(text: str):
    return parse(text).definitions[0]


def test_variables_used_only_as_root_field_arguments_do_not_change_an_events_result():
    assert rendering_variables(operation_of(SELECTION)) == ("withReason",)
    only_scope = "subscription($after: ID) { standingChanged(after: $after) { cursor } }"
    assert rendering_variables(operation_of(only_scope)) == ()
    # A variable used both as the root's argument and inside the selection is part of the result.
    both = (
        "subscription($p: ID, $b: Boolean!) { standingChanged(participantId: $p) { cursor ... @skip(if: $b) { ref } } }"
    )
    assert rendering_variables(operation_of(both)) == ("b",)


def test_no_field_of_a_subscription_payload_has_a_resolver():
    """What makes sharing exact: a payload's result is built from the event alone, never from the subscriber."""
    schema = build_schema()
    returned = {field.type.of_type.name for field in schema._schema.subscription_type.fields.values()}
    payloads = {
        cls.__strawberry_definition__.name: cls
        for cls in (
            subscriptions.StandingChange,
            subscriptions.BadgeChange,
            subscriptions.CaseChange,
            subscriptions.NudgeEvent,
        )
    }
    assert returned == set(payloads)
    for name, cls in payloads.items():
        with_resolvers = [f.name for f in cls.__strawberry_definition__.fields if f.base_resolver is not None]
        assert with_resolvers == [], f"{name}: {with_resolvers} read more than the event"


@pytest.fixture
def tokens(database_url: str):
    async def make():
        await db.connect(database_url)
        try:
            world = await build_world(FixedClock())
            return world.admin, world.partner
        finally:
            await db.disconnect()

    return asyncio.run(make())


def subscribe(sockets: ExitStack, client, token: str, operation_id: str, variables: dict):
    ws = sockets.enter_context(client.websocket_connect("/graphql", subprotocols=[PROTOCOL]))
    ws.send_json({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    assert ws.receive_json() == {"type": "connection_ack"}
    ws.send_json({"id": operation_id, "type": "subscribe", "payload": {"query": SELECTION, "variables": variables}})
    ws.send_json({"type": "ping"})
    assert ws.receive_json() == {"type": "pong"}  # subscribed: the server has read the subscribe message
    return ws


def test_subscribers_with_one_selection_share_one_execution_and_each_gets_its_own_id(database_url, tokens):
    admin, partner = tokens
    RENDERINGS.clear()
    with TestClient(create_app(Settings(database_url=database_url))) as client, ExitStack() as sockets:
        as_admin = {"Authorization": f"Bearer {admin}"}

        def register(name: str) -> str:
            query = REGISTER.replace("Sam", name)
            return client.post("/graphql", json={"query": query}, headers=as_admin).json()["data"][
                "registerParticipant"
            ]["participant"]["id"]

        # Both new, so no deadline of the world's participants (fired by the app's sweep) reaches these scopes.
        protege, bystander = register("Sam"), register("Kim")
        scoped = {"participantId": protege}
        same = [
            subscribe(sockets, client, token, f"op-{n}", {**scoped, "withReason": True})
            for n, token in enumerate([partner, partner, admin])
        ]
        without_reason = subscribe(sockets, client, partner, "lean", {**scoped, "withReason": False})
        # Scoped to someone else: the protégé's event is not theirs, shared or not.
        elsewhere = subscribe(sockets, client, partner, "elsewhere", {"participantId": bystander, "withReason": True})
        executed, shared = RENDERINGS.executed, RENDERINGS.shared
        response = client.post("/graphql", json={"query": REMIND, "variables": {"id": protege}}, headers=as_admin)
        assert response.json()["data"]["sendReminder"]["__typename"] == "TransitionPayload"

        messages = [json.loads(ws.receive_text()) for ws in same]
        assert [m["id"] for m in messages] == ["op-0", "op-1", "op-2"]
        events = [m["payload"]["data"]["standingChanged"] for m in messages]
        assert events[0] == events[1] == events[2]
        assert events[0]["toState"] == "REMINDER" and events[0]["reasonCode"] and events[0]["participantId"]
        lean = json.loads(without_reason.receive_text())
        assert lean["id"] == "lean"
        assert lean["payload"]["data"]["standingChanged"] == {k: v for k, v in events[0].items() if k != "reasonCode"}
        # Four subscribers got the event: two selections were executed, the other two results were shared.
        assert (RENDERINGS.executed - executed, RENDERINGS.shared - shared) == (2, 2)

        elsewhere.send_json({"type": "ping"})
        assert elsewhere.receive_json() == {"type": "pong"}  # nothing came before the pong: not in its scope
