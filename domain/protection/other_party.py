"""When a mentor is suspended or removed, or a protégé made ineligible, the other side of their sessions is
protected, in the same transaction as the step: their future sessions together are cancelled by the
platform (`cancellation` says why, and no metric or rule counts such a cancellation against either side),
each other party gets a notice and a `protection.applied` event, and a mentor's protégés have their clocks
paused for the suspension (as excused leave pauses them) and, after a removal, are flagged for a rematch."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.events import outbox
from domain.kernel.roles import Role
from domain.models import ExcusedLeave, Goal, GoalStatus, MentorshipSession, Participant, SessionStatus
from domain.notices.issuing import render_protection, store
from domain.protection.policy import PROTECTION_POLICY

# The steps that protect the other party, and how the platform cancels their sessions.
PROTECTING = {"suspend": "mentor_suspended", "remove": "mentor_removed", "mark_ineligible": "protege_ineligible"}
PAUSED_BY = "system:other_party_protection"


async def protect_other_party(
    sanctioned: Participant, event: str, until: datetime | None, now: datetime, conn: Any
) -> list[int]:
    """Protect everyone on the other side of `sanctioned`'s sessions; returns who was protected."""
    cancellation = PROTECTING[event]
    mentor_side = Role(sanctioned.role) is Role.MENTOR
    mine = {"mentor_id" if mentor_side else "protege_id": sanctioned.id}
    booked = MentorshipSession.filter(**mine, status=SessionStatus.BOOKED, scheduled_at__gt=now).using_db(conn)
    sessions = await booked
    others = {s.protege_id if mentor_side else s.mentor_id for s in sessions}
    if mentor_side:  # protégés whose goals the mentor tracks lose their mentor too
        tracked = Goal.filter(mentor_id=sanctioned.id, status=GoalStatus.ACTIVE).using_db(conn)
        others |= {int(i) for i in await tracked.values_list("protege_id", flat=True)}  # type: ignore[call-overload]
    if sessions:
        await (
            MentorshipSession.filter(id__in=[s.id for s in sessions])
            .using_db(conn)
            .update(status=SessionStatus.CANCELLED, cancellation=cancellation, outcome_at=now)
        )
    pause_until = until if event == "suspend" else now + PROTECTION_POLICY.rematch_pause.value
    for other_id in sorted(others):
        other = await Participant.filter(id=other_id).using_db(conn).get()
        cancelled = sum(1 for s in sessions if other_id in (s.protege_id, s.mentor_id))
        if mentor_side and pause_until is not None:
            await ExcusedLeave.create(
                using_db=conn,
                participant_id=other_id,
                starts_at=now,
                ends_at=pause_until,
                created_at=now,
                reason="your mentor is not available: your clocks pause meanwhile",
                granted_by=PAUSED_BY,
            )
        if event == "remove":
            await Participant.filter(id=other_id).using_db(conn).update(needs_rematch=True)
        key = "mentor_unavailable" if mentor_side else "protege_unavailable"
        rendered = await render_protection(
            other, key, sanctioned.display_name, cancelled, pause_until if event == "suspend" else None, now, conn
        )
        await store(other, rendered, now, conn)
        await outbox.record(
            [
                outbox.NewEvent(
                    type=outbox.PROTECTION_APPLIED,
                    organization_id=other.organization_id,
                    participant_id=other_id,
                    event=cancellation,
                    reason_code=f"protection.{cancellation}",
                    occurred_at=now,
                    ref=f"sessions_cancelled:{cancelled}",
                )
            ],
            conn,
        )
    return sorted(others)
