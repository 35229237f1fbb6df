"""Health, readiness, Prometheus metrics and JSON logs with request ids."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx
from starlette.testclient import TestClient

from domain.infra import db
from domain.infra.config import Settings
from schema.app import create_app
from schema.observability import JsonFormatter, request_id
from tests.support.databases import BACKEND
from tests.support.live import free_port


def test_healthz_and_readyz_in_embedded_mode(database_url):
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    read_model = body["checks"].pop("readModel")  # informational: tests/access/test_read_model.py
    assert body == {"status": "ready", "checks": {"database": "ok", "redis": "not configured (embedded mode)"}}
    assert read_model.startswith("off") == (BACKEND == "sqlite"), read_model


def test_readyz_reports_an_unreachable_redis(database_url):
    settings = Settings(database_url=database_url, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    app = create_app(settings, manage_database=False)
    asyncio.run(db.connect(database_url))  # the ORM is up; only Redis is missing
    try:
        with TestClient(app) as client:
            ready = client.get("/readyz")
    finally:
        asyncio.run(db.disconnect())
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == "ok" and ready.json()["checks"]["redis"].startswith("unreachable")


def test_metrics_are_served_on_their_own_port_never_on_the_apis(database_url):
    port = free_port()
    with TestClient(create_app(Settings(database_url=database_url, metrics_port=port))) as client:
        assert client.get("/metrics").status_code == 404  # the public port shows no series to anyone
        assert "standing_http_requests_total" in httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text


def test_metrics_count_transitions_as_they_happen(admin_secret, database_url):
    headers = {"Authorization": f"Bearer {admin_secret}"}
    port = free_port()

    def scrape() -> str:
        return httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text

    with TestClient(create_app(Settings(database_url=database_url, metrics_port=port))) as client:
        pid = client.post(
            "/graphql",
            headers=headers,
            json={
                "query": "mutation { registerParticipant(input: {role: MENTOR, "
                'displayName: "Ada", email: "ada@example.org"}) { ... on ParticipantPayload { participant { id } } } }'
            },
        ).json()["data"]["registerParticipant"]["participant"]["id"]
        line = 'standing_transitions_total{from_state="good",machine="mentor_standing",to_state="first_notice"}'
        assert line not in scrape()
        client.post(
            "/graphql",
            headers=headers,
            json={
                "query": "mutation($id: ID!) { issueNotice(input: {participantId: $id, "
                'reason: "late"}) { __typename } }',
                "variables": {"id": pid},
            },
        )
        metrics = scrape()
    assert f"{line} 1.0" in metrics
    assert 'standing_http_requests_total{method="POST",route="/graphql",status="200"} 2.0' in metrics
    assert "standing_live_subscribers 0.0" in metrics


def test_every_response_carries_a_request_id(database_url):
    with TestClient(create_app(Settings(database_url=database_url))) as client:
        assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
        generated = client.get("/healthz").headers["x-request-id"]
    assert len(generated) == 32


def test_logs_are_json_lines_with_the_request_id():
    record = logging.LogRecord("standing.test", logging.WARNING, __file__, 1, "sweep took %ss", (2,), None)
    token = request_id.set("req-42")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["message"] == "sweep took 2s" and line["request_id"] == "req-42" and line["level"] == "warning"
