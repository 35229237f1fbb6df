"""Fan-out of committed outbox events to live subscribers, across processes, without losing one.

- `Broadcaster`: in one process, hands each event to every subscriber's bounded queue.
- `Feed`: the one reader per process. It reads committed events after its cursor from the database
  and broadcasts them. It reads when woken (a local commit, or a message on Redis) and at least every
  `poll_interval`, so a lost pub/sub message, a dead relay or a restarted Redis only delays events.
- `Relay`: tails the outbox and publishes each event to the Redis channel, so every process's Feed
  (and any other consumer) hears of commits made anywhere. One relay leads at a time (a Redis lock).

The database is the only record; Redis pub/sub is the doorbell.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from typing import Any

from domain.events.outbox import as_message, latest_id
from domain.models import OutboxEvent
from workers.loops import stop_if_cancelled

log = logging.getLogger("standing.realtime")
CHANNEL = "standing:events"
RELAY_LOCK = "standing:relay:leader"
RESYNC = {"resync": True}  # put on a queue that overflowed: the subscriber re-reads from the database


class Broadcaster:
    def __init__(self, queue_size: int = 1000) -> None:
        self.queue_size = queue_size
        self._queues: set[asyncio.Queue] = set()

    def subscribe(self) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(self.queue_size)
        self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        self._queues.discard(queue)

    @property
    def subscribers(self) -> int:
        return len(self._queues)

    def publish(self, message: dict[str, Any]) -> None:
        for queue in list(self._queues):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:  # a slow subscriber loses nothing: it re-reads from its cursor
                with contextlib.suppress(asyncio.QueueEmpty):
                    while True:
                        queue.get_nowait()
                queue.put_nowait(RESYNC)


async def _events_after(cursor: int, limit: int = 500) -> list[OutboxEvent]:
    return await OutboxEvent.filter(id__gt=cursor).order_by("id").limit(limit)


class Feed:
    """Reads committed events once per process and broadcasts them in id order."""

    def __init__(self, broadcaster: Broadcaster, *, redis_url: str | None = None, poll_interval: float = 1.0) -> None:
        self.broadcaster, self.redis_url, self.poll_interval = broadcaster, redis_url, poll_interval
        self.cursor = 0
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self.cursor = await latest_id()
        self._tasks.append(asyncio.create_task(self._read_forever(), name="standing-feed"))
        if self.redis_url:
            self._tasks.append(asyncio.create_task(self._listen_forever(), name="standing-feed-redis"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def catch_up(self) -> int:
        delivered = 0
        while batch := await _events_after(self.cursor):
            for event in batch:
                self.broadcaster.publish(as_message(event))
                self.cursor = event.id
            delivered += len(batch)
        return delivered

    async def _read_forever(self) -> None:
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_interval)
            self._wake.clear()
            try:
                await self.catch_up()
            except Exception:
                stop_if_cancelled()
                log.exception("feed read failed")

    async def _listen_forever(self) -> None:
        from redis.asyncio import Redis

        while True:
            client = Redis.from_url(self.redis_url)  # type: ignore[arg-type]
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self.wake()  # (re)connected: anything published while away is read from the database
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self.wake()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - Redis restarted or unreachable: retry, the poll covers us
                stop_if_cancelled()
                log.warning("feed lost Redis (%s); reconnecting", exc)
                await asyncio.sleep(min(self.poll_interval, 1.0))
            finally:
                with contextlib.suppress(Exception):
                    await client.aclose()


class Relay:
    """Publishes committed outbox events to Redis, in id order, from one leader at a time."""

    def __init__(self, redis_url: str, *, poll_interval: float = 1.0, lease_seconds: float = 5.0) -> None:
        self.redis_url, self.poll_interval, self.lease = redis_url, poll_interval, lease_seconds
        self.identity = f"{os.getpid()}:{id(self)}"
        self.cursor: int | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run_forever(), name="standing-relay")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def relay_once_and_stop(self) -> None:
        """On shutdown, publish what this process committed last, then stop."""
        await self.stop()
        from redis.asyncio import Redis

        redis = Redis.from_url(self.redis_url)
        try:
            await self.relay_once(redis)
        except Exception as exc:  # noqa: BLE001 - the feeds' polling delivers it anyway
            log.warning("final relay failed (%s)", exc)
        finally:
            await redis.aclose()

    async def relay_once(self, redis) -> int:
        """If leading, publish every event after the cursor; returns how many were published."""
        leading = await redis.set(RELAY_LOCK, self.identity, nx=True, px=int(self.lease * 1000)) or (
            (await redis.get(RELAY_LOCK) or b"").decode() == self.identity
            and await redis.pexpire(RELAY_LOCK, int(self.lease * 1000))
        )
        if not leading:
            self.cursor = None  # another relay leads; if we lead later, start from what is committed
            return 0
        if self.cursor is None:
            # A new leader republishes the last lease's worth of events: duplicates are harmless
            # (subscribers skip ids they have seen), gaps are not.
            self.cursor = max(await latest_id() - 1000, 0)
        published = 0
        while batch := await _events_after(self.cursor):
            for event in batch:
                await redis.publish(CHANNEL, json.dumps(as_message(event)))
                self.cursor = event.id
            published += len(batch)
        return published

    async def _run_forever(self) -> None:
        from redis.asyncio import Redis

        redis = Redis.from_url(self.redis_url)
        try:
            while True:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_interval)
                self._wake.clear()
                try:
                    await self.relay_once(redis)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - Redis or the database is away: try again
                    stop_if_cancelled()
                    log.warning("relay failed (%s); retrying", exc)
        finally:
            with contextlib.suppress(Exception):
                await redis.aclose()
