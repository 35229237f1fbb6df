"""What a participant needs to do to earn or keep the badge, and by when.

For each criterion that is unmet or about to lapse, one piece of advice: for example "your 3rd
attended session in 60 days ages out on 12 May: attend another by then to keep the badge".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.badge_policy import BadgePolicy, Criterion, Measure
from domain.models import (
    CommunityAttendance, GoalProgress, MentorshipSession, Message, Participant, SessionStatus,
)

ABOUT_TO_LAPSE = timedelta(days=14)


@dataclass(frozen=True)
class Advice:
    criterion: str
    message: str
    due_by: datetime | None


@dataclass(frozen=True)
class Counted:
    noun: str    # what is counted, e.g. "attended session"
    action: str  # what to do about it, e.g. "attend another session"
    times: Callable[[Participant, datetime], Awaitable[list[datetime]]]


async def _booked(p: Participant, since: datetime) -> list[datetime]:
    return await MentorshipSession.filter(mentor_id=p.id, scheduled_at__gte=since).exclude(
        status=SessionStatus.CANCELLED).order_by("-scheduled_at").values_list("scheduled_at", flat=True)


async def _attended(p: Participant, since: datetime) -> list[datetime]:
    return await MentorshipSession.filter(protege_id=p.id, status=SessionStatus.ATTENDED,
                                          scheduled_at__gte=since).order_by("-scheduled_at").values_list("scheduled_at", flat=True)


async def _community(p: Participant, since: datetime) -> list[datetime]:
    return await CommunityAttendance.filter(participant_id=p.id, attended_at__gte=since).order_by(
        "-attended_at").values_list("attended_at", flat=True)


async def _progress(p: Participant, since: datetime) -> list[datetime]:
    return await GoalProgress.filter(author_id=p.id, created_at__gte=since).order_by(
        "-created_at").values_list("created_at", flat=True)


WINDOWED: dict[str, Counted] = {
    "reliable_scheduling": Counted("booked session", "book another session", _booked),
    "session_attendance": Counted("attended session", "attend another session", _attended),
    "community_engagement": Counted("community event", "attend a mentor circle, training or webinar", _community),
    "goal_progress": Counted("goal progress update", "log a progress update", _progress),
}
UNWINDOWED_ACTIONS = {
    "smart_goals": "track at least 3 active goals, each linked to a session",
    "active_goal": "create or reactivate a SMART goal",
    "feedback_participation": "submit feedback after your sessions",
    "responsiveness": "answer messages within 48 hours",
    "timely_response": "answer messages within 48 hours",
    "session_reporting": "submit session notes within 48 hours of each session",
}


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


async def advise(participant: Participant, policy: BadgePolicy, evidence: list[dict], now: datetime) -> list[Advice]:
    met = {item["key"]: item for item in evidence}
    advice: list[Advice] = []
    for criterion in policy.criteria:
        item = met.get(criterion.key)
        if item is None:
            continue
        if criterion.key in WINDOWED and criterion.window:
            piece = await _windowed(participant, criterion, WINDOWED[criterion.key], item, now)
        elif not item["met"]:
            piece = await _unwindowed(participant, criterion, item)
        else:
            piece = None
        if piece:
            advice.append(piece)
    return advice


async def _windowed(p: Participant, c: Criterion, counted: Counted, item: dict, now: datetime) -> Advice | None:
    days = c.window.days  # type: ignore[union-attr]
    times = await counted.times(p, now - c.window)  # type: ignore[operator]
    needed = int(c.threshold)
    if item.get("note"):
        return Advice(c.key, f"{item['note']}: add availability to your calendar", now)
    if len(times) >= needed:
        lapses_at = times[needed - 1] + c.window  # type: ignore[operator]
        if lapses_at - now > ABOUT_TO_LAPSE:
            return None
        return Advice(c.key, f"Your {_ordinal(needed)} {counted.noun} in {days} days ages out on "
                             f"{lapses_at:%d %B}: {counted.action} by then to keep the badge.", lapses_at)
    missing = needed - len(times)
    by = times[-1] + c.window if times else None  # type: ignore[operator]
    return Advice(c.key, f"You have {len(times)} of {needed} {counted.noun}s in the last {days} days: "
                         f"{counted.action}" + (f" ({missing} more)" if missing > 1 else "") + ".", by)


async def _unwindowed(p: Participant, c: Criterion, item: dict) -> Advice:
    due_by = None
    if c.measure is Measure.RATE:
        pending = await Message.filter(recipient_id=p.id, responded_at=None).order_by("respond_by").values_list(
            "respond_by", flat=True)
        due_by = pending[0] if pending else None
    value = item.get("value")
    shown = f"{value:.0%} against {c.threshold:.0%}" if c.measure is Measure.RATE and value is not None else (
        f"{value:g} of {c.threshold:g}" if value is not None else "")
    return Advice(c.key, f"{UNWINDOWED_ACTIONS[c.key].capitalize()} ({shown}).", due_by)
