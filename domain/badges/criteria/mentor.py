"""The mentor's Accountability Badge — Mentor Code, "Earning the Accountability Badge".

| SMART Goal Alignment | Mentor sessions must link to active goals. 3+ tracked goals required. |
| Reliable Scheduling  | Maintain active availability with at least 3 booked sessions in a 60-day period. |
| Responsiveness       | 95%+ response rate to mentee messages within 48 hrs. |
| Session Reporting    | Submit 90% of session notes or feedback forms on time. |
| Community Engagement | Attend 1 mentor circle, training, or webinar per quarter. |
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.expressions import F, Q, Subquery

from domain.badges.advice import CountInWindow, CountOverall, RateOnTime
from domain.badges.criteria.base import Criterion, Measure, Requirement, days, percent
from domain.badges.metrics import Population, counts, distinct_counts, ids, rates, times, window_start
from domain.facts.counting import counted_lapse
from domain.models import (
    AvailabilityWindow,
    CommunityAttendance,
    GoalStatus,
    MentorshipSession,
    Message,
    SessionNote,
    SessionStatus,
)

DAYS = timedelta(days=1)
QUARTER_CHOICE = "the Code names no window, Standing uses 90 days (a quarter)"


# --- SMART Goal Alignment ------------------------------------------------------------------------


async def goals_linked_to_sessions(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await distinct_counts(
        MentorshipSession, "mentor", "goal_id", p, goal__status=GoalStatus.ACTIVE, status__not=SessionStatus.CANCELLED
    )


SMART_GOALS = Criterion(
    key="smart_goals",
    section="Mentor badge, SMART Goal Alignment: active goals tracked by the mentor and linked to a session",
    measure=Measure.COUNT,
    threshold=3,
    window=None,
    describe=lambda c: f"Mentor sessions link to active goals: {c.threshold:g}+ tracked goals.",
    metric=goals_linked_to_sessions,
    advice=CountOverall("track active goals, each linked to a session"),
)


# --- Reliable Scheduling -------------------------------------------------------------------------


async def booked_sessions(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await counts(
        MentorshipSession,
        "mentor",
        p,
        scheduled_at__gte=window_start(c.window, now),
        scheduled_at__lte=now,
        status__not=SessionStatus.CANCELLED,
    )


async def booked_times(mentor_id: int, since: datetime, now: datetime) -> list[datetime]:
    return await times(
        MentorshipSession.filter(mentor_id=mentor_id, scheduled_at__gte=since, scheduled_at__lte=now).exclude(
            status=SessionStatus.CANCELLED
        ),
        "scheduled_at",
    )


async def with_open_availability(p: Population, now: datetime) -> set[int]:
    return await ids(AvailabilityWindow.filter(p.q("mentor"), ends_at__gt=now).distinct(), "mentor_id")


RELIABLE_SCHEDULING = Criterion(
    key="reliable_scheduling",
    section="Mentor badge, Reliable Scheduling",
    measure=Measure.COUNT,
    threshold=3,
    window=60 * DAYS,
    describe=lambda c: f"Active availability and {c.threshold:g}+ booked sessions in {days(c.window)}.",
    metric=booked_sessions,
    advice=CountInWindow("booked session", "book another session", booked_times),
    requires=Requirement(
        "no active availability on the calendar", "add availability to your calendar", with_open_availability
    ),
)


# --- Responsiveness ------------------------------------------------------------------------------


async def answered_within_48_hours(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    """Messages received in the window, counted once answered in time or once their lapse counts (confirmed, or
    undisputed past its dispute window: domain/facts)."""
    on_time = Q(responded_at__lte=F("respond_by"))
    return await rates(
        Message,
        "recipient",
        p,
        on_time,
        on_time | counted_lapse(now),
        respond_by__gte=window_start(c.window, now),
    )


async def messages_awaiting_answer(recipient_id: int, now: datetime) -> list[datetime]:
    return await times(
        Message.filter(recipient_id=recipient_id, responded_at=None, respond_by__gt=now),
        "respond_by",
        newest_first=False,
    )


RESPONSIVENESS = Criterion(
    key="responsiveness",
    section="Mentor badge, Responsiveness",
    measure=Measure.RATE,
    threshold=0.95,
    window=90 * DAYS,
    window_choice=QUARTER_CHOICE,
    describe=lambda c: f"{percent(c.threshold)}+ of mentee messages answered within 48 hours.",
    metric=answered_within_48_hours,
    advice=RateOnTime("answer messages within 48 hours", messages_awaiting_answer),
)


# --- Session Reporting ---------------------------------------------------------------------------


async def notes_on_time(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    # Two grouped statements: sessions whose notes fell due in the window, and notes in on time.
    due = dict(status=SessionStatus.ATTENDED, notes_due_at__gte=window_start(c.window, now), notes_due_at__lte=now)
    totals = await counts(MentorshipSession, "mentor", p, **due)
    on_time = await counts(
        SessionNote, "session__mentor", p, on_time=True, **{f"session__{k}": v for k, v in due.items()}
    )
    return {mentor: on_time.get(mentor, 0) / total for mentor, total in totals.items()}


async def notes_falling_due(mentor_id: int, now: datetime) -> list[datetime]:
    written = Subquery(SessionNote.filter(session__mentor_id=mentor_id).values("session_id"))
    return await times(
        MentorshipSession.filter(mentor_id=mentor_id, status=SessionStatus.ATTENDED, notes_due_at__gt=now).exclude(
            id__in=written
        ),
        "notes_due_at",
        newest_first=False,
    )


SESSION_REPORTING = Criterion(
    key="session_reporting",
    section="Mentor badge, Session Reporting",
    measure=Measure.RATE,
    threshold=0.90,
    window=90 * DAYS,
    window_choice=QUARTER_CHOICE,
    describe=lambda c: f"{percent(c.threshold)} of session notes submitted on time (48 hours).",
    metric=notes_on_time,
    advice=RateOnTime("submit session notes within 48 hours of each session", notes_falling_due),
)


# --- Community Engagement ------------------------------------------------------------------------


async def community_events(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await counts(
        CommunityAttendance, "participant", p, attended_at__gte=window_start(c.window, now), attended_at__lte=now
    )


async def community_times(participant_id: int, since: datetime, now: datetime) -> list[datetime]:
    return await times(
        CommunityAttendance.filter(participant_id=participant_id, attended_at__gte=since, attended_at__lte=now),
        "attended_at",
    )


def _per_quarter(c: Criterion) -> str:
    span = "per quarter" if c.window == 90 * DAYS else f"every {days(c.window)}"
    events = "mentor circle, training or webinar" if c.threshold == 1 else "mentor circles, trainings or webinars"
    return f"{c.threshold:g} {events} {span}."


COMMUNITY_ENGAGEMENT = Criterion(
    key="community_engagement",
    section="Mentor badge, Community Engagement",
    measure=Measure.COUNT,
    threshold=1,
    window=90 * DAYS,
    window_choice="a quarter is a rolling 90 days",
    describe=_per_quarter,
    metric=community_events,
    advice=CountInWindow("community event", "attend a mentor circle, training or webinar", community_times),
)

CRITERIA = (SMART_GOALS, RELIABLE_SCHEDULING, RESPONSIVENESS, SESSION_REPORTING, COMMUNITY_ENGAGEMENT)
