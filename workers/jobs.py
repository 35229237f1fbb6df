"""The job functions. Each is idempotent: running it twice, or after the sweep, changes nothing more."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from domain.access.idempotency import purge_expired_keys
from domain.badges.evaluation import evaluate_everyone
from domain.deadlines.sweep import fire_deadline, sweep
from domain.events.webhooks import deliver_due, http_post
from domain.kernel.clock import Clock, SystemClock

log = logging.getLogger("standing.worker")


def _clock(ctx: dict[str, Any]) -> Clock:
    return ctx.get("clock") or SystemClock()


async def fire_deadline_job(ctx: dict[str, Any], deadline_id: int) -> str:
    fired = await fire_deadline(deadline_id, _clock(ctx))
    outcome = fired.firing.outcome if fired else "nothing to do"
    log.info("deadline %s: %s", deadline_id, outcome)
    return outcome


async def deliver_webhooks_job(ctx: dict[str, Any]) -> int:
    """Attempt due webhook deliveries and return how many were delivered; arq runs this again when the
    next retry is due (backoff)."""
    run = await deliver_due(_clock(ctx), ctx.get("http_post") or http_post)
    if run.next_due is not None and "redis" in ctx:
        later = run.next_due if run.next_due > datetime.now(UTC) else None
        await ctx["redis"].enqueue_job(
            "deliver_webhooks_job", _job_id=f"webhooks:{int(run.next_due.timestamp())}", _defer_until=later
        )
    return run.delivered


async def sweep_job(ctx: dict[str, Any]) -> int:
    await deliver_due(_clock(ctx), ctx.get("http_post") or http_post)  # catch up on retries a lost job missed
    report = await sweep(_clock(ctx))
    if report.fired:
        log.info("sweep fired %d deadlines (%d transitions)", len(report.fired), len(report.transitions))
    return len(report.fired)


async def nightly_badges_job(ctx: dict[str, Any]) -> int:
    """Everyone's badge, re-evaluated set-based, one organization at a time."""
    changes = len(await evaluate_everyone(_clock(ctx)))
    log.info("nightly badge evaluation: %d changes", changes)
    purged = await purge_expired_keys(_clock(ctx))  # answers kept for retries, past their 24 hours
    log.info("nightly purge: %d expired idempotency keys", purged)
    return changes
