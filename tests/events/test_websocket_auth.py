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
