"""Redis outages as the worker lives through them: when it lost Redis, how it waits to reconnect, when it
was back and caught up, and the metrics that show it.

The worker never exits over an outage (workers/resilient.py). Its deadlines are database rows, so nothing
is lost while Redis is away: once back, one sweep fires everything that fell due meanwhile.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# What a lost, restarting or unreachable Redis raises (OSError covers refused and reset sockets and timeouts).
REDIS_DOWN: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError, OSError)


@dataclass(frozen=True)
class Backoff:
    """Waits between reconnection attempts: doubling from `first` up to `longest` seconds."""

    first: float = 0.25
    factor: float = 2.0
    longest: float = 5.0

    def delays(self) -> Iterator[float]:
        delay = self.first
        while True:
            yield delay
            delay = min(delay * self.factor, self.longest)


@dataclass
class Outage:
    error: str
    started_at: datetime
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None
    attempts: int = 0  # reconnection attempts that failed
    waited: float = 0.0  # seconds of backoff asked for

    @property
    def seconds(self) -> float:
        return (self.ended if self.ended is not None else time.monotonic()) - self.started


class RedisHealth:
    """What one worker knows of its Redis. States: `ok`, `redis unreachable`, `catching up`."""

    def __init__(self) -> None:
        self.outages: list[Outage] = []
        self.catch_ups = 0  # sweeps run after an outage ended
        self.catching_up = False
        self._changed = asyncio.Event()

    @property
    def up(self) -> bool:
        return not self.outages or self.outages[-1].ended is not None

    @property
    def state(self) -> str:
        if not self.up:
            return "redis unreachable"
        return "catching up" if self.catching_up else "ok"

    @property
    def outage_seconds(self) -> float:
        return sum(outage.seconds for outage in self.outages)

    def lost(self, error: BaseException) -> Outage:
        outage = Outage(f"{type(error).__name__}: {error}"[:200], datetime.now(UTC))
        self.outages.append(outage)
        self._tell()
        return outage

    def waiting(self, delay: float) -> None:
        self.outages[-1].waited += delay
        self._tell()

    def attempt_failed(self) -> None:
        self.outages[-1].attempts += 1
        self._tell()

    def restored(self) -> Outage:
        outage = self.outages[-1]
        outage.ended = time.monotonic()
        self.catching_up = True
        self._tell()
        return outage

    def caught_up(self) -> None:
        self.catching_up = False
        self.catch_ups += 1
        self._tell()

    def _tell(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def until(self, condition: Callable[[RedisHealth], bool], timeout: float) -> None:
        """Wait (at most `timeout` wall seconds) until `condition(self)` holds; for tests and shutdown."""

        async def wait() -> None:
            while not condition(self):
                await self._changed.wait()

        await asyncio.wait_for(wait(), timeout)

    def summary(self) -> dict[str, object]:
        """What the heartbeat tells the API (workers/heartbeat.py)."""
        last = self.outages[-1] if self.outages else None
        return {
            "state": self.state,
            "outages": len(self.outages),
            "last_outage": None
            if last is None
            else {
                "started_at": last.started_at.isoformat(),
                "seconds": round(last.seconds, 3),
                "error": last.error,
                "ended": last.ended is not None,
            },
        }


class OutageMetrics(Collector):
    """standing_worker_redis_up, standing_worker_redis_outages_total and standing_worker_redis_outage_seconds_total,
    read from the worker's RedisHealth at each scrape (the metrics port is served while Redis is away)."""

    def __init__(self, health: RedisHealth) -> None:
        self.health = health

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily("standing_worker_redis_up", "1 while the worker reaches Redis, 0 during an outage")
        up.add_metric([], 1.0 if self.health.up else 0.0)
        outages = CounterMetricFamily("standing_worker_redis_outages", "Redis outages the worker lived through")
        outages.add_metric([], float(len(self.health.outages)))
        seconds = CounterMetricFamily(
            "standing_worker_redis_outage_seconds",
            "Seconds the worker spent without Redis, the current outage included",
        )
        seconds.add_metric([], self.health.outage_seconds)
        catch_ups = CounterMetricFamily("standing_worker_catch_up_sweeps", "Sweeps run after an outage ended")
        catch_ups.add_metric([], float(self.health.catch_ups))
        return [up, outages, seconds, catch_ups]


def export_metrics(registry: CollectorRegistry, health: RedisHealth) -> Callable[[], None]:
    collector = OutageMetrics(health)
    registry.register(collector)
    return lambda: registry.unregister(collector)
