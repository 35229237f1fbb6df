"""Durable deadlines: scheduling them in the database and telling a queue about them.

The database row is the timer. A queue (arq, in `workers/`) may register a listener to get a precise
wake-up call; if it misses one, the sweep still finds every due row.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from domain.infra.db import after_commit
from domain.models import Deadline, DeadlineKind

log = logging.getLogger("standing.deadlines")
Listener = Callable[[Deadline], Awaitable[None]]
_listeners: list[Listener] = []


def on_scheduled(listener: Listener) -> Callable[[], None]:
    """Call `listener` with each deadline scheduled or moved; returns a function that unregisters it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


async def _notify(deadline: Deadline) -> None:
    # After the commit: a precise job enqueued before it could run before its row exists, find nothing
    # due, and leave the deadline to the next minute's sweep. A rolled-back deadline is never announced.
    await after_commit(lambda: _tell_listeners(deadline))


async def _tell_listeners(deadline: Deadline) -> None:
    """A listener that fails (Redis down) costs precision, not the change: the sweep finds every due row."""
    for listener in list(_listeners):
        try:
            await listener(deadline)
        except Exception as exc:  # noqa: BLE001
            log.warning("could not announce deadline %s (%s); the sweep will fire it", deadline.key, exc)


def deadline_key(kind: DeadlineKind, participant_id: int, subject_id: int | None) -> str:
    return f"{kind.value}:{participant_id}:{subject_id if subject_id is not None else '-'}"


async def schedule(
    kind: DeadlineKind,
    participant_id: int,
    due_at: datetime,
    now: datetime,
    *,
    subject_id: int | None = None,
    rearm: bool = False,
    conn=None,
) -> Deadline:
    """Create the deadline, or move it if it is still pending. With `rearm`, a fired one is re-armed too
    (the inactivity horizon moves on with every activity); otherwise a fired deadline stays fired."""
    key = deadline_key(kind, participant_id, subject_id)
    existing = await Deadline.filter(key=key).using_db(conn).first()
    if existing is None:
        try:
            deadline = await Deadline.create(
                using_db=conn,
                key=key,
                kind=kind,
                participant_id=participant_id,
                subject_id=subject_id,
                due_at=due_at,
                base_due_at=due_at,
                armed_at=now,
                created_at=now,
            )
        except IntegrityError:  # created concurrently: the other writer's row stands
            return await Deadline.filter(key=key).using_db(conn).get()
        await _notify(deadline)
        return deadline
    if (existing.fired_at is None or rearm) and existing.base_due_at != due_at:
        await (
            Deadline.filter(id=existing.id)
            .using_db(conn)
            .update(due_at=due_at, base_due_at=due_at, armed_at=now, fired_at=None, outcome=None)
        )
        existing.due_at, existing.base_due_at, existing.armed_at = due_at, due_at, now
        existing.fired_at = existing.outcome = None
        await _notify(existing)
    return existing


async def postpone(deadline: Deadline, due_at: datetime, conn: Any = None) -> None:
    """Move a pending deadline's due time (excused leave, a hold, a hold released), keeping its base due time
    and its clock start."""
    await Deadline.filter(id=deadline.id, fired_at=None).using_db(conn).update(due_at=due_at)
    deadline.due_at = due_at
    await _notify(deadline)


async def due(now: datetime, limit: int | None) -> list[Deadline]:
    """Unfired deadlines due by `now`, oldest first."""
    query = Deadline.filter(fired_at=None, due_at__lte=now).order_by("due_at", "id")
    return await (query.limit(limit) if limit else query)


async def mark_fired(deadline: Deadline, now: datetime, outcome: str, conn=None) -> bool:
    """Record the firing once; False when another run already did."""
    return (
        await Deadline.filter(id=deadline.id, fired_at=None, due_at=deadline.due_at)
        .using_db(conn)
        .update(fired_at=now, outcome=outcome[:200])
        == 1
    )
