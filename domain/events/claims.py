"""A delivery run's claims on webhook deliveries: each claim belongs to the run that made it, holds for the
policy's lease, and is renewed while that run lives.

Another run (a second worker, the next job, the minute sweep) returns to pending only claims whose lease has
lapsed, that is, claims of a run that died. A long run, a slow receiver or a backlog never has its own
in-flight deliveries taken from it and posted a second time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from datetime import timedelta

from tortoise.expressions import Q

from domain.kernel.clock import Clock
from domain.models import WebhookDelivery

log = logging.getLogger("standing.webhooks")


class Claims:
    def __init__(self, clock: Clock, lease: timedelta) -> None:
        self.clock, self.lease = clock, lease
        self.run_id = secrets.token_hex(8)

    async def release_lapsed(self) -> int:
        """Deliveries claimed by runs that stopped renewing their claims go back to pending."""
        lapsed = Q(claimed_until=None) | Q(claimed_until__lte=self.clock.now())
        return await WebhookDelivery.filter(lapsed, status="sending").update(
            status="pending", claimed_by=None, claimed_until=None
        )

    async def claim(self, delivery: WebhookDelivery) -> bool:
        """Take a pending delivery for this run; False when another run took it first."""
        taken = await WebhookDelivery.filter(id=delivery.id, status="pending", attempts=delivery.attempts).update(
            status="sending", claimed_by=self.run_id, claimed_until=self.clock.now() + self.lease
        )
        return taken == 1

    async def renew(self) -> int:
        return await WebhookDelivery.filter(status="sending", claimed_by=self.run_id).update(
            claimed_until=self.clock.now() + self.lease
        )

    def mine(self, delivery_id: int):
        """The delivery, if this run's claim on it still holds: how an attempt's outcome is recorded."""
        return WebhookDelivery.filter(id=delivery_id, status="sending", claimed_by=self.run_id)

    @contextlib.asynccontextmanager
    async def kept(self, every: float) -> AsyncIterator[Claims]:
        """Renew this run's claims every `every` seconds while the block runs."""
        task = asyncio.create_task(self._renew_forever(every), name=f"webhook-claims-{self.run_id}")
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _renew_forever(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await self.renew()
            except Exception as exc:  # noqa: BLE001 - the next renewal tries again; the lease covers a few misses
                log.warning("could not renew webhook claims of run %s (%s)", self.run_id, exc)
