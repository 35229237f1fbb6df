"""Set-based measurement of badge criteria: one SQL statement per criterion for a whole population.

A population is either an organization's participants of one role, or a list of participant ids
(the on-demand evaluation after an activity). No Python loop over participants runs a query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import F, Q
from tortoise.functions import Count
from tortoise.models import Model

from domain.badge_policy import Criterion
from domain.models import (
    AvailabilityWindow, CommunityAttendance, Goal, GoalProgress, GoalStatus, Message, MentorshipSession,
    SessionFeedback, SessionNote, SessionStatus,
)
from domain.roles import Role


@dataclass(frozen=True)
class Population:
    role: Role
    organization_id: int | None = None
    participant_ids: tuple[int, ...] | None = None

    def q(self, path: str) -> Q:
        """Filter rows whose participant at `path` (e.g. "mentor") belongs to this population."""
        if self.participant_ids is not None:
            return Q(**{f"{path}_id__in": list(self.participant_ids)})
        return Q(**{f"{path}__organization_id": self.organization_id, f"{path}__role": self.role})


@dataclass(frozen=True)
class Measurement:
    value: float | None  # a count, a rate in 0..1, or None for a rate with nothing due
    blocker: str | None = None  # a reason the criterion fails whatever the value


Measured = dict[int, Measurement]


async def _counts(model: type[Model], path: str, population: Population, **filters) -> dict[int, int]:
    key = f"{path}_id"
    rows = await (
        model.filter(population.q(path), **filters).group_by(key).annotate(n=Count("id")).values(key, "n")
    )
    return {row[key]: row["n"] for row in rows}


async def _distinct_counts(model: type[Model], path: str, column: str, population: Population, **filters) -> dict[int, int]:
    key = f"{path}_id"
    rows = await (
        model.filter(population.q(path), **filters).group_by(key)
        .annotate(n=Count(column, distinct=True)).values(key, "n")
    )
    return {row[key]: row["n"] for row in rows}


async def _rates(model: type[Model], path: str, population: Population, on_time: Q, **filters) -> dict[int, float]:
    key = f"{path}_id"
    rows = await (
        model.filter(population.q(path), **filters).group_by(key)
        .annotate(total=Count("id"), done=Count("id", _filter=on_time)).values(key, "total", "done")
    )
    return {row[key]: row["done"] / row["total"] for row in rows if row["total"]}


def _window(criterion: Criterion, now: datetime) -> datetime | None:
    return now - criterion.window if criterion.window else None


# --- mentor ------------------------------------------------------------------------------------

async def smart_goals(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await _distinct_counts(
        MentorshipSession, "mentor", "goal_id", p, goal__status=GoalStatus.ACTIVE,
        status__not=SessionStatus.CANCELLED,
    )


async def reliable_scheduling(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await _counts(
        MentorshipSession, "mentor", p, scheduled_at__gte=_window(c, now), scheduled_at__lte=now,
        status__not=SessionStatus.CANCELLED,
    )


async def active_availability(p: Population, now: datetime) -> set[int]:
    return set(await AvailabilityWindow.filter(p.q("mentor"), ends_at__gt=now).distinct().values_list("mentor_id", flat=True))


async def responsiveness(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await _rates(
        Message, "recipient", p, Q(responded_at__lte=F("respond_by")),
        respond_by__gte=_window(c, now), respond_by__lte=now,
    )


async def session_reporting(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    # Two grouped statements: sessions whose notes fell due in the window, and notes in on time.
    due = dict(status=SessionStatus.ATTENDED, notes_due_at__gte=_window(c, now), notes_due_at__lte=now)
    totals = await _counts(MentorshipSession, "mentor", p, **due)
    on_time = await _counts(
        SessionNote, "session__mentor", p, on_time=True, **{f"session__{k}": v for k, v in due.items()}
    )
    return {mentor: on_time.get(mentor, 0) / total for mentor, total in totals.items()}


async def community_engagement(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await _counts(CommunityAttendance, "participant", p, attended_at__gte=_window(c, now), attended_at__lte=now)


# --- protégé -----------------------------------------------------------------------------------

async def active_goal(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await _counts(Goal, "protege", p, status=GoalStatus.ACTIVE)


async def session_attendance(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await _counts(
        MentorshipSession, "protege", p, status=SessionStatus.ATTENDED,
        scheduled_at__gte=_window(c, now), scheduled_at__lte=now,
    )


async def feedback_participation(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await _counts(SessionFeedback, "session__protege", p)


async def goal_progress(c: Criterion, p: Population, now: datetime) -> dict[int, float]:
    return await _counts(GoalProgress, "author", p, created_at__gte=_window(c, now), created_at__lte=now)


Metric = Callable[[Criterion, Population, datetime], Awaitable[dict[int, float]]]
METRICS: dict[str, Metric] = {
    "smart_goals": smart_goals,
    "reliable_scheduling": reliable_scheduling,
    "responsiveness": responsiveness,
    "session_reporting": session_reporting,
    "community_engagement": community_engagement,
    "active_goal": active_goal,
    "session_attendance": session_attendance,
    "timely_response": responsiveness,
    "feedback_participation": feedback_participation,
    "goal_progress": goal_progress,
}
