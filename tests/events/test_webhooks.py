"""Webhooks: signed deliveries to a real HTTP receiver, retries with backoff, disabling and redelivery."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from domain.events.policy import WEBHOOK_POLICY
from domain.events.webhooks import SIGNATURE_HEADER, deliver_due, register_webhook, verify_signature
from domain.kernel.actors import Actor
from domain.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from domain.standing.apply import StandingCommand, apply_event
from tests.support.live import free_port
from tests.support.redis import connect_redis, run_worker


class Receiver:
    """A real HTTP endpoint on loopback that answers with scripted status codes and records requests."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/standing"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(monkeypatch) -> Iterator[Receiver]:
    """A receiver on this machine's loopback, which only the explicit development setting lets webhooks reach."""
    monkeypatch.setenv("STANDING_WEBHOOKS_ALLOW_LOOPBACK", "true")
    r = Receiver()
    yield r
    r.close()


# Each step also writes a notice (`notice.issued`); these tests follow one event type's deliveries.
STANDING_ONLY = ["standing.changed"]


async def notice(world, clock, participant=None):
    target = participant or world.mentor
    event = "issue_notice" if target.role.value == "mentor" else "send_reminder"
    await apply_event(StandingCommand(target.id, event, Actor.admin(1), "late"), clock=clock)


async def test_a_delivery_is_signed_and_the_signature_verifies(world, clock, receiver):
    registered = await register_webhook(
        organization_id=world.org_id, url=receiver.url, event_types=["standing.changed"], clock=clock
    )
    await notice(world, clock)
    await deliver_due(clock)
    [(headers, body)] = receiver.requests
    assert verify_signature(registered.secret, headers[SIGNATURE_HEADER], body, now=clock.now().timestamp())
    assert not verify_signature(
        registered.secret, headers[SIGNATURE_HEADER], body.replace(b"mentor", b"MENTOR"), now=clock.now().timestamp()
    )
    assert not verify_signature("whsec_wrong", headers[SIGNATURE_HEADER], body, now=clock.now().timestamp())
    assert not verify_signature(registered.secret, headers[SIGNATURE_HEADER], body, now=clock.now().timestamp() + 301)
    payload = json.loads(body)
    assert (payload["type"], payload["to_state"], payload["participant_id"]) == (
        "standing.changed",
        "first_notice",
        world.mentor.id,
    )
    assert "email" not in payload and headers["Standing-Event-Id"] == str(payload["id"])


async def test_only_the_event_types_asked_for_are_delivered(world, clock, receiver):
    await register_webhook(organization_id=world.org_id, url=receiver.url, event_types=["badge.changed"], clock=clock)
    await notice(world, clock)
    await deliver_due(clock)
    assert receiver.requests == [] and await WebhookDelivery.all().count() == 0


async def test_failed_deliveries_are_retried_with_exponential_backoff_and_every_attempt_is_logged(
    world, clock, receiver
):
    await register_webhook(organization_id=world.org_id, url=receiver.url, event_types=STANDING_ONLY, clock=clock)
    receiver.statuses = [500, 503]
    await notice(world, clock)
    start = clock.now()
    next_due = (await deliver_due(clock)).next_due
    assert next_due == start + WEBHOOK_POLICY.first_retry
    clock.set(next_due - timedelta(seconds=1))
    await deliver_due(clock)
    assert len(receiver.requests) == 1  # not yet due: nothing sent early
    clock.set(next_due)
    next_due = (await deliver_due(clock)).next_due
    assert next_due == clock.now() + 2 * WEBHOOK_POLICY.first_retry
    clock.set(next_due)
    assert (await deliver_due(clock)).next_due is None
    delivery = await WebhookDelivery.get()
    attempts = await WebhookAttempt.filter(delivery_id=delivery.id).order_by("number")
    assert [a.status_code for a in attempts] == [500, 503, 204] and delivery.status == "delivered"
    assert (await WebhookEndpoint.get()).consecutive_failures == 0
    assert len({headers["Standing-Delivery-Id"] for headers, _ in receiver.requests}) == 1


async def test_a_failing_endpoint_is_disabled_and_re_enabling_redelivers(gql, world, clock, receiver):
    registered = await register_webhook(
        organization_id=world.org_id, url=receiver.url, event_types=STANDING_ONLY, clock=clock
    )
    receiver.statuses = [500] * WEBHOOK_POLICY.max_consecutive_failures
    await notice(world, clock)
    for _ in range(WEBHOOK_POLICY.max_consecutive_failures):
        upcoming = (await deliver_due(clock)).next_due
        if upcoming:
            clock.set(upcoming)
    endpoint = await WebhookEndpoint.get(id=registered.endpoint.id)
    assert endpoint.active is False and endpoint.consecutive_failures == WEBHOOK_POLICY.max_consecutive_failures
    await notice(world, clock, world.protege)  # while disabled, events still queue up for it
    clock.advance(timedelta(hours=2))
    await deliver_due(clock)
    assert len(receiver.requests) == WEBHOOK_POLICY.max_consecutive_failures
    enabled = await gql.data(
        "mutation($id: ID!) { enableWebhook(id: $id) { __typename ... on WebhookEndpoint { active } } }",
        {"id": str(endpoint.id)},
        token=world.admin,
    )
    assert enabled["enableWebhook"] == {"__typename": "WebhookEndpoint", "active": True}
    await deliver_due(clock)
    assert [json.loads(body)["to_state"] for _, body in receiver.requests[-2:]] == ["first_notice", "reminder"]
    deliveries = (
        await gql.data(
            "query($id: ID!) { webhookDeliveries(endpointId: $id) { status attempts attemptLog { statusCode } } }",
            {"id": str(endpoint.id)},
            token=world.admin,
        )
    )["webhookDeliveries"]
    assert sorted(d["status"] for d in deliveries) == ["delivered", "delivered"]
    assert max(d["attempts"] for d in deliveries) == WEBHOOK_POLICY.max_consecutive_failures + 1


async def test_registering_a_webhook_over_graphql_shows_the_secret_once(gql, world):
    bad = await gql.data(
        'mutation { registerWebhook(url: "ftp://x", eventTypes: []) { __typename ... on UserError { message } } }',
        token=world.admin,
    )
    assert bad["registerWebhook"]["__typename"] == "InvalidInputError"
    good = await gql.data(
        'mutation { registerWebhook(url: "https://93.184.216.34/hook", eventTypes: ["nudge.created"]) '
        "{ ... on WebhookRegistration { secret endpoint { eventTypes active } } } }",
        token=world.admin,
    )
    assert good["registerWebhook"]["secret"].startswith("whsec_")
    listed = await gql.data("{ webhooks { url eventTypes } }", token=world.admin)
    assert listed["webhooks"] == [{"url": "https://93.184.216.34/hook", "eventTypes": ["nudge.created"]}]
    forbidden = await gql.execute("{ webhooks { url } }", token=world.partner)
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_arq_worker_delivers_and_retries(world, clock, receiver):
    redis = await connect_redis()
    try:
        await register_webhook(organization_id=world.org_id, url=receiver.url, event_types=STANDING_ONLY, clock=clock)
        receiver.statuses = [502]
        await notice(world, clock)
        await redis.enqueue_job("deliver_webhooks_job")
        await run_worker(redis, clock)
        assert [a.status_code for a in await WebhookAttempt.all().order_by("id")] == [502]
        clock.advance(WEBHOOK_POLICY.first_retry)
        await redis.enqueue_job("sweep_job")  # the retry is due: the minute sweep (or the deferred job) sends it
        await run_worker(redis, clock)
        assert [a.status_code for a in await WebhookAttempt.all().order_by("id")] == [502, 204]
    finally:
        await redis.flushdb()
        await redis.aclose()


async def test_the_delivery_job_reports_how_many_deliveries_it_made(world, clock, receiver):
    from workers.jobs import deliver_webhooks_job

    await register_webhook(organization_id=world.org_id, url=receiver.url, event_types=STANDING_ONLY, clock=clock)
    await notice(world, clock)
    assert await deliver_webhooks_job({"clock": clock}) == 1
    assert await deliver_webhooks_job({"clock": clock}) == 0
