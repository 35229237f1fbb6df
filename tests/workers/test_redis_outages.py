"""The worker outlives Redis: a real, non-burst `standing worker` against a private redis-server that the
tests kill and restart. It backs off, reconnects, catches up with a sweep, and /readyz and its metrics say
what happened meanwhile."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from domain.infra.config import Settings
from domain.kernel.actors import Actor
from domain.kernel.clock import FixedClock
from domain.models import Deadline, Participant, TransitionRecord
from domain.standing.apply import StandingCommand, apply_event
from schema.app import create_app
from tests.support.live import PrivateRedis, free_port
from tests.support.live import until as live_until
from workers.outages import Backoff
from workers.resilient import ResilientWorker
from workers.settings import create_worker

ADMIN = Actor.admin(1)
SOON = 20.0  # wall seconds any one step of a test may take before it fails


@pytest.fixture
def clock() -> FixedClock:
    # Simulated time lies years ahead, so the precise jobs arq defers in wall-clock time never run here:
    # every deadline in these tests is fired by a sweep.
    return FixedClock(datetime(2031, 1, 1, tzinfo=UTC))


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


class Naps:
    """The worker's backoff sleeps, recorded, each a mere yield: a long outage costs no wall time."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        await asyncio.sleep(0.005)


@pytest.fixture
async def worker_of(orm, clock, redis_server) -> AsyncIterator[Callable[..., Awaitable[ResilientWorker]]]:
    """Start `standing worker` (the real one, not in burst mode) in a task, with the domain clock injected."""
    workers: list[ResilientWorker] = []

    async def start(**settings_extra) -> ResilientWorker:
        settings = Settings(database_url=orm, redis_url=redis_server.url, **settings_extra)
        worker = create_worker(
            settings,
            ctx={"clock": clock, "keep_database": True, "settings": settings},
            handle_signals=False,
            poll_delay=0.02,
            backoff=Backoff(first=0.25, factor=2, longest=5),
            sleep=Naps(),
            heartbeat_interval=0.5,
        )
        workers.append(worker)
        worker.main_task = asyncio.create_task(worker.main())
        await until(lambda: "unregister" in worker.ctx, "the worker to start")
        return worker

    yield start
    for worker in workers:
        await worker.close()  # cancels its main task, then shuts down as `standing worker` does


async def until(check: Callable[[], object], what: str) -> None:
    await live_until(check, what, SOON)


async def suspended_until(mentor: Participant, until_: datetime, clock: FixedClock) -> None:
    await apply_event(
        StandingCommand(mentor.id, "suspend", ADMIN, "again", params={"until": until_}),
        clock=clock,
    )


async def test_the_worker_survives_three_redis_restarts_and_fires_every_deadline_due_meanwhile_once(
    world, clock, redis_server, worker_of
):
    mentors = [await world.participant(world.mentor.role, f"Mentor {i}") for i in range(6)]
    for mentor in mentors:
        await apply_event(StandingCommand(mentor.id, "issue_notice", ADMIN, "late"), clock=clock)
    worker = await worker_of()
    for restart in range(3):
        redis_server.stop()
        await worker.health.until(lambda h: not h.up, SOON)
        # While Redis is away the API still decides suspensions (their precise jobs cannot be enqueued; the
        # rows stand), and they fall due before it is back.
        pair = mentors[2 * restart : 2 * restart + 2]
        for mentor in pair:
            await suspended_until(mentor, clock.now() + timedelta(hours=1), clock)
        clock.advance(timedelta(hours=2))
        redis_server.start()
        await worker.health.until(lambda h, n=restart + 1: h.catch_ups == n, SOON)
        assert [(await Participant.get(id=m.id)).standing for m in pair] == ["first_notice"] * 2
    assert worker.main_task is not None and not worker.main_task.done()
    assert len(worker.health.outages) == 3 and all(o.ended is not None for o in worker.health.outages)
    lifts = await TransitionRecord.filter(event="lift_suspension").values_list("participant_id", flat=True)
    assert sorted(lifts) == sorted(m.id for m in mentors)  # every deadline fired, and each once
    assert await Deadline.filter(kind="suspension_end", fired_at=None).count() == 0
    assert worker.job_counter == 0  # no job slot was lost to an outage


async def test_a_ten_second_outage_backs_off_to_its_cap_and_the_metrics_and_readyz_show_it(
    orm, world, clock, redis_server, worker_of
):
    port = free_port()
    worker = await worker_of(worker_metrics_port=port)
    app = create_app(Settings(database_url=orm, redis_url=redis_server.url), clock=clock, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://standing.test") as api:
        await until(lambda: worker._next_beat > 0, "the first heartbeat")
        ready = await api.get("/readyz")
        assert (ready.status_code, ready.json()["status"], ready.json()["checks"]["worker"]) == (200, "ready", "ok")

        redis_server.stop()
        await worker.health.until(lambda h: bool(h.outages) and h.outages[-1].waited >= 10, SOON)
        metrics = await metrics_text(port)
        assert "standing_worker_redis_up 0.0" in metrics and "standing_worker_redis_outages_total 1.0" in metrics
        ready = await api.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["worker"].startswith("degraded")

        await apply_event(StandingCommand(world.mentor.id, "issue_notice", ADMIN, "late"), clock=clock)
        await suspended_until(world.mentor, clock.now() + timedelta(minutes=5), clock)
        clock.advance(timedelta(minutes=10))
        redis_server.start()
        await worker.health.until(lambda h: h.catch_ups == 1, SOON)
        await until(lambda: worker._next_beat > 0, "the heartbeat after the catch-up")
        ready = (await api.get("/readyz")).json()
        assert ready["checks"].pop("readModel").startswith("off")  # this app leaves the database to the test
        assert ready == {"status": "ready", "checks": {"database": "ok", "redis": "ok", "worker": "ok"}}
    outage = worker.health.outages[-1]
    # Doubling from a quarter second up to the five-second cap, and never beyond it.
    assert worker._sleep.asked[:7] == [0.25, 0.5, 1, 2, 4, 5, 5]  # type: ignore[attr-defined]
    assert outage.attempts >= 6 and outage.ended is not None
    metrics = await metrics_text(port)
    assert "standing_worker_redis_up 1.0" in metrics and "standing_worker_catch_up_sweeps_total 1.0" in metrics
    assert (await Participant.get(id=world.mentor.id)).standing == "first_notice"


async def test_readyz_reports_a_worker_that_stopped_beating_as_degraded_while_the_api_serves(
    orm, clock, redis_server, worker_of
):
    worker = await worker_of()
    await until(lambda: worker.health.state == "ok" and worker._next_beat > 0, "the first heartbeat")
    await worker.close()  # a clean stop takes its heartbeat with it; a dead worker's expires
    app = create_app(Settings(database_url=orm, redis_url=redis_server.url), clock=clock, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://standing.test") as api:
        ready = await api.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["worker"].startswith("degraded: no worker heartbeat")


async def metrics_text(port: int) -> str:
    async with httpx.AsyncClient() as http:
        return (await http.get(f"http://127.0.0.1:{port}/metrics", timeout=5)).text


async def test_a_job_slot_taken_just_as_redis_went_away_is_given_back(orm, clock, redis_server, worker_of, monkeypatch):
    from arq.connections import RedisSettings, create_pool
    from redis.exceptions import ConnectionError as RedisConnectionError

    worker = await worker_of()
    real_pipeline, failures = worker.pool.pipeline, []

    def pipeline_that_fails_once(*args, **kwargs):
        if not failures:  # the pipeline arq opens to start a job it has just taken a slot for
            failures.append(1)
            raise RedisConnectionError("Connection closed by server.")
        return real_pipeline(*args, **kwargs)

    monkeypatch.setattr(worker.pool, "pipeline", pipeline_that_fails_once)
    client = await create_pool(RedisSettings.from_dsn(redis_server.url))
    try:
        job = await client.enqueue_job("sweep_job", _job_id="after-a-blip")
        assert job is not None
        assert await job.result(timeout=SOON) == 0
    finally:
        await client.aclose()
    await until(lambda: not worker.tasks, "the job's task to be reaped")
    assert failures == [1] and worker.job_counter == 0
    assert worker.health.outages == []  # Redis answered at once: a blip, not an outage
