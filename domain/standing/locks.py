"""Locks over automation: an admin freezes one participant's automatic steps until a date, and an open appeal
freezes them the same way. A time rule that would take a punitive step meanwhile does nothing, records why
in the log (a "held" row), and its deadline waits for the hold to end; escalation resumes then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from domain.deadlines.leave import paused_due_at
from domain.deadlines.schedule import postpone, schedule
from domain.infra.db import Refused, atomically
from domain.kernel.actors import Actor
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound, NotPermitted
from domain.kernel.text import reason_problem
from domain.models import Appeal, Deadline, DeadlineKind, Participant, StandingLock, TransitionRecord
from domain.standing.machines import machine_name

MAX_LOCK = timedelta(days=365)
# The deadlines whose rules take punitive steps, and so wait while a hold lasts.
HELD_KINDS = (DeadlineKind.INACTIVITY, DeadlineKind.RESPONSE_DUE)


@dataclass(frozen=True)
class Hold:
    kind: str  # "lock" | "appeal"
    id: int
    until: datetime
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "until": self.until.isoformat(), "reason": self.reason}

    @property
    def described(self) -> str:
        if self.kind == "lock":
            return f"an admin's lock until {self.until:%-d %B %Y} ({self.reason})"
        return "an open appeal"


async def hold_on(participant_id: int, now: datetime) -> Hold | None:
    """What freezes this participant's automatic steps now, if anything: an admin's lock, or an open appeal."""
    lock = (
        await StandingLock.filter(participant_id=participant_id, created_at__lte=now, until__gt=now, ended_at=None)
        .order_by("-until")
        .first()
    )
    if lock is not None:
        return Hold("lock", lock.id, lock.until, lock.reason)
    appeal = await Appeal.filter(participant_id=participant_id, state="open").order_by("-decide_by").first()
    if appeal is not None:
        return Hold("appeal", appeal.id, appeal.decide_by, "an appeal is open")
    return None


async def release_held(participant_id: int, now: datetime, conn: Any = None) -> None:
    """A hold ended early: the deadlines it held fall due again now (or when excused leave lets them)."""
    held = await Deadline.filter(
        participant_id=participant_id, fired_at=None, kind__in=HELD_KINDS, base_due_at__lte=now, due_at__gt=now
    ).using_db(conn)
    for deadline in held:
        await postpone(
            deadline, max(await paused_due_at(participant_id, deadline.armed_at, deadline.base_due_at), now), conn
        )


@dataclass(frozen=True)
class LockSet:
    lock: StandingLock


async def lock_standing(
    *, organization_id: int, participant_id: int, until: datetime, reason: str, by: Actor, clock: Clock
) -> LockSet | Any:
    now = clock.now()
    if (problem := reason_problem(reason, required=True)) is not None:
        return problem
    if until <= now:
        return InvalidInput("until", "a lock ends in the future")
    if until - now > MAX_LOCK:
        return InvalidInput("until", "a lock lasts at most a year")

    async def lock(conn: Any) -> LockSet:
        participant = (
            await Participant.filter(id=participant_id, organization_id=organization_id).using_db(conn).first()
        )
        if participant is None:
            raise Refused(NotFound("Participant", str(participant_id)))
        row = await StandingLock.create(
            using_db=conn,
            organization_id=organization_id,
            participant_id=participant_id,
            until=until,
            reason=reason.strip(),
            locked_by=by.id,
            created_at=now,
        )
        await schedule(DeadlineKind.LOCK_END, participant_id, until, now, subject_id=row.id, conn=conn)
        return LockSet(row)

    return await atomically(lock)


async def unlock_standing(*, organization_id: int, lock_id: int, reason: str, by: Actor, clock: Clock) -> LockSet | Any:
    now = clock.now()
    if (problem := reason_problem(reason, required=True)) is not None:
        return problem

    async def unlock(conn: Any) -> LockSet:
        row = (
            await StandingLock.filter(id=lock_id, organization_id=organization_id)
            .select_for_update(no_key=True)
            .using_db(conn)
            .first()
        )
        if row is None:
            raise Refused(NotFound("StandingLock", str(lock_id)))
        if row.ended_at is not None or row.until <= now:
            raise Refused(NotPermitted("this lock has already ended"))
        await (
            StandingLock.filter(id=row.id).using_db(conn).update(ended_at=now, end_reason=f"{by.id}: {reason.strip()}")
        )
        row.ended_at = now
        await release_held(row.participant_id, now, conn)
        return LockSet(row)

    return await atomically(unlock)


async def log_held(
    participant: Participant,
    event: str,
    *,
    rule: str,
    reason: str,
    evidence: dict[str, Any],
    hold: Hold,
    policy_version: str,
    now: datetime,
) -> TransitionRecord:
    """Record, in the standing log, a punitive step that automation would have taken and a hold kept back."""
    return await TransitionRecord.create(
        organization_id=participant.organization_id,
        participant_id=participant.id,
        machine=machine_name(participant.role),
        from_state=participant.standing,
        to_state=participant.standing,
        event=event,
        actor_kind="system",
        actor_id=rule,
        reason=f"held by {hold.described}: {reason}",
        evidence={**evidence, "hold": hold.as_json()},
        policy_version=policy_version,
        occurred_at=now,
        outcome="held",
    )
