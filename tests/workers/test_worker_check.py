"""`standing worker --check`, the worker container's healthcheck: healthy while a worker on this host beats in
Redis, unhealthy before it starts, after it stops, and when Redis is away."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.infra.config import Settings
from tests.support.live import PrivateRedis
from workers.settings import create_worker

ROOT = Path(__file__).resolve().parents[2]
SOON = 20.0


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


async def check(redis_url: str) -> tuple[int, str]:
    """The real command line, in its own process, as Docker runs it."""
    env = {**os.environ, "STANDING_REDIS_URL": redis_url, "STANDING_DATABASE_URL": "sqlite:///nonexistent/db"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "cli.main", "worker", "--check", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(process.communicate(), SOON)
    return process.returncode or 0, out.decode()


async def test_the_check_follows_the_worker_of_this_host(orm, clock, redis_server):
    code, said = await check(redis_server.url)
    assert code == 1 and "no heartbeat from a worker on this host" in said, said

    settings = Settings(database_url=orm, redis_url=redis_server.url)
    worker = create_worker(
        settings,
        ctx={"clock": clock, "keep_database": True, "settings": settings},
        handle_signals=False,
        poll_delay=0.02,
        heartbeat_interval=0.5,
    )
    worker.main_task = asyncio.create_task(worker.main())
    try:
        async with asyncio.timeout(SOON):
            while worker._next_beat == 0:
                await asyncio.sleep(0.01)
        code, said = await check(redis_server.url)
        assert code == 0 and "worker healthy: ok" in said, said  # no database needed: it asks Redis only
    finally:
        await worker.close()  # a clean stop takes its heartbeat with it

    code, said = await check(redis_server.url)
    assert code == 1, said


async def test_the_check_is_unhealthy_without_redis(redis_server):
    redis_server.stop()
    code, said = await check(redis_server.url)
    assert code == 1 and "Redis unreachable" in said, said
