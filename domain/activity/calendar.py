"""A mentor's calendar and service offerings (Mentor Code 3 and 8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.activity.acting import Acting, first_problem, member, text_problem
from domain.kernel.clock import Clock
from domain.kernel.instants import instant_problem
from domain.kernel.rejections import ActivityRejection, InvalidInput, NotPermitted
from domain.kernel.roles import Role
from domain.kernel.text import free_text_problem
from domain.models import AvailabilityWindow, Participant, ServiceOffering

MAX_DESCRIPTION = 2000  # what an offering covers, in a paragraph or two


@dataclass(frozen=True)
class AddAvailability:
    mentor_id: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class CreateServiceOffering:
    mentor_id: int
    title: str
    description: str = ""
    duration_minutes: int = 60


async def add_availability(
    acting: Acting, cmd: AddAvailability, clock: Clock
) -> AvailabilityWindow | ActivityRejection:
    if problem := first_problem(instant_problem(cmd.starts_at, "startsAt"), instant_problem(cmd.ends_at, "endsAt")):
        return problem
    if cmd.ends_at <= cmd.starts_at:
        return InvalidInput("endsAt", "must be after startsAt")
    if cmd.ends_at <= clock.now():
        return InvalidInput("endsAt", "an availability window must end in the future")
    mentor = await member(acting, cmd.mentor_id, Role.MENTOR, "mentorId")
    if not isinstance(mentor, Participant):
        return mentor
    if not acting.may_act_for(cmd.mentor_id):
        return NotPermitted("only the mentor or an admin may set this calendar")
    return await AvailabilityWindow.create(
        mentor_id=cmd.mentor_id, starts_at=cmd.starts_at, ends_at=cmd.ends_at, created_at=clock.now()
    )


async def create_service_offering(
    acting: Acting, cmd: CreateServiceOffering, clock: Clock
) -> ServiceOffering | ActivityRejection:
    problem = first_problem(
        text_problem(cmd.title, "title", 200),
        free_text_problem(cmd.description, "description", limit=MAX_DESCRIPTION, required=False),
        InvalidInput("durationMinutes", "between 15 and 480") if not 15 <= cmd.duration_minutes <= 480 else None,
    )
    if problem:
        return problem
    mentor = await member(acting, cmd.mentor_id, Role.MENTOR, "mentorId")
    if not isinstance(mentor, Participant):
        return mentor
    if not acting.may_act_for(cmd.mentor_id):
        return NotPermitted("only the mentor or an admin may create this offering")
    return await ServiceOffering.create(
        mentor_id=cmd.mentor_id,
        title=cmd.title.strip(),
        description=cmd.description.strip(),
        duration_minutes=cmd.duration_minutes,
        created_at=clock.now(),
    )
