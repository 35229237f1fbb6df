"""Suggesting mentors to a protégé who needs one: mentors in good standing, with availability ahead and an
offering, badge holders first (the Code's "priority listing"), then the least loaded. A mentor barred from
contact with the protégé is never suggested."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.badges.machine import HELD
from domain.kernel.roles import Role
from domain.models import (
    AvailabilityWindow,
    BadgeRecord,
    MentorshipSession,
    Participant,
    ServiceOffering,
    SessionStatus,
)
from domain.protection.no_contact import barred_from

MAX_SUGGESTIONS = 50


@dataclass(frozen=True)
class Suggestion:
    mentor: Participant
    badge_holder: bool
    available_until: datetime
    offerings: list[str]
    upcoming_sessions: int  # how loaded the mentor is


async def suggested_mentors(protege: Participant, now: datetime, first: int = 10) -> list[Suggestion]:
    org = protege.organization_id
    open_windows = await AvailabilityWindow.filter(mentor__organization_id=org, ends_at__gt=now).values_list(
        "mentor_id", "ends_at"
    )
    available: dict[int, datetime] = {}
    for mentor_id, ends_at in open_windows:
        available[mentor_id] = max(ends_at, available.get(mentor_id, ends_at))
    offerings: dict[int, list[str]] = {}
    for mentor_id, title in await ServiceOffering.filter(mentor_id__in=list(available), active=True).values_list(
        "mentor_id", "title"
    ):
        offerings.setdefault(mentor_id, []).append(title)
    barred = await barred_from(protege.id, now)
    mentors = await Participant.filter(
        organization_id=org, role=Role.MENTOR, standing="good", id__in=[m for m in available if m in offerings]
    ).exclude(id__in=sorted(barred) or [0])
    ids = [m.id for m in mentors]
    holders = set(
        await BadgeRecord.filter(participant_id__in=ids, state__in=sorted(HELD)).values_list(
            "participant_id", flat=True
        )
    )
    load: dict[int, int] = dict.fromkeys(ids, 0)
    upcoming = MentorshipSession.filter(mentor_id__in=ids, status=SessionStatus.BOOKED, scheduled_at__gt=now)
    for mentor_id in await upcoming.values_list("mentor_id", flat=True):
        load[int(mentor_id)] += 1  # type: ignore[call-overload]
    ranked = sorted(mentors, key=lambda m: (m.id not in holders, load[m.id], m.id))
    return [
        Suggestion(m, m.id in holders, available[m.id], sorted(offerings[m.id]), load[m.id])
        for m in ranked[: max(1, min(first, MAX_SUGGESTIONS))]
    ]
