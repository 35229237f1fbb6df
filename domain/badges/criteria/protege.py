"""The protégé's Accountability Badge — Protégé Code, "Earning the Protégé Accountability Badge".

| SMART Goal Active      | At least 1 active goal created and tracked |
| Session Attendance     | Attend minimum 3 sessions over 60 days |
| Timely Response        | Respond to mentor within 48 hours, 90% of the time |
| Feedback Participation | Submit session feedback for at least 2 sessions |
| Goal Progress Update   | Log at least 1 goal progress update every 30 days |
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.badges.advice import CountInWindow, CountOverall, RateOnTime
from domain.badges.criteria.base import Criterion, Measure, count_of, days, percent
from domain.badges.criteria.mentor import QUARTER_CHOICE, answered_within_48_hours, messages_awaiting_answer
from domain.badges.metrics import Population, counts, times, window_start
from domain.models import Goal, GoalProgress, GoalStatus, MentorshipSession, SessionFeedback, SessionStatus

DAYS = timedelta(days=1)


async def active_goals(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await counts(Goal, "protege", p, status=GoalStatus.ACTIVE)


ACTIVE_GOAL = Criterion(
    key="active_goal",
    section="Protégé badge, SMART Goal Active",
    measure=Measure.COUNT,
    threshold=1,
    window=None,
    describe=lambda c: f"At least {count_of(c.threshold, 'active goal')} created and tracked.",
    metric=active_goals,
    advice=CountOverall("create or reactivate a SMART goal"),
)


async def attended_sessions(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await counts(
        MentorshipSession,
        "protege",
        p,
        status=SessionStatus.ATTENDED,
        scheduled_at__gte=window_start(c.window, now),
        scheduled_at__lte=now,
    )


async def attended_times(protege_id: int, since: datetime, now: datetime) -> list[datetime]:
    return await times(
        MentorshipSession.filter(
            protege_id=protege_id, status=SessionStatus.ATTENDED, scheduled_at__gte=since, scheduled_at__lte=now
        ),
        "scheduled_at",
    )


SESSION_ATTENDANCE = Criterion(
    key="session_attendance",
    section="Protégé badge, Session Attendance",
    measure=Measure.COUNT,
    threshold=3,
    window=60 * DAYS,
    describe=lambda c: f"Attend at least {count_of(c.threshold, 'session')} over {days(c.window)}.",
    metric=attended_sessions,
    advice=CountInWindow("attended session", "attend another session", attended_times),
)

TIMELY_RESPONSE = Criterion(
    key="timely_response",
    section="Protégé badge, Timely Response",
    measure=Measure.RATE,
    threshold=0.90,
    window=90 * DAYS,
    window_choice=QUARTER_CHOICE,
    describe=lambda c: f"Respond to mentors within 48 hours, {percent(c.threshold)} of the time.",
    metric=answered_within_48_hours,
    advice=RateOnTime("answer messages within 48 hours", messages_awaiting_answer),
)


async def sessions_with_feedback(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await counts(SessionFeedback, "session__protege", p)


FEEDBACK_PARTICIPATION = Criterion(
    key="feedback_participation",
    section="Protégé badge, Feedback Participation",
    measure=Measure.COUNT,
    threshold=2,
    window=None,
    window_choice="the Code names no window",
    describe=lambda c: f"Submit session feedback for at least {count_of(c.threshold, 'session')}.",
    metric=sessions_with_feedback,
    advice=CountOverall("submit feedback after your sessions"),
)


async def progress_updates(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await counts(GoalProgress, "author", p, created_at__gte=window_start(c.window, now), created_at__lte=now)


async def progress_times(author_id: int, since: datetime, now: datetime) -> list[datetime]:
    return await times(
        GoalProgress.filter(author_id=author_id, created_at__gte=since, created_at__lte=now), "created_at"
    )


GOAL_PROGRESS = Criterion(
    key="goal_progress",
    section="Protégé badge, Goal Progress Update",
    measure=Measure.COUNT,
    threshold=1,
    window=30 * DAYS,
    describe=lambda c: f"Log at least {count_of(c.threshold, 'goal progress update')} every {days(c.window)}.",
    metric=progress_updates,
    advice=CountInWindow("goal progress update", "log a progress update", progress_times),
)

CRITERIA = (ACTIVE_GOAL, SESSION_ATTENDANCE, TIMELY_RESPONSE, FEEDBACK_PARTICIPATION, GOAL_PROGRESS)
