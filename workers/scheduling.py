"""Telling arq about new deadlines: one precise deferred job per deadline, de-duplicated by id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from arq.connections import ArqRedis

from domain.models import Deadline

ARQ_MARGIN = timedelta(milliseconds=5)


def job_id(deadline: Deadline) -> str:
    # The due time is in the id: moving a deadline enqueues a new job; the stale one finds nothing due.
    return f"deadline:{deadline.id}:{int(deadline.due_at.timestamp())}"


def arq_listener(redis: ArqRedis):
    async def enqueue(deadline: Deadline) -> None:
        # arq defers in wall-clock milliseconds; a deadline already past runs at once. The margin keeps
        # a job from waking a millisecond before its deadline and finding nothing due.
        later = deadline.due_at + ARQ_MARGIN if deadline.due_at > datetime.now(UTC) else None
        await redis.enqueue_job("fire_deadline_job", deadline.id, _job_id=job_id(deadline), _defer_until=later)

    return enqueue
