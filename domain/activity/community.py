"""Attendance at a mentor circle, training or webinar (Mentor Code 7, Community Engagement)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.activity.acting import Acting, text_problem
from domain.kernel.clock import Clock
from domain.kernel.rejections import ActivityRejection, NotFound, NotPermitted
from domain.models import CommunityAttendance, CommunityEventKind, Participant


@dataclass(frozen=True)
class RecordCommunityEvent:
    participant_id: int
    kind: CommunityEventKind
    title: str


async def record_community_event(
    acting: Acting, cmd: RecordCommunityEvent, clock: Clock
) -> CommunityAttendance | ActivityRejection:
    if problem := text_problem(cmd.title, "title", 200):
        return problem
    if not await Participant.filter(id=cmd.participant_id, organization_id=acting.organization_id).exists():
        return NotFound("Participant", str(cmd.participant_id))
    if not acting.may_act_for(cmd.participant_id):
        return NotPermitted("participants record their own attendance")
    return await CommunityAttendance.create(
        participant_id=cmd.participant_id, kind=cmd.kind, title=cmd.title.strip(), attended_at=clock.now()
    )
