"""Protégé Code, Reminder: 2+ sessions missed without notice → reschedule through admin approval.

Only no-shows that count (confirmed, not provisional, disputed or withdrawn: domain/facts) are counted."""

from __future__ import annotations

from datetime import datetime

from domain.deadlines.firing import Firing
from domain.facts.counting import uncounted_no_shows
from domain.models import Absentee, MentorshipSession, Participant, SessionStatus
from domain.standing.policy import TIME_POLICY
from domain.standing.rules.step import take_step


async def missed_sessions_reminder(protege: Participant, now: datetime) -> Firing | None:
    if protege.standing != "good":
        return None
    rule = TIME_POLICY.missed_sessions
    missed = (
        await MentorshipSession.filter(
            protege_id=protege.id,
            status=SessionStatus.NO_SHOW,
            absentee__in=[Absentee.PROTEGE, Absentee.BOTH],
            scheduled_at__gte=now - rule.window.value,
            scheduled_at__lte=now,
        )
        .exclude(id__in=uncounted_no_shows(protege.id))
        .values_list("id", flat=True)
    )
    if len(missed) < rule.count:
        return None
    evidence = {"missed_sessions": sorted(missed), "window_days": rule.window.value.days, "threshold": rule.count}
    return await take_step(
        protege,
        "send_reminder",
        rule="missed_sessions_reminder",
        reason=f"{len(missed)} sessions missed without notice in {rule.window.value.days} days",
        evidence=evidence,
        now=now,
        dry_run=False,
        policy_version=TIME_POLICY.version,
    )
