"""Webhooks for partner tools that cannot hold a socket open.

Deliveries are planned in the outbox transaction (domain/outbox.py), then attempted by
`deliver_due`: JSON bodies signed with HMAC-SHA256 over "<timestamp>.<body>" in the
`Standing-Signature: t=<unix seconds>,v1=<hex digest>` header. Failures back off exponentially;
after the policy's number of consecutive failures the endpoint is disabled until re-enabled.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx

from domain.events.addresses import AddressRefused, resolve
from domain.events.outbox import EVENT_TYPES, as_message
from domain.events.policy import WEBHOOK_POLICY
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


async def http_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST to the address the URL's host resolves to now, once it is checked; the host stays in Host and SNI."""
    destination = await resolve(url)
    host = destination.url.netloc.rsplit("@", 1)[-1]
    async with httpx.AsyncClient(timeout=WEBHOOK_POLICY.timeout.total_seconds(), follow_redirects=False) as client:
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


async def deliver_due(clock: Clock, post: Post = http_post, limit: int = 200) -> DeliveryRun:
    """Attempt every pending delivery that is due on an active endpoint; say how it went and what is next."""
    now = clock.now()
    # A process that died mid-send leaves a claim behind; after the timeout it is tried again.
    await WebhookDelivery.filter(status="sending", next_attempt_at__lte=now - 2 * WEBHOOK_POLICY.timeout).update(
        status="pending"
    )
    due = (
        await WebhookDelivery.filter(status="pending", next_attempt_at__lte=now, endpoint__active=True)
        .order_by("next_attempt_at", "id")
        .limit(limit)
    )
    attempted = delivered = 0
    for delivery in due:
        # Claim it first, so two workers never post the same delivery at once.
        if (
            await WebhookDelivery.filter(id=delivery.id, status="pending", attempts=delivery.attempts).update(
                status="sending", next_attempt_at=now
            )
            == 1
        ):
            attempted += 1
            delivered += await _attempt(delivery, clock, post)
    upcoming = await WebhookDelivery.filter(status="pending", endpoint__active=True).order_by("next_attempt_at").first()
    return DeliveryRun(attempted, delivered, upcoming.next_attempt_at if upcoming else None)


async def _attempt(delivery: WebhookDelivery, clock: Clock, post: Post) -> bool:
    """One POST of one delivery; True when the receiver accepted it."""
    endpoint = await WebhookEndpoint.get(id=delivery.endpoint_id)
    event = await OutboxEvent.get(id=delivery.event_id)
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
    delivery.attempts += 1
    await WebhookAttempt.create(
        delivery_id=delivery.id,
        number=delivery.attempts,
        status_code=status_code,
        error=error,
        attempted_at=now,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    observe(WEBHOOK_ATTEMPT, ok=status_code is not None and 200 <= status_code < 300, status_code=status_code)
    if status_code is not None and 200 <= status_code < 300:
        delivery.status, delivery.delivered_at = "delivered", now
        await WebhookEndpoint.filter(id=endpoint.id).update(consecutive_failures=0)
    else:
        failures = endpoint.consecutive_failures + 1
        disable = failures >= WEBHOOK_POLICY.max_consecutive_failures
        await WebhookEndpoint.filter(id=endpoint.id).update(
            consecutive_failures=failures, active=not disable, disabled_at=now if disable else None
        )
        delivery.status = "failed" if delivery.attempts >= WEBHOOK_POLICY.max_attempts else "pending"
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    await delivery.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
    return delivery.status == "delivered"
