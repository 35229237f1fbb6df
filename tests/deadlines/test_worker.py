"""The arq worker against a real Redis: precise jobs, a flushed queue, double runs, and 120 simulated days."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from domain.deadlines.schedule import on_scheduled
from domain.kernel.actors import Actor
from domain.kernel.clock import FixedClock, SystemClock
from domain.models import Deadline, Participant, TransitionRecord
from domain.standing.apply import StandingCommand, apply_event
from tests.support.redis import connect_redis, run_worker
from workers.scheduling import arq_listener, job_id


@pytest.fixture
def clock() -> FixedClock:
    # Simulated time lies in the future, so arq (which defers in wall-clock time) holds every precise
    # job for later and only the jobs a test enqueues itself run now.
    return FixedClock(datetime(2031, 1, 1, tzinfo=UTC))


@pytest.fixture
async def redis(orm) -> AsyncIterator:
    connection = await connect_redis()
    unregister = on_scheduled(arq_listener(connection))  # the API process's hook: a precise job per deadline
    yield connection
    unregister()
    await connection.flushdb()
    await connection.aclose()


async def standing_of(participant) -> str:
    return (await Participant.get(id=participant.id)).standing


async def test_a_precise_job_lifts_a_suspension_at_its_end_time(world, redis):
    clock = SystemClock()  # arq defers in real time, so this one test uses the real clock, two seconds ahead
    await apply_event(StandingCommand(world.mentor.id, "issue_notice", Actor.admin(1), "late"), clock=clock)
    until = clock.now() + timedelta(seconds=2)
    await apply_event(
        StandingCommand(world.mentor.id, "suspend", Actor.admin(1), "x", params={"until": until}), clock=clock
    )
    deadline = await Deadline.get(participant_id=world.mentor.id, kind="suspension_end")
    assert abs(await redis.zscore("arq:queue", job_id(deadline)) - (until.timestamp() * 1000 + 5)) <= 1
    await run_worker(redis, clock)  # waits for the deferred job, then exits
    lift = await TransitionRecord.get(participant_id=world.mentor.id, event="lift_suspension")
    assert lift.actor_id == "suspension_ends" and lift.occurred_at >= until
    assert await standing_of(world.mentor) == "first_notice"


async def test_after_redis_is_flushed_the_sweep_catches_up_in_due_order(redis, world, clock):
    admin = Actor.admin(1)
    mentors = [await world.participant(world.mentor.role, f"Mentor {i}") for i in range(3)]
    for days, mentor in zip((9, 3, 6), mentors, strict=False):
        await apply_event(StandingCommand(mentor.id, "issue_notice", admin, "late"), clock=clock)
        await apply_event(
            StandingCommand(mentor.id, "suspend", admin, "again", params={"until": clock.now() + timedelta(days=days)}),
            clock=clock,
        )
    assert await redis.zcard("arq:queue") >= 3
    await redis.flushdb()  # the queue is gone; the deadlines are not
    clock.advance(timedelta(days=10))  # and the worker was down the whole time
    await redis.enqueue_job("sweep_job")  # what the minute cron enqueues
    await run_worker(redis, clock)
    lifts = await TransitionRecord.filter(event="lift_suspension").order_by("id")
    assert [r.participant_id for r in lifts] == [mentors[1].id, mentors[2].id, mentors[0].id]
    assert [r.evidence["due_at"] for r in lifts] == sorted(r.evidence["due_at"] for r in lifts)
    assert [await standing_of(m) for m in mentors] == ["first_notice"] * 3


async def test_running_a_job_twice_applies_its_effect_once(redis, world, clock):
    await apply_event(StandingCommand(world.mentor.id, "issue_notice", Actor.admin(1), "late"), clock=clock)
    await apply_event(
        StandingCommand(
            world.mentor.id, "suspend", Actor.admin(1), "x", params={"until": clock.now() + timedelta(days=1)}
        ),
        clock=clock,
    )
    deadline = await Deadline.get(participant_id=world.mentor.id, kind="suspension_end")
    clock.advance(timedelta(days=2))
    await redis.enqueue_job("fire_deadline_job", deadline.id, _job_id="first-run")
    await redis.enqueue_job("fire_deadline_job", deadline.id, _job_id="second-run")
    await redis.enqueue_job("sweep_job", _job_id="a-sweep-after-both")
    assert await run_worker(redis, clock) == 3
    assert await TransitionRecord.filter(participant_id=world.mentor.id, event="lift_suspension").count() == 1
    # The three may run concurrently; whichever comes first acts, and the others find nothing to do.
    results = {r.job_id: r.result for r in await redis.all_job_results()}
    acted = [job for job, result in results.items() if result in (1,) or str(result).startswith("lift_suspension")]
    idle = [job for job, result in results.items() if result in (0, "nothing to do")]
    assert len(acted) == 1 and len(idle) == 2, results


async def test_the_worker_serves_its_own_metrics_when_given_a_port(world, redis, clock):
    import httpx

    from domain.infra.config import Settings
    from tests.support.live import free_port
    from workers.jobs import fire_deadline_job
    from workers.settings import shutdown, startup

    port = free_port()
    ctx = {"redis": redis, "clock": clock, "keep_database": True, "settings": Settings(worker_metrics_port=port)}
    await startup(ctx)
    try:
        await apply_event(StandingCommand(world.mentor.id, "issue_notice", Actor.admin(1), "late"), clock=clock)
        await apply_event(
            StandingCommand(
                world.mentor.id, "suspend", Actor.admin(1), "x", params={"until": clock.now() + timedelta(hours=1)}
            ),
            clock=clock,
        )
        deadline = await Deadline.get(participant_id=world.mentor.id, kind="suspension_end")
        clock.advance(timedelta(hours=1, seconds=30))
        assert (await fire_deadline_job(ctx, deadline.id)).startswith("lift_suspension")
        async with httpx.AsyncClient() as http:
            text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
        assert 'standing_deadline_lateness_seconds_count{kind="suspension_end"} 1.0' in text
        assert (
            'standing_transitions_total{from_state="suspended",machine="mentor_standing",to_state="first_notice"} 1.0'
            in text
        )
        assert "standing_live_subscribers" not in text  # the worker has none
    finally:
        await shutdown(ctx)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2)
