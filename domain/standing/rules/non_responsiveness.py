"""Protégé Code, Ineligibility: repeated non-responsiveness (3 lapsed 48-hour windows in 60 days) makes a
protégé ineligible and sends them to program review. Each lapse also counts in the badge's response rate."""

from __future__ import annotations

from datetime import datetime

from domain.deadlines.firing import Firing
from domain.kernel.roles import Role
from domain.models import Deadline, Message, Participant
from domain.standing.policy import TIME_POLICY
from domain.standing.rules.step import take_step


async def response_lapses(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    message = await Message.filter(id=d.subject_id).first()
    if message is None or (message.responded_at is not None and message.responded_at <= message.respond_by):
        return Firing("no change (answered in time)")
    if Role(p.role) is not Role.PROTEGE or p.standing == "ineligible":
        return Firing("lapsed (counted in the response-rate metric)")
    rule = TIME_POLICY.non_responsiveness
    since = now - rule.window.value
    windows = await Message.filter(recipient_id=p.id, respond_by__gte=since, respond_by__lte=now)
    lapsed = [m for m in windows if m.responded_at is None or m.responded_at > m.respond_by]
    if len(lapsed) < rule.count:
        return Firing(f"lapsed ({len(lapsed)} of {rule.count} lapses in {rule.window.value.days} days)")
    evidence = {
        "lapsed_messages": [m.id for m in lapsed],
        "window_days": rule.window.value.days,
        "threshold": rule.count,
        "due_at": d.due_at.isoformat(),
    }
    firing = await take_step(
        p,
        "mark_ineligible",
        rule="non_responsiveness",
        reason=f"{len(lapsed)} response windows lapsed in {rule.window.value.days} days; sent to program review",
        evidence=evidence,
        now=now,
        dry_run=dry_run,
        policy_version=TIME_POLICY.version,
    )
    if firing.transition and not dry_run:
        await Participant.filter(id=p.id).update(program_review=True)
    return firing
