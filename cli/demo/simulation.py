"""The run loop: the cast's stories and the worker's clock replayed in time order."""

from __future__ import annotations

import heapq
from datetime import timedelta
from functools import partial

from cli.demo.casting import Casting
from cli.demo.concerns import Concerns
from cli.demo.options import BADGE_EVERY, DAY, HOUR
from cli.demo.timeline import Timeline
from domain.badges.evaluation import evaluate_badges
from domain.deadlines.schedule import on_scheduled
from domain.deadlines.sweep import sweep


class Simulation(Casting, Concerns, Timeline):
    """Six months of a program, every write through the real use cases."""

    async def run(self) -> None:
        self.cast()
        self.report_concerns()
        for day in range(self.days):
            self.at(self.start + day * DAY, partial(self.tick, day))
            self.at(self.start + day * DAY + 23 * HOUR + 59 * timedelta(minutes=1), self.sweep)  # the catch-up sweep
        evaluation = self.start + BADGE_EVERY + 3 * HOUR  # when the worker's nightly job runs
        while evaluation <= self.end:
            self.at(evaluation, self.evaluate)
            evaluation += BADGE_EVERY
        unregister = on_scheduled(self.deadline_scheduled)
        try:
            while self.queue:
                when, _, action = heapq.heappop(self.queue)
                self.clock.set(when)
                await action()
        finally:
            unregister()
        self.clock.set(self.end)
        await sweep(self.clock)
        await evaluate_badges(clock=self.clock, organization_id=self.organization.id)
        if self.progress:
            self.progress(self.days, self.days)
