"""The simulation's engine: the event queue on a FixedClock, its random helpers, the use cases it calls."""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from cli.demo.options import DAY, DemoSize
from cli.demo.people import Mentor, Protege
from domain.activity.acting import Acting
from domain.activity.record import ActivityCommand, record_activity
from domain.kernel.actors import Actor
from domain.kernel.clock import FixedClock
from domain.kernel.rejections import InvalidInput, NotFound, NotPermitted
from domain.models import Organization
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event

Action = Callable[[], Awaitable[None]]


class Engine:
    """The state every part of the story shares, and the two use cases every write goes through."""

    def __init__(
        self,
        organization: Organization,
        admin: Actor,
        size: DemoSize,
        seed: int,
        start: datetime,
        end: datetime,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.rng, self.seed = random.Random(seed), seed
        self.organization, self.admin, self.size = organization, admin, size
        self.start, self.end, self.progress = start, end, progress
        self.clock = FixedClock(start)
        self.acting = Acting(organization.id)
        self.queue: list[tuple[datetime, int, Action]] = []
        self.order = itertools.count()
        self.rejected: Counter = Counter()
        self.mentors: list[Mentor] = []
        self.proteges: list[Protege] = []
        self.by_id: dict[int, Mentor | Protege] = {}
        self.due: dict[int, datetime] = {}  # deadline id -> the hour whose sweep fires it, as last scheduled
        self.hours: dict[datetime, set[int]] = {}  # and the other way round
        self.days = (end - start).days + 1

    def at(self, when: datetime, action: Action) -> None:
        """Run `action` at `when`; anything due after the end of the story is left for the real clock."""
        when = max(when, self.clock.now())
        if when <= self.end:
            heapq.heappush(self.queue, (when, next(self.order), action))

    def later(self, lo: float, hi: float, unit: timedelta = DAY) -> datetime:
        return self.clock.now() + unit * self.rng.uniform(lo, hi)

    def office(self, when: datetime, first: int = 8, last: int = 19) -> datetime:
        """`when`'s day, at a round quarter hour in the working day."""
        hour, minute = self.rng.randint(first, last - 1), self.rng.choice((0, 15, 30, 45))
        return datetime.combine(when.date(), time(hour, minute), tzinfo=UTC)

    def days_before_end(self, lo: float, hi: float) -> datetime:
        return self.office(self.end - DAY * self.rng.uniform(lo, hi))

    def everyone(self) -> list[Mentor | Protege]:
        return [*self.mentors, *self.proteges]

    def person(self, participant_id: int) -> Mentor | Protege:
        return self.by_id[participant_id]

    async def record(self, command: ActivityCommand, kind: str) -> Any:
        """Record an activity through the one activity use case (badges are evaluated on their own schedule),
        or count its refusal; returns the row or None."""
        result = await record_activity(self.acting, command, clock=self.clock, evaluate=False)
        if isinstance(result, (InvalidInput, NotFound, NotPermitted)):
            self.rejected[(kind, type(result).__name__)] += 1
            return None
        return result

    async def decide(
        self, participant_id: int, event: str, reason: str, evidence: dict | None = None, **params: Any
    ) -> bool:
        """An admin decision, through the one use case every standing change goes through."""
        result = await apply_event(
            StandingCommand(
                participant_id,
                event,
                self.admin,
                reason,
                evidence=evidence or {},
                params=params,
                organization_id=self.organization.id,
            ),
            clock=self.clock,
        )
        if not isinstance(result, TransitionApplied):
            self.rejected[(event, type(result).__name__)] += 1
        return isinstance(result, TransitionApplied)

    def choose_mentor(self, p: Protege) -> Mentor:
        now = self.clock.now()
        pool = [m for m in self.mentors if m.visible(now)] or [m for m in self.mentors if m.id]
        return self.rng.choices(pool, weights=[m.weight / (1 + m.load) for m in pool])[0]

    def mentor_for(self, p: Protege) -> Mentor:
        """The protégé's mentor, or a new one when theirs cannot be booked any more."""
        assert p.mentor is not None
        if not p.mentor.visible(self.clock.now()):
            p.mentor.load -= 1
            p.mentor = self.choose_mentor(p)
            p.mentor.load += 1
        return p.mentor
