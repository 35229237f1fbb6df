"""What a finished demo holds: standings, badges and rows by kind, and its printed summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from tortoise.functions import Count

from domain.cases.machine import ACTIVE_STATES
from domain.kernel.roles import Role
from domain.models import (
    AdminNudge,
    Appeal,
    AvailabilityWindow,
    BadgeRecord,
    Case,
    CommunityAttendance,
    Concern,
    Deadline,
    ExcusedLeave,
    Goal,
    GoalProgress,
    MentorshipSession,
    Message,
    Nudge,
    Organization,
    Participant,
    ServiceOffering,
    SessionFeedback,
    SessionNote,
    SessionStatus,
    TransitionRecord,
)
from domain.standing.machines import MACHINES


@dataclass
class DemoResult:
    organization: Organization
    admin_token: str
    standings: dict[tuple[str, str], int]  # (role, state) -> participants
    badges: dict[tuple[str, str], int]  # (role, badge status) -> participants
    rows: dict[str, int]  # what was recorded, by kind
    rejected: Counter = field(
        default_factory=Counter
    )  # activity the use cases refused (e.g. booking a suspended mentor)

    def summary(self) -> list[str]:
        lines = [
            f"organization '{self.organization.slug}' ({self.organization.name}, id {self.organization.id}): "
            f"{self.rows['mentors']} mentors, {self.rows['proteges']} protégés"
        ]
        for role in Role:
            states = ", ".join(
                f"{state} {self.standings.get((role.value, state), 0)}" for state in MACHINES[role].state_ids()
            )
            badges = ", ".join(
                f"{status} {self.badges.get((role.value, status), 0)}"
                for status in ("none", "awarded", "at_risk", "revoked")
            )
            lines.append(f"  {role.value} standing: {states}; badge: {badges}")
        activity_rows = ", ".join(
            f"{n} {kind.replace('_', ' ')}" for kind, n in self.rows.items() if kind not in {"mentors", "proteges"}
        )
        lines.append(f"  recorded: {activity_rows}")
        return lines


async def census(organization_id: int, now: datetime) -> dict[str, dict]:
    """What an organization holds: standings and badge statuses by role, and its rows by kind."""
    standings: Counter = Counter()
    for row in (
        await Participant.filter(organization_id=organization_id)
        .group_by("role", "standing")
        .annotate(n=Count("id"))
        .values("role", "standing", "n")
    ):
        standings[(Role(row["role"]).value, row["standing"])] += row["n"]
    badges: Counter = Counter()
    roles = dict(await Participant.filter(organization_id=organization_id).values_list("id", "role"))
    held = dict(await BadgeRecord.filter(participant_id__in=list(roles)).values_list("participant_id", "state"))
    for participant_id, role in roles.items():
        badges[(Role(role).value, held.get(participant_id, "none"))] += 1
    mine = {"participant__organization_id": organization_id}
    sessions = {"session__organization_id": organization_id}
    now_messages = Message.filter(organization_id=organization_id)
    rows: dict[str, int] = {
        "mentors": standings_total(standings, Role.MENTOR),
        "proteges": standings_total(standings, Role.PROTEGE),
        "goals": await Goal.filter(organization_id=organization_id).count(),
        "progress_updates": await GoalProgress.filter(goal__organization_id=organization_id).count(),
        "availability_windows": await AvailabilityWindow.filter(mentor__organization_id=organization_id).count(),
        "offerings": await ServiceOffering.filter(mentor__organization_id=organization_id).count(),
    }
    for status in SessionStatus:
        rows[f"sessions_{status.value}"] = await MentorshipSession.filter(
            organization_id=organization_id, status=status
        ).count()
    rows["notes_on_time"] = await SessionNote.filter(**sessions, on_time=True).count()
    rows["notes_late"] = await SessionNote.filter(**sessions, on_time=False).count()
    rows["feedback"] = await SessionFeedback.filter(**sessions).count()
    answered = await now_messages.filter(responded_at__not_isnull=True).values_list("responded_at", "respond_by")
    rows["messages_answered_on_time"] = sum(1 for responded, due in answered if responded <= due)
    rows["messages_answered_late"] = sum(1 for responded, due in answered if responded > due)
    rows["messages_never_answered"] = await now_messages.filter(responded_at=None, respond_by__lte=now).count()
    rows["messages_awaiting_answer"] = await now_messages.filter(responded_at=None, respond_by__gt=now).count()
    rows["community_events"] = await CommunityAttendance.filter(**mine).count()
    rows["excused_leaves"] = await ExcusedLeave.filter(**mine).count()
    rows["nudges"] = await Nudge.filter(**mine).count()
    rows["deadlines"] = await Deadline.filter(**mine).count()
    rows["transitions"] = await TransitionRecord.filter(organization_id=organization_id).count()
    rows["concerns"] = await Concern.filter(organization_id=organization_id).count()
    cases = Case.filter(organization_id=organization_id)
    rows["cases_open"] = await cases.filter(state__in=sorted(ACTIVE_STATES)).count()
    rows["cases_handled"] = await cases.exclude(state__in=sorted(ACTIVE_STATES)).count()
    rows["appeals_open"] = await Appeal.filter(organization_id=organization_id, state="open").count()
    rows["admin_nudges"] = await AdminNudge.filter(organization_id=organization_id).count()
    return {"standings": dict(standings), "badges": dict(badges), "rows": rows}


def standings_total(standings: Counter, role: Role) -> int:
    return sum(n for (r, _), n in standings.items() if r == role.value)
