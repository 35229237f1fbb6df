"""Websocket connections authenticate once, in connection_init, over a real websocket."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from domain.infra.config import Settings
from schema.app import create_app

PROTOCOL = "graphql-transport-ws"


@pytest.fixture
def client(database_url: str):
    with TestClient(create_app(Settings(database_url=database_url))) as test_client:
        yield test_client


def test_connection_init_with_a_valid_token_is_acknowledged(
    admin_secret, client
):  # token first: one ORM context at a time
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"authorization": f"Bearer {admin_secret}"}})
        assert ws.receive_json() == {"type": "connection_ack"}


@pytest.mark.parametrize(
    "payload", [{}, {"authorization": "Bearer stk_not-a-real-token"}, {"authorization": "Basic x"}]
)
def test_connection_init_without_a_valid_token_is_closed_as_forbidden(client, payload):
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        ws.send_json({"type": "connection_init", "payload": payload})
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4403


def test_a_cross_origin_browser_is_refused_unless_allowed(database_url):
    app = create_app(Settings(database_url=database_url, allowed_origins=["https://partner.example"]))
    with TestClient(app) as client:
        with pytest.raises(WebSocketDisconnect) as refused:
            with client.websocket_connect(
                "/graphql", subprotocols=[PROTOCOL], headers={"origin": "https://evil.example"}
            ) as ws:
                ws.receive_json()
        assert refused.value.code == 1008
        with client.websocket_connect(
            "/graphql", subprotocols=[PROTOCOL], headers={"origin": "https://partner.example"}
        ) as ws:
            ws.send_json({"type": "connection_init", "payload": {}})
            with pytest.raises(WebSocketDisconnect):
                ws.receive_json()


@pytest.fixture
def partner_and_admin(database_url: str) -> tuple[str, str]:
    import asyncio

    from domain.access.principals import TokenRole
    from domain.infra import db
    from domain.kernel.clock import FixedClock
    from tests.support.world import issue

    async def make() -> tuple[str, str]:
        await db.connect(database_url)
        try:
            return (
                await issue("demo", TokenRole.PARTNER, FixedClock()),
                await issue("demo", TokenRole.ADMIN, FixedClock()),
            )
        finally:
            await db.disconnect()

    return asyncio.run(make())


def test_only_admins_may_subscribe_to_case_changes(partner_and_admin, client):
    partner, admin = partner_and_admin
    for token, allowed in ((partner, False), (admin, True)):
        with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
            ws.send_json({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
            assert ws.receive_json() == {"type": "connection_ack"}
            ws.send_json(
                {"id": "1", "type": "subscribe", "payload": {"query": "subscription { caseChanged { cursor } }"}}
            )
            if allowed:
                ws.send_json({"type": "ping"})
                assert ws.receive_json()["type"] == "pong"  # subscribed, and quiet: no case has changed
            else:
                message = ws.receive_json()
                assert (
                    message["type"] == "next" and message["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN"
                )


@pytest.fixture
def admin_with_a_case(database_url: str) -> tuple[str, str]:
    """An admin token, and a case an admin reported: made before the app opens its own ORM context."""
    import asyncio

    from domain.access.tokens import authenticate
    from domain.cases.reporting import ConcernFiled, ConcernReport, Reporter, report_concern
    from domain.infra import db
    from domain.kernel.clock import FixedClock
    from domain.models import ConcernCategory, ReporterKind
    from tests.support.world import build_world

    async def make() -> tuple[str, str]:
        await db.connect(database_url)
        try:
            clock = FixedClock()
            world = await build_world(clock)
            principal = await authenticate(world.admin)
            assert principal is not None
            filed = await report_concern(
                Reporter(ReporterKind.ADMIN, principal.token_id, world.org_id),
                ConcernReport(world.mentor.id, ConcernCategory.COMMUNICATION, "Mentor Code 8", "Never replied to Pat"),
                clock=clock,
            )
            assert isinstance(filed, ConcernFiled), filed
            return world.admin, filed.case.reference
        finally:
            await db.disconnect()

    return asyncio.run(make())


def test_an_admin_receives_case_changes_over_the_socket_without_the_report(admin_with_a_case, client):
    admin, reference = admin_with_a_case
    with client.websocket_connect("/graphql", subprotocols=[PROTOCOL]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"authorization": f"Bearer {admin}"}})
        assert ws.receive_json() == {"type": "connection_ack"}
        query = 'subscription { caseChanged(after: "0") { cursor type machine reasonCode ref } }'
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": query}})
        message = ws.receive_json()
        ws.send_json({"id": "1", "type": "complete"})  # a client that is done says so; the server stops sending
        ws.send_json({"type": "ping"})
        later = []
        while (answer := ws.receive_json())["type"] != "pong":
            later.append(answer)
    assert message["type"] == "next", message
    change = message["payload"]["data"]["caseChanged"]
    assert (change["type"], change["ref"]) == ("case.opened", f"case:{reference}")
    assert all(m["type"] == "next" and m["payload"]["data"]["caseChanged"]["ref"] == change["ref"] for m in later), (
        later
    )
    assert "Pat" not in str([message, *later]) and "replied" not in str([message, *later])
