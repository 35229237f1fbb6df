"""Webhooks for partner tools that cannot hold a socket open.

Deliveries are planned in the outbox transaction (domain/events/outbox.py), then attempted by
`deliver_due`, whose claims belong to its run (domain/events/claims.py), endpoints side by side and each with
a bounded number in flight: JSON bodies signed with HMAC-SHA256 over "<timestamp>.<body>" in the
`Standing-Signature: t=<unix seconds>,v1=<hex digest>` header. Failures back off exponentially;
after the policy's number of consecutive failures the endpoint is disabled until re-enabled.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import json
import secrets
import ssl
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from tortoise.expressions import F

from domain.events.addresses import AddressRefused, resolve
from domain.events.claims import Claims
from domain.events.outbox import EVENT_TYPES, as_message
from domain.events.policy import WEBHOOK_POLICY
from domain.infra.db import transaction
from domain.infra.observe import WEBHOOK_ATTEMPT, observe
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound
from domain.models import OutboxEvent, WebhookAttempt, WebhookDelivery, WebhookEndpoint

SIGNATURE_HEADER = "Standing-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify_signature(secret: str, header: str, body: bytes, *, now: float | None = None, tolerance: int = 300) -> bool:
    """The receiver's check: the recipe in docs/webhooks.md, as code."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


@dataclass(frozen=True)
class Registered:
    endpoint: WebhookEndpoint
    secret: str


async def register_webhook(
    *, organization_id: int, url: str, event_types: list[str], clock: Clock
) -> Registered | InvalidInput:
    try:
        await resolve(url)  # a public address only, checked again at every delivery
    except AddressRefused as refused:
        return InvalidInput("url", str(refused))
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown:
        return InvalidInput("eventTypes", f"unknown event types {unknown}; choose from {list(EVENT_TYPES)}")
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = await WebhookEndpoint.create(
        organization_id=organization_id,
        url=url,
        event_types=sorted(set(event_types)),
        secret=secret,
        created_at=clock.now(),
    )
    return Registered(endpoint, secret)


async def enable_webhook(*, organization_id: int, endpoint_id: int, clock: Clock) -> WebhookEndpoint | NotFound:
    """Re-enable a disabled endpoint and redeliver everything it has not received."""
    endpoint = await WebhookEndpoint.filter(id=endpoint_id, organization_id=organization_id).first()
    if endpoint is None:
        return NotFound("WebhookEndpoint", str(endpoint_id))
    endpoint.active, endpoint.consecutive_failures, endpoint.disabled_at = True, 0, None
    await endpoint.save(update_fields=["active", "consecutive_failures", "disabled_at"])
    await WebhookDelivery.filter(endpoint_id=endpoint.id, status__in=["pending", "failed"]).update(
        status="pending", next_attempt_at=clock.now()
    )
    return endpoint


Post = Callable[[str, bytes, dict[str, str]], Awaitable[int]]


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every delivery, httpx's default one: building it loads the CA bundle, milliseconds of
    CPU that every POST paid."""
    return httpx.create_ssl_context()


async def http_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST to the address the URL's host resolves to now, once it is checked; the host stays in Host and SNI."""
    destination = await resolve(url)
    host = destination.url.netloc.rsplit("@", 1)[-1]
    async with httpx.AsyncClient(
        timeout=WEBHOOK_POLICY.timeout.total_seconds(), follow_redirects=False, verify=_tls()
    ) as client:
        response = await client.post(
            destination.pinned_url,
            content=body,
            headers={**headers, "Host": host},
            extensions={"sni_hostname": destination.url.hostname},
        )
        return response.status_code


def backoff(attempts: int) -> timedelta:
    return min(WEBHOOK_POLICY.first_retry * (2 ** max(attempts - 1, 0)), WEBHOOK_POLICY.max_retry)


@dataclass(frozen=True)
class DeliveryRun:
    attempted: int
    delivered: int
    next_due: datetime | None  # when the next pending delivery falls due, if any


async def deliver_due(
    clock: Clock, post: Post = http_post, limit: int = 200, *, renew_every: float | None = None
) -> DeliveryRun:
    """Attempt every pending delivery that is due on an active endpoint; say how it went and what is next.

    The run's claims are its own and renewed while it lives (domain/events/claims.py). Endpoints are served
    side by side, each in its due order, with up to `concurrency_per_endpoint` deliveries in flight once it has
    accepted one in this run (one at a time before, and again after a failure), `max_in_flight` in all."""
    policy = WEBHOOK_POLICY
    claims = Claims(clock, policy.claim_lease)
    await claims.release_lapsed()  # claims of runs that died, never of one still renewing
    every = renew_every if renew_every is not None else policy.claim_lease.total_seconds() / 4
    run = _Run(claims, clock, post, asyncio.Semaphore(policy.max_in_flight))
    async with claims.kept(every):
        while True:
            due = (
                await WebhookDelivery.filter(status="pending", next_attempt_at__lte=clock.now(), endpoint__active=True)
                .order_by("next_attempt_at", "id")
                .limit(limit)
            )
            await run.deliver(due)
            if len(due) < limit:  # a full batch may have more behind it
                break
    upcoming = await WebhookDelivery.filter(status="pending", endpoint__active=True).order_by("next_attempt_at").first()
    return DeliveryRun(run.attempted, run.delivered, upcoming.next_attempt_at if upcoming else None)


@dataclass
class _Run:
    claims: Claims
    clock: Clock
    post: Post
    in_flight: asyncio.Semaphore
    attempted: int = 0
    delivered: int = 0

    async def deliver(self, due: list[WebhookDelivery]) -> None:
        lanes: dict[int, list[WebhookDelivery]] = {}
        for delivery in due:  # already in due order: each lane keeps it
            lanes.setdefault(delivery.endpoint_id, []).append(delivery)
        endpoints = {e.id: e for e in await WebhookEndpoint.filter(id__in=list(lanes))}
        events = {e.id: e for e in await OutboxEvent.filter(id__in=[d.event_id for d in due])}
        await asyncio.gather(
            *(self._lane(endpoints[eid], deliveries, events) for eid, deliveries in lanes.items() if eid in endpoints)
        )

    async def _lane(self, endpoint: WebhookEndpoint, deliveries: list[WebhookDelivery], events: dict) -> None:
        """One endpoint's deliveries, started in due order, one at a time until it accepts one."""
        waiting: deque[WebhookDelivery] = deque(deliveries)
        sending: set[asyncio.Task[Outcome]] = set()
        accepting, active = False, True
        while (waiting and active) or sending:
            width = WEBHOOK_POLICY.concurrency_per_endpoint if accepting else 1
            while waiting and active and len(sending) < width:
                delivery = waiting.popleft()
                if await self.claims.claim(delivery):  # another run may have taken it: it is that run's then
                    self.attempted += 1
                    sending.add(asyncio.create_task(self._send(delivery, endpoint, events[delivery.event_id])))
            if not sending:
                break
            done, sending = await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                outcome = task.result()
                accepting, active = outcome.accepted, active and not outcome.disabled
                self.delivered += outcome.accepted

    async def _send(self, delivery: WebhookDelivery, endpoint: WebhookEndpoint, event: OutboxEvent) -> Outcome:
        async with self.in_flight:
            return await _attempt(delivery, endpoint, event, self.claims, self.clock, self.post)


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    disabled: bool  # this failure disabled the endpoint


async def _attempt(
    delivery: WebhookDelivery, endpoint: WebhookEndpoint, event: OutboxEvent, claims: Claims, clock: Clock, post: Post
) -> Outcome:
    """One POST of one delivery, and its outcome recorded in one transaction."""
    body = json.dumps(as_message(event), separators=(",", ":")).encode()
    now = clock.now()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(endpoint.secret, int(now.timestamp()), body),
        "Standing-Event-Id": str(event.id),
        "Standing-Delivery-Id": str(delivery.id),
    }
    started = time.monotonic()
    status_code, error = None, None
    try:
        status_code = await post(endpoint.url, body, headers)
    except Exception as exc:  # noqa: BLE001 - any transport failure is a failed attempt, logged
        error = f"{type(exc).__name__}: {exc}"[:300]
    accepted = status_code is not None and 200 <= status_code < 300
    attempts, disabled = delivery.attempts + 1, False
    async with transaction():
        if accepted:
            recorded = await claims.mine(delivery.id).update(
                status="delivered", delivered_at=now, attempts=attempts, claimed_by=None, claimed_until=None
            )
            await WebhookEndpoint.filter(id=endpoint.id).update(consecutive_failures=0)
        else:
            recorded = await claims.mine(delivery.id).update(
                status="failed" if attempts >= WEBHOOK_POLICY.max_attempts else "pending",
                attempts=attempts,
                next_attempt_at=now + backoff(attempts),
                claimed_by=None,
                claimed_until=None,
            )
            await WebhookEndpoint.filter(id=endpoint.id).update(consecutive_failures=F("consecutive_failures") + 1)
            failures = (await WebhookEndpoint.get(id=endpoint.id)).consecutive_failures
            if failures >= WEBHOOK_POLICY.max_consecutive_failures:
                disabled = (
                    await WebhookEndpoint.filter(id=endpoint.id, active=True).update(active=False, disabled_at=now)
                ) == 1
        await WebhookAttempt.create(
            delivery_id=delivery.id,
            number=attempts,
            status_code=status_code,
            error=error if recorded else f"{error or ''} (the run's claim had lapsed)".strip()[:300],
            attempted_at=now,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    observe(WEBHOOK_ATTEMPT, ok=accepted, status_code=status_code)
    return Outcome(accepted, disabled)
