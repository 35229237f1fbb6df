"""A real Redis and a real arq worker in burst mode, for tests.

Each test session starts a redis-server of its own on a free port (or uses STANDING_TEST_REDIS_URL), so two
runs on one machine never flush each other's queues. Without Redis the tests fail; they never skip.
"""

from __future__ import annotations

import atexit
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.constants import default_queue_name
from arq.worker import Worker

from domain.kernel.clock import Clock
from tests.support.live import PrivateRedis
from workers.settings import WorkerSettings, shutdown, startup

_private: PrivateRedis | None = None


def redis_url() -> str:
    """STANDING_TEST_REDIS_URL, or this session's own redis-server, started on first use."""
    global _private
    if configured := os.environ.get("STANDING_TEST_REDIS_URL"):
        return configured
    if _private is None:
        _private = PrivateRedis(Path(tempfile.mkdtemp(prefix="standing-redis-")))
        _private.start()
        atexit.register(_private.stop)
    return _private.url


async def connect_redis() -> ArqRedis:
    url = redis_url()
    try:
        redis = await create_pool(RedisSettings.from_dsn(url), retry=0)
        await redis.ping()
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"Redis at {url} is unreachable ({exc}); the Redis tests never skip", pytrace=False)
    await redis.flushdb()
    return redis


async def run_worker(redis: ArqRedis, clock: Clock, *, horizon: timedelta = timedelta(seconds=5), **ctx: Any) -> int:
    """Run every job due within `horizon` of wall-clock now (waiting for those deferred that long), with
    the domain clock injected, then stop. Jobs deferred further (a notice decaying in 180 days) stay
    queued: a plain burst worker would wait for them."""
    completed = 0
    while True:
        limit = (datetime.now(UTC) + horizon).timestamp() * 1000
        due = await redis.zcount(default_queue_name, 0, limit)
        if due == 0:
            return completed
        worker = Worker(
            functions=WorkerSettings.functions,
            redis_pool=redis,
            burst=True,
            poll_delay=0.01,
            max_burst_jobs=due,
            on_startup=startup,
            on_shutdown=shutdown,
            handle_signals=False,
            max_tries=1,
            ctx={"clock": clock, "keep_database": True, **ctx},
        )
        try:
            completed += await worker.run_check()
        finally:
            await shutdown(worker.ctx)
