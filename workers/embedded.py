"""Embedded mode: with no Redis, the API process fires deadlines itself.

A precise in-process timer per deadline scheduled here, plus the same sweep at an interval to catch
up on anything scheduled elsewhere or before a restart. The database stays the only record.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date

from tortoise.exceptions import OperationalError

from domain.access.idempotency import purge_expired_keys
from domain.badges.evaluation import evaluate_everyone as nightly_badges
from domain.deadlines.schedule import on_scheduled
from domain.deadlines.sweep import fire_deadline, sweep
from domain.events.webhooks import deliver_due
from domain.infra.sqlite import is_busy, write_lock_taken
from domain.kernel.clock import Clock
from domain.models import Deadline
from workers.loops import stop_if_cancelled

log = logging.getLogger("standing.embedded")
EARLY_WAKE_MARGIN = 0.005  # seconds
# Seconds between tries of a sweep that finds SQLite's write lock taken (`standing demo` writes in one long
# transaction); after the last, the next interval's sweep tries again.
BUSY_RETRIES = (0.5, 1.0, 2.0, 4.0, 8.0)
BUSY_REARM = 1.0  # seconds until a precise timer that found the database locked fires again


class EmbeddedScheduler:
    def __init__(
        self,
        clock: Clock,
        interval: float = 30.0,
        *,
        retry_delays: Sequence[float] = BUSY_RETRIES,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.clock, self.interval = clock, interval
        self.retry_delays, self._sleep = tuple(retry_delays), sleep
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
        try:
            fired = await fire_deadline(deadline_id, self.clock)
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            log.info("deadline %s: the database is locked by another writer; trying again shortly", deadline_id)
            loop = asyncio.get_running_loop()
            self._timers[deadline_id] = loop.call_later(
                BUSY_REARM, self._fire, deadline_id, context=contextvars.Context()
            )
            return
        if fired is None:
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
            await purge_expired_keys(self.clock)
            self._evaluated_on = today

    async def sweep_retrying(self) -> bool:
        """`sweep_once`, tried again with growing waits while SQLite's write lock is taken by another writer; False
        when it still is after the last try (the next interval's sweep tries again). It never waits for the lock
        on the process's one connection, where every request would queue behind it."""
        for delay in (*self.retry_delays, None):
            try:
                if not await write_lock_taken():
                    await self.sweep_once()
                    return True
                problem = "another writer holds the database's write lock"
            except OperationalError as exc:
                if not is_busy(exc):
                    raise
                problem = f"the database is locked ({exc})"
            if delay is None:
                log.warning("embedded sweep: %s; the next sweep in %.0f s tries again", problem, self.interval)
                return False
            log.info("embedded sweep: %s; trying again in %.1f s", problem, delay)
            await self._sleep(delay)
        raise AssertionError("unreachable")

    async def _sweep_forever(self) -> None:
        while True:
            try:
                await self.sweep_retrying()
            except Exception:
                stop_if_cancelled()
                log.exception("embedded sweep failed")
            stop_if_cancelled()
            await asyncio.sleep(self.interval)
