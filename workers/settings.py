"""arq WorkerSettings: `standing worker`, or `arq workers.settings.WorkerSettings`."""

from __future__ import annotations

from typing import Any

from arq import cron
from arq.connections import RedisSettings
from arq.worker import get_kwargs

from domain.deadlines.schedule import on_scheduled
from domain.events.outbox import on_announce
from domain.infra import db
from domain.infra.config import Settings
from workers.jobs import deliver_webhooks_job, fire_deadline_job, nightly_badges_job, sweep_job
from workers.outages import export_metrics
from workers.realtime import Relay
from workers.resilient import ResilientWorker
from workers.scheduling import arq_listener


def redis_settings(settings: Settings) -> RedisSettings:
    if not settings.redis_url:
        raise SystemExit("the worker needs STANDING_REDIS_URL; without Redis the API runs the sweep in-process")
    return RedisSettings.from_dsn(settings.redis_url)


def cron_jobs() -> list:
    # CronJob objects keep state (next_run): build fresh ones for every worker.
    return [
        cron(sweep_job, second=0, run_at_startup=True, unique=True),
        cron(nightly_badges_job, hour=3, minute=0, second=0, unique=True),
    ]


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx.get("settings") or Settings.from_env()
    if not ctx.get("keep_database"):
        await db.connect(settings.database_url)
    unregister = [on_scheduled(arq_listener(ctx["redis"]))]
    if settings.redis_url and not ctx.get("keep_database"):
        # Changes made by jobs reach subscribers at once: this process relays too (one relay leads).
        relay = Relay(settings.redis_url)
        await relay.start()
        unregister.append(on_announce(_waker(relay)))
        ctx["relay"] = relay
    if settings.worker_metrics_port:
        # The same metrics the API serves, for what runs here: deadline lateness, sweeps, transitions, webhooks.
        from schema.metrics import Metrics

        metrics = Metrics()
        metrics.start()
        unregister += [metrics.stop, metrics.serve(settings.worker_metrics_port, settings.metrics_host)]
        if health := ctx.get("redis_health"):  # the Redis outages this worker lived through
            unregister.append(export_metrics(metrics.registry, health))
    ctx["unregister"] = unregister


def _waker(relay: Relay):
    async def wake() -> None:
        relay.wake()

    return wake


async def shutdown(ctx: dict[str, Any]) -> None:
    for unregister in ctx.pop("unregister", []):
        unregister()
    if relay := ctx.pop("relay", None):
        await relay.relay_once_and_stop()
    if not ctx.get("keep_database"):
        await db.disconnect()


class WorkerSettings:
    functions = [fire_deadline_job, sweep_job, nightly_badges_job, deliver_webhooks_job]
    cron_jobs = cron_jobs()
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = RedisSettings.from_dsn(Settings.from_env().redis_url or "redis://127.0.0.1:6379/0")
    max_tries = 5
    job_timeout = 300
    # arq's defaults (10 jobs, 0.5 s poll) start at most ~20 short jobs a second, so a burst of
    # deadlines queued up (bench/timers.py: p50 18 s late); these keep pace (p50 3 s on a loaded box).
    max_jobs = 50
    poll_delay = 0.1


def create_worker(settings: Settings, **overrides: Any) -> ResilientWorker:
    """`standing worker`: WorkerSettings in a worker that outlives Redis outages (workers/resilient.py)."""
    options: dict[str, Any] = {**get_kwargs(WorkerSettings), "cron_jobs": cron_jobs()}  # type: ignore[arg-type]
    return ResilientWorker(**{**options, "redis_settings": redis_settings(settings), **overrides})


def run(settings: Settings, *, burst: bool = False) -> None:
    create_worker(settings, burst=burst).run()
