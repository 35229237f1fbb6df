"""Embedded mode (no Redis) runs the worker's nightly badge evaluation too: the embedded sweep evaluates every
organization at its first round, and again at its first round of each later (UTC) day, never twice in a day
(workers/embedded.py; docs/deployment.md, "Embedded mode")."""

from __future__ import annotations

from datetime import timedelta

import workers.embedded
from domain.badges.evaluation import evaluate_everyone
from domain.models import BadgeRecord
from workers.embedded import EmbeddedScheduler


async def test_the_embedded_sweep_evaluates_every_badge_once_a_day(world, clock, monkeypatch):
    runs: list = []

    async def nightly(at_clock):
        runs.append(at_clock.now())
        return await evaluate_everyone(at_clock)  # the worker's nightly_badges_job runs this same function

    monkeypatch.setattr(workers.embedded, "nightly_badges", nightly)
    scheduler = EmbeddedScheduler(clock)
    clock.set(clock.now().replace(hour=0, minute=5))

    await scheduler.sweep_once()
    assert len(runs) == 1
    assert await BadgeRecord.all().count() > 0  # every participant's badge was evaluated

    clock.advance(timedelta(hours=23))  # 23:05 the same day: the sweep runs, the evaluation does not
    await scheduler.sweep_once()
    assert len(runs) == 1

    clock.advance(timedelta(hours=1))  # 00:05 the next day
    await scheduler.sweep_once()
    await scheduler.sweep_once()
    assert len(runs) == 2 and runs[1].date() == runs[0].date() + timedelta(days=1)
