"""Mentor Code, Second Notice: a suspension is temporary. At its end visibility returns; the notice stays."""

from __future__ import annotations

from datetime import datetime

from domain.deadlines.firing import Firing
from domain.models import Deadline, Participant
from domain.standing.policy import STANDING_POLICY
from domain.standing.rules.step import take_step


async def suspension_ends(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    if p.standing != "suspended" or p.suspended_until is None or p.suspended_until > now:
        return Firing("no change (no suspension ends now)")
    evidence = {"suspended_until": p.suspended_until.isoformat(), "due_at": d.due_at.isoformat()}
    return await take_step(
        p,
        "lift_suspension",
        rule="suspension_ends",
        reason="the suspension reached its end time",
        evidence=evidence,
        now=now,
        dry_run=dry_run,
        policy_version=STANDING_POLICY.version,
    )
