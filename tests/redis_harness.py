"""A real Redis and a real arq worker in burst mode, for tests. CI must have Redis: it never skips there."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.constants import default_queue_name
from arq.worker import Worker

from domain.kernel.clock import Clock
from workers.settings import WorkerSettings, shutdown, startup

REDIS_URL = os.environ.get("STANDING_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


async def connect_redis() -> ArqRedis:
    try:
        redis = await create_pool(RedisSettings.from_dsn(REDIS_URL), retry=0)
        await redis.ping()
    except Exception as exc:  # noqa: BLE001
        message = f"Redis at {REDIS_URL} is unreachable ({exc})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI must run the Redis tests", pytrace=False)
        pytest.skip(message)
    await redis.flushdb()
    return redis


async def run_worker(redis: ArqRedis, clock: Clock, *, horizon: timedelta = timedelta(seconds=5), **ctx: Any) -> int:
    """Run every job due within `horizon` of wall-clock now (waiting for those deferred that long), with
    the domain clock injected, then stop. Jobs deferred further (a notice decaying in 180 days) stay
    queued: a plain burst worker would wait for them."""
    completed = 0
    while True:
        limit = (datetime.now(timezone.utc) + horizon).timestamp() * 1000
        due = await redis.zcount(default_queue_name, 0, limit)
        if due == 0:
            return completed
        worker = Worker(
            functions=WorkerSettings.functions, redis_pool=redis, burst=True, poll_delay=0.01,
            max_burst_jobs=due, on_startup=startup, on_shutdown=shutdown, handle_signals=False, max_tries=1,
            ctx={"clock": clock, "keep_database": True, **ctx},
        )
        try:
            completed += await worker.run_check()
        finally:
            await shutdown(worker.ctx)
