"""The worker that outlives Redis: arq's Worker, whose poll loop exits on the first Redis error, made to back
off, reconnect and catch up with a sweep instead.

While Redis is away the worker runs no job and writes no heartbeat (so /readyz reports it degraded), and
its metrics port says so (workers/outages.py). Deadlines and webhook deliveries are database rows, so once
Redis answers again one sweep fires everything that fell due meanwhile, exactly once: the sweep and any
precise job share one idempotent path (domain/deadlines/sweep.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import signal
import time
from collections.abc import Awaitable, Callable
from typing import Any

from arq.connections import ArqRedis, create_pool
from arq.worker import Worker

from workers.heartbeat import HEARTBEAT_INTERVAL, beat, heartbeat_key
from workers.jobs import sweep_job
from workers.outages import REDIS_DOWN, Backoff, RedisHealth

log = logging.getLogger("standing.worker")
Sleep = Callable[[float], Awaitable[None]]


class ResilientWorker(Worker):
    def __init__(
        self,
        *args: Any,
        backoff: Backoff | None = None,
        sleep: Sleep = asyncio.sleep,
        heartbeat_interval: float = HEARTBEAT_INTERVAL,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.backoff, self._sleep, self.heartbeat_interval = backoff or Backoff(), sleep, heartbeat_interval
        self.health = RedisHealth()
        self.ctx["redis_health"] = self.health  # startup() exports it with the worker's metrics
        self.heartbeat_key = heartbeat_key()
        self._next_beat = 0.0
        self._catch_up: asyncio.Task | None = None
        self._catch_up_again = False

    async def main(self) -> None:
        if self._pool is None:
            self._pool = await self._connect()  # a worker started during an outage waits for Redis too
        await super().main()

    async def _connect(self) -> ArqRedis:
        assert self.redis_settings is not None
        once = dataclasses.replace(self.redis_settings, conn_retries=0)  # the backoff below does the retrying
        error: BaseException | None = None
        for delay in self.backoff.delays():
            try:
                pool = await create_pool(
                    once,
                    job_serializer=self.job_serializer,
                    job_deserializer=self.job_deserializer,
                    default_queue_name=self.queue_name,
                    expires_extra_ms=self.expires_extra_ms,
                )
            except REDIS_DOWN as exc:
                if error is None:
                    log.warning("worker cannot reach Redis at start (%s); retrying with backoff", exc)
                    self.health.lost(exc)
                error = exc
                self.health.waiting(delay)
                await self._sleep(delay)
                continue
            if error is not None:
                self.health.restored()
                self.health.caught_up()  # nothing to catch up on: the startup sweep (run_at_startup) follows
            return pool
        raise AssertionError("unreachable")

    async def _poll_iteration(self) -> None:
        try:
            await super()._poll_iteration()
        except REDIS_DOWN as error:
            if await self._answers():
                # A job that lost Redis during an outage reports it late, or one pooled connection went stale.
                log.info("a Redis error while Redis answers (%s): not an outage", error)
                return
            await self._ride_out(error)

    async def _answers(self) -> bool:
        try:
            await self.pool.ping()
            return True
        except REDIS_DOWN:
            pass
        # Every pooled connection may have died with the old server: drop them all and ask once more.
        await self.pool.connection_pool.disconnect()
        try:
            await self.pool.ping()
            return True
        except REDIS_DOWN:
            return False

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        for job_id in job_ids:
            try:
                await super().start_jobs([job_id])
            except REDIS_DOWN:
                # arq took a job slot, then lost Redis before starting the job: give the slot back, or every
                # outage would leave the worker one job short for good.
                self._release_sem_dec_counter_on_complete()
                raise

    async def _ride_out(self, error: BaseException) -> None:
        outage = self.health.lost(error)
        log.warning("worker lost Redis (%s); reconnecting with backoff", outage.error)
        for delay in self.backoff.delays():
            self.health.waiting(delay)
            await self._sleep(delay)
            if await self._answers():
                break
            self.health.attempt_failed()
        self.health.restored()
        log.warning(
            "worker reached Redis again after %.1f s (%d failed attempts); catching up with a sweep",
            outage.seconds,
            outage.attempts,
        )
        self._next_beat = 0.0  # say "catching up" at once
        self._request_catch_up()

    def _request_catch_up(self) -> None:
        if self._catch_up is not None and not self._catch_up.done():
            self._catch_up_again = True  # the running sweep may have started before this outage's deadlines fell due
            return
        self._catch_up = asyncio.create_task(self._run_catch_up(), name="standing-worker-catch-up")

    async def _run_catch_up(self) -> None:
        delays = self.backoff.delays()
        while True:
            self._catch_up_again = False
            try:
                fired = await sweep_job(self.ctx)  # due deadlines, then webhook deliveries whose jobs were lost
            except Exception:
                log.exception("catch-up sweep failed; retrying")
                await self._sleep(next(delays))
                self._catch_up_again = True
            else:
                log.info("catch-up sweep fired %d deadlines", fired)
            if not self._catch_up_again:
                break
        self.health.caught_up()
        self._next_beat = 0.0

    async def heart_beat(self) -> None:
        await super().heart_beat()
        if time.monotonic() >= self._next_beat:
            self._next_beat = time.monotonic() + self.heartbeat_interval
            await beat(self.pool, self.heartbeat_key, self.health.summary(), ttl=3 * self.heartbeat_interval)

    async def close(self) -> None:
        """arq's close, except that a Redis still away cannot stop the shutdown (the database, the relay)."""
        if not self._handle_signals:
            self.handle_sig(signal.SIGUSR1)
        if self._catch_up is not None:
            self._catch_up.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._catch_up
        if not self._pool:
            return
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)
        with contextlib.suppress(*REDIS_DOWN):
            await self.pool.delete(self.health_check_key, self.heartbeat_key)
        if self.on_shutdown:
            await self.on_shutdown(self.ctx)
        with contextlib.suppress(*REDIS_DOWN):
            await self.pool.aclose(close_connection_pool=True)
        self._pool = None
