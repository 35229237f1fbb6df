"""Protégé Code, Warning: inactivity beyond 60 days without updates hides the profile from mentors."""

from __future__ import annotations

from datetime import datetime

from domain.deadlines.firing import Firing
from domain.models import Deadline, Participant
from domain.standing.policy import TIME_POLICY
from domain.standing.rules.step import take_step


async def inactivity_warning(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    if p.standing not in {"good", "reminder"}:
        return Firing("no change (already past a warning)")
    window = TIME_POLICY.inactivity.value
    evidence = {
        "last_active_at": TIME_POLICY.last_active_for(d.due_at).isoformat(),
        "due_at": d.due_at.isoformat(),
        "inactivity_days": window.days,
    }
    return await take_step(
        p,
        "issue_warning",
        rule="inactivity_warning",
        reason=f"no activity or update for more than {window.days} days",
        evidence=evidence,
        now=now,
        dry_run=dry_run,
        policy_version=TIME_POLICY.version,
    )
