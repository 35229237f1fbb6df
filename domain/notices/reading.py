"""A participant reads and acknowledges their notices; one left unread for a week earns a nudge."""

from __future__ import annotations

from datetime import datetime

from tortoise.exceptions import IntegrityError

from domain.deadlines.firing import Firing
from domain.events import outbox
from domain.infra.db import transaction
from domain.kernel.clock import Clock
from domain.kernel.rejections import NotFound
from domain.models import Deadline, Notice, Nudge, Participant


async def acknowledge_notice(*, participant_id: int, notice_id: int, clock: Clock) -> Notice | NotFound:
    """Mark the participant's own notice as read (the first acknowledgement is the one kept)."""
    notice = await Notice.filter(id=notice_id, participant_id=participant_id).first()
    if notice is None:
        return NotFound("Notice", str(notice_id))
    if notice.acknowledged_at is None:
        notice.acknowledged_at = clock.now()
        await Notice.filter(id=notice.id, acknowledged_at=None).update(acknowledged_at=notice.acknowledged_at)
    return notice


async def notice_unread(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    """A notice still unacknowledged after a week: nudge the participant once."""
    notice = await Notice.filter(id=d.subject_id).first()
    if notice is None or notice.acknowledged_at is not None:
        return Firing("no nudge (the notice was read)")
    text = f'a notice is waiting for you to read it: "{notice.title}"'
    if dry_run:
        return Firing(f"would nudge: {text}")
    try:
        async with transaction() as conn:
            await Nudge.create(
                using_db=conn,
                key=d.key,
                participant_id=p.id,
                kind="notice",
                subject_id=notice.id,
                message=text[:300],
                window_ends_at=d.due_at,
                created_at=now,
            )
            await outbox.record(
                [
                    outbox.NewEvent(
                        type=outbox.NUDGE_CREATED,
                        organization_id=p.organization_id,
                        participant_id=p.id,
                        event="notice",
                        reason_code="notice_nudge",
                        occurred_at=now,
                        ref=f"notice:{notice.id}",
                    )
                ],
                conn,
            )
    except IntegrityError:
        return Firing("no nudge (already nudged)")
    await outbox.announce()
    return Firing(f"nudged: {text}")
