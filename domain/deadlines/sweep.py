"""The sweep: apply every consequence that is due, in due order. Safe to run twice, or after a day off.

A precise job (`fire_deadline`) and the periodic sweep share one path, so whichever comes first acts
and the other finds the deadline fired. Deadlines of a participant on excused leave are moved to
resume after the leave, with the time they had left.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from domain.deadlines.firing import Firing
from domain.deadlines.leave import paused_due_at
from domain.deadlines.registry import DEADLINE_RULES, PAUSED_BY_LEAVE
from domain.deadlines.schedule import due, mark_fired, postpone
from domain.infra.db import in_fresh_transaction
from domain.infra.observe import DEADLINE_FIRED, SWEEP, observe
from domain.kernel.clock import Clock
from domain.models import Deadline, Participant

BATCH = 500


@dataclass(frozen=True)
class Fired:
    deadline_id: int
    kind: str
    participant_id: int
    due_at: datetime
    firing: Firing


@dataclass
class SweepReport:
    fired: list[Fired] = field(default_factory=list)
    postponed: int = 0

    @property
    def transitions(self) -> list[Fired]:
        return [f for f in self.fired if f.firing.transition]


async def fire(deadline: Deadline, now: datetime, *, dry_run: bool = False) -> Fired | None:
    """Apply one due deadline's rule, once. None when it is not due, already fired, or postponed.

    The rule's effects and the mark "fired" commit together, under the participant's row lock (taken
    first, as `apply_event` takes it): concurrent runs of one deadline (two jobs, a job and the sweep)
    queue there, and every run after the first finds the deadline fired and does nothing.
    """
    if deadline.fired_at is not None or deadline.due_at > now:
        return None
    if dry_run:
        return await _decide(deadline, now, dry_run=True)

    async def locked(conn) -> Fired | None:
        await Participant.filter(id=deadline.participant_id).select_for_update(no_key=True).using_db(conn).first()
        current = (
            await Deadline.filter(id=deadline.id, fired_at=None).select_for_update(no_key=True).using_db(conn).first()
        )
        return await _decide(current, now, dry_run=False, conn=conn) if current else None

    fired = await in_fresh_transaction(locked)
    if fired is not None:
        observe(DEADLINE_FIRED, kind=deadline.kind.value, lateness_seconds=(now - deadline.due_at).total_seconds())
    return fired


async def _decide(deadline: Deadline, now: datetime, *, dry_run: bool, conn=None) -> Fired | None:
    participant = await Participant.get(id=deadline.participant_id)
    due_at = (
        await paused_due_at(participant.id, deadline.armed_at, deadline.base_due_at)
        if deadline.kind in PAUSED_BY_LEAVE
        else deadline.due_at
    )
    if due_at > now:  # the clock stood still during excused leave
        if not dry_run and due_at != deadline.due_at:
            await postpone(deadline, due_at)
        return None
    firing = await DEADLINE_RULES[deadline.kind](deadline, participant, now, dry_run)
    if firing.held_until is not None:  # a lock or an open appeal holds the step: the deadline waits for it
        if not dry_run:
            await postpone(deadline, firing.held_until, conn)
        return Fired(deadline.id, deadline.kind.value, participant.id, deadline.due_at, firing)
    if not dry_run and not await mark_fired(deadline, now, firing.outcome, conn):
        return None  # cannot happen under the lock; kept so that a lost race can never report an effect
    return Fired(deadline.id, deadline.kind.value, participant.id, deadline.due_at, firing)


async def fire_deadline(deadline_id: int, clock: Clock) -> Fired | None:
    """The precise job's entry point."""
    deadline = await Deadline.filter(id=deadline_id).first()
    return await fire(deadline, clock.now()) if deadline else None


async def sweep(clock: Clock, *, dry_run: bool = False, as_of: datetime | None = None) -> SweepReport:
    """Fire everything due by `as_of` (default now), oldest first. A dry run changes nothing."""
    now = as_of or clock.now()
    report = SweepReport()
    seen: set[int] = set()
    started = time.perf_counter()
    while True:
        # A dry run writes nothing, so it reads every due deadline in one pass.
        batch = [d for d in await due(now, None if dry_run else BATCH) if d.id not in seen]
        if not batch:
            if not dry_run:
                observe(SWEEP, seconds=time.perf_counter() - started, fired=len(report.fired))
            return report
        for deadline in batch:
            seen.add(deadline.id)
            fired = await fire(deadline, now, dry_run=dry_run)
            if fired is None:
                report.postponed += 1
            else:
                report.fired.append(fired)
        if dry_run:
            return report
