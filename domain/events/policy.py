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


WEBHOOK_POLICY = WebhookPolicy(
    version="webhooks-2026.1",
    max_consecutive_failures=5,
    first_retry=timedelta(seconds=10),
    max_retry=timedelta(hours=1),
    max_attempts=12,
    timeout=timedelta(seconds=10),
)
