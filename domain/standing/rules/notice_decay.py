"""Mentor Code, First Notice: a notice lapses after a period with no new violation (180 days)."""

from __future__ import annotations

from datetime import datetime

from domain.deadlines.firing import Firing
from domain.models import Deadline, Participant
from domain.standing.policy import STANDING_POLICY
from domain.standing.rules.step import take_step


async def notice_decays(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    decay = STANDING_POLICY.notice_decay.value
    if p.standing != "first_notice" or p.standing_since + decay > now:
        return Firing("no change (the notice was superseded or is not old enough)")
    evidence = {"notice_since": p.standing_since.isoformat(), "decay_days": decay.days, "due_at": d.due_at.isoformat()}
    return await take_step(
        p,
        "clear_notice",
        rule="notice_decays",
        reason=f"no new violation for {decay.days} days",
        evidence=evidence,
        now=now,
        dry_run=dry_run,
        policy_version=STANDING_POLICY.version,
    )
