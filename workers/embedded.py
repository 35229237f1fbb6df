"""Embedded mode: with no Redis, the API process fires deadlines itself.

A precise in-process timer per deadline scheduled here, plus the same sweep at an interval to catch
up on anything scheduled elsewhere or before a restart. The database stays the only record.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from datetime import date

from domain.badges.evaluation import evaluate_everyone as nightly_badges
from domain.deadlines.schedule import on_scheduled
from domain.deadlines.sweep import fire_deadline, sweep
from domain.events.webhooks import deliver_due
from domain.kernel.clock import Clock
from domain.models import Deadline

log = logging.getLogger("standing.embedded")
EARLY_WAKE_MARGIN = 0.005  # seconds


class EmbeddedScheduler:
    def __init__(self, clock: Clock, interval: float = 30.0) -> None:
        self.clock, self.interval = clock, interval
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._tasks: set[asyncio.Task] = set()
        self._loop_task: asyncio.Task | None = None
        self._unregister = lambda: None
        self._evaluated_on: date | None = None

    async def start(self) -> None:
        self._unregister = on_scheduled(self._arm)
        self._loop_task = asyncio.create_task(self._sweep_forever(), name="standing-embedded-sweep")

    async def stop(self) -> None:
        self._unregister()
        for timer in self._timers.values():
            timer.cancel()
        if self._loop_task:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
        for task in list(self._tasks):
            task.cancel()

    async def _arm(self, deadline: Deadline) -> None:
        loop = asyncio.get_running_loop()
        # The loop's timer may wake a hair early; a deadline is never fired before it is due.
        delay = max((deadline.due_at - self.clock.now()).total_seconds(), 0.0) + EARLY_WAKE_MARGIN
        if previous := self._timers.pop(deadline.id, None):
            previous.cancel()
        # A fresh context: deadlines are armed inside the scheduling transaction, whose connection
        # (held in a context variable) is back in the pool by the time the timer fires.
        self._timers[deadline.id] = loop.call_later(delay, self._fire, deadline.id, context=contextvars.Context())

    def _fire(self, deadline_id: int) -> None:
        self._timers.pop(deadline_id, None)
        task = asyncio.create_task(self._fire_or_rearm(deadline_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _fire_or_rearm(self, deadline_id: int) -> None:
        if await fire_deadline(deadline_id, self.clock) is None:
            deadline = await Deadline.filter(id=deadline_id, fired_at=None).first()
            if deadline is not None and deadline.due_at > self.clock.now():
                await self._arm(deadline)  # woke early or was postponed: wait for the new due time

    async def sweep_once(self) -> None:
        """One round of what the worker's crons do: fire what is due, retry webhooks, and once a day evaluate
        every organization's badges."""
        await sweep(self.clock)
        await deliver_due(self.clock)  # webhook retries, in embedded mode
        today = self.clock.now().date()
        if self._evaluated_on != today:  # the worker's nightly badge run, once a day here
            await nightly_badges(self.clock)
            self._evaluated_on = today

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self.sweep_once()
            except Exception:
                log.exception("embedded sweep failed")
            await asyncio.sleep(self.interval)
