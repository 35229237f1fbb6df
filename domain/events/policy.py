"""How webhook deliveries are retried and when an endpoint is disabled (operations, not the Code)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class WebhookPolicy:
    version: str
    max_consecutive_failures: int  # then the endpoint is disabled until an admin re-enables it
    first_retry: timedelta  # backoff doubles from here...
    max_retry: timedelta  # ...up to here
    max_attempts: int  # per delivery, then it is marked failed (re-enabling redelivers it)
    timeout: timedelta
    claim_lease: timedelta  # a run's claim on a delivery lapses after this unless the run, still alive, renews it
    concurrency_per_endpoint: int  # deliveries one run has in flight to one endpoint (one until it accepts one)
    max_in_flight: int  # deliveries one run has in flight in all


WEBHOOK_POLICY = WebhookPolicy(
    version="webhooks-2026.2",
    max_consecutive_failures=5,
    first_retry=timedelta(seconds=10),
    max_retry=timedelta(hours=1),
    max_attempts=12,
    timeout=timedelta(seconds=10),
    claim_lease=timedelta(seconds=20),
    concurrency_per_endpoint=8,
    max_in_flight=32,
)
