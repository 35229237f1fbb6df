"""When an admin's lock over automation expires, the admins get a review item: automation resumes now, and
someone should look at the participant again."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError

from domain.deadlines.firing import Firing
from domain.models import AdminNudge, Deadline, Participant, StandingLock
from domain.standing.locks import release_held


async def lock_expires(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    lock = await StandingLock.filter(id=d.subject_id).first()
    if lock is None or lock.ended_at is not None:
        return Firing("no review (the lock was lifted before its end)")
    text = f"the lock on {p.display_name}'s standing ended; automation resumes: review them"
    if dry_run:
        return Firing(f"would ask the admins to review: {text}")
    try:
        await AdminNudge.create(
            key=d.key,
            organization_id=p.organization_id,
            kind="lock_review",
            participant_id=p.id,
            message=text[:300],
            due_at=d.due_at,
            created_at=now,
        )
    except IntegrityError:
        return Firing("no review (already asked)")
    await release_held(p.id, now)
    return Firing(f"asked the admins to review: {text}")
