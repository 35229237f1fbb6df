"""Excused leave: an admin pauses a participant's clocks (Standing's reading of "reschedule in advance")."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.kernel.actors import Actor
from domain.kernel.clock import Clock
from domain.kernel.instants import instant_problem
from domain.kernel.rejections import InvalidInput, NotFound
from domain.kernel.text import reason_problem
from domain.models import ExcusedLeave, Participant

MAX_LEAVE = timedelta(days=365)


async def grant_leave(
    *,
    organization_id: int,
    participant_id: int,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    granted_by: Actor,
    clock: Clock,
) -> ExcusedLeave | InvalidInput | NotFound:
    if (problem := reason_problem(reason, required=True)) is not None:
        return problem
    for field, moment in (("startsAt", starts_at), ("endsAt", ends_at)):
        if (problem := instant_problem(moment, field)) is not None:
            return problem
    if ends_at <= starts_at:
        return InvalidInput("endsAt", "must be after startsAt")
    if ends_at - starts_at > MAX_LEAVE:
        return InvalidInput("endsAt", "a leave lasts at most a year")
    if not await Participant.filter(id=participant_id, organization_id=organization_id).exists():
        return NotFound("Participant", str(participant_id))
    return await ExcusedLeave.create(
        participant_id=participant_id,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip(),
        granted_by=granted_by.id,
        created_at=clock.now(),
    )


async def paused_due_at(participant_id: int, armed_at: datetime, base_due_at: datetime) -> datetime:
    """When a clock started at `armed_at` and due at `base_due_at` really falls due, if it stands still
    whenever the participant is on leave: the due time moves back by every leave it runs into."""
    leaves = await ExcusedLeave.filter(participant_id=participant_id, ends_at__gt=armed_at).order_by("starts_at")
    due_at = base_due_at
    for leave in leaves:
        if leave.starts_at >= due_at:
            break
        overlap = leave.ends_at - max(leave.starts_at, armed_at)
        due_at += max(overlap, timedelta(0))
    return due_at


async def paused_time(participant_ids: list[int], start: datetime, end: datetime) -> dict[int, timedelta]:
    """How much of [start, end] each participant spent on leave: rolling windows stretch by that much."""
    leaves = await ExcusedLeave.filter(participant_id__in=participant_ids, starts_at__lt=end, ends_at__gt=start)
    paused: dict[int, timedelta] = {}
    for leave in leaves:
        overlap = min(leave.ends_at, end) - max(leave.starts_at, start)
        paused[leave.participant_id] = paused.get(leave.participant_id, timedelta(0)) + overlap
    return paused
