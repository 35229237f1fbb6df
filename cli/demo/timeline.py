"""The worker's clock, replayed: hourly and nightly sweeps, badge evaluations, progress."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from cli.demo.engine import Engine
from cli.demo.options import HOUR
from domain.badges.evaluation import evaluate_badges
from domain.deadlines.sweep import sweep
from domain.models import Deadline


class Timeline(Engine):
    """Sweeps in the hour each deadline falls due and every night; badges every two weeks."""

    async def deadline_scheduled(self, deadline: Deadline) -> None:
        """A sweep at the top of the hour after a deadline falls due, like a coarse worker cron.

        Only hours with something due get a sweep; a deadline moved later (the inactivity horizon
        moves with every activity) leaves its old hour without one.
        """
        hour = deadline.due_at.replace(minute=0, second=0, microsecond=0) + HOUR
        if (before := self.due.get(deadline.id)) is not None:
            self.hours[before].discard(deadline.id)
        self.due[deadline.id] = hour
        if hour not in self.hours:
            self.hours[hour] = set()
            self.at(hour, partial(self.sweep_hour, hour))
        self.hours[hour].add(deadline.id)

    async def sweep_hour(self, hour: datetime) -> None:
        fired = self.hours.pop(hour, set())
        for deadline_id in fired:
            del self.due[deadline_id]
        if fired:
            await sweep(self.clock)

    async def sweep(self) -> None:
        await sweep(self.clock)

    async def tick(self, day: int) -> None:
        if self.progress:
            self.progress(day, self.days)

    async def evaluate(self) -> None:
        await evaluate_badges(clock=self.clock, participant_ids=[p.id for p in self.everyone() if p.id])
