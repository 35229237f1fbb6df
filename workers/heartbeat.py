"""The worker's heartbeat in Redis, and how the API's /readyz reads it.

Each worker writes `standing:worker:<host>:<pid>` every few seconds with a time to live of three beats: its
state (`ok`, or `catching up` right after an outage) and its last outage. A worker that is down, or cut off
from Redis, stops beating and its key expires, so /readyz sees no fresh heartbeat and reports the worker
degraded. Redis is where the worker's liveness matters: a worker that cannot reach Redis runs no job.
"""

from __future__ import annotations

import json
import os
import socket
from typing import Any

HEARTBEAT_PREFIX = "standing:worker:"
HEARTBEAT_INTERVAL = 5.0  # seconds between beats
HEARTBEAT_TTL = 3 * HEARTBEAT_INTERVAL


def heartbeat_key() -> str:
    return f"{HEARTBEAT_PREFIX}{socket.gethostname()}:{os.getpid()}"


async def beat(redis: Any, key: str, summary: dict[str, object], ttl: float = HEARTBEAT_TTL) -> None:
    await redis.set(key, json.dumps(summary), px=int(ttl * 1000))


async def stop_beating(redis: Any, key: str) -> None:
    await redis.delete(key)


async def worker_check(redis: Any) -> tuple[bool, str]:
    """(healthy, what /readyz says) from the live heartbeats: healthy when one worker at least beats `ok`."""
    keys = [key async for key in redis.scan_iter(match=f"{HEARTBEAT_PREFIX}*", count=100)]
    beats = [json.loads(value) for value in await redis.mget(keys) if value] if keys else []
    if not beats:
        return False, f"degraded: no worker heartbeat in the last {HEARTBEAT_TTL:.0f} s (down, or cut off from Redis)"
    healthy = [b for b in beats if b.get("state") == "ok"]
    if not healthy:
        return False, "degraded: " + ", ".join(sorted({str(b.get("state")) for b in beats}))
    return True, "ok" if len(beats) == 1 else f"ok ({len(healthy)} of {len(beats)} workers)"


async def local_check(redis: Any, host: str | None = None) -> tuple[bool, str]:
    """(healthy, what it says) for the workers of this host: `standing worker --check`, a container's healthcheck.

    Healthy when a worker on this host (a container holds one) has a fresh heartbeat: it reaches Redis and its
    poll loop lives. `catching up` after an outage counts as healthy (it is working); a worker that is stuck,
    dead or cut off from Redis has no fresh heartbeat, since its key expires after three missed beats.
    """
    prefix = f"{HEARTBEAT_PREFIX}{host or socket.gethostname()}:"
    keys = [key async for key in redis.scan_iter(match=f"{prefix}*", count=100)]
    beats = [json.loads(value) for value in await redis.mget(keys) if value] if keys else []
    if not beats:
        return False, f"no heartbeat from a worker on this host in the last {HEARTBEAT_TTL:.0f} s"
    states = sorted({str(b.get("state")) for b in beats})
    healthy = [s for s in states if s in ("ok", "catching up")]
    return bool(healthy), ", ".join(states)
