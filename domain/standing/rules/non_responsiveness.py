"""Protégé Code, Ineligibility: repeated non-responsiveness (3 lapsed 48-hour windows in 60 days) makes a
protégé ineligible and sends them to program review. Each counted lapse also counts in the badge's response
rate. A lapse counts once its dispute window closes undisputed, or its dispute is upheld (domain/facts)."""

from __future__ import annotations

from datetime import datetime

from domain.deadlines.firing import Firing
from domain.facts.counting import counted_lapse
from domain.facts.recording import record_lapse
from domain.kernel.roles import Role
from domain.models import Deadline, Message, Participant
from domain.standing.policy import TIME_POLICY
from domain.standing.rules.step import take_step


async def response_lapses(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    """A response window closed unanswered: the lapse is recorded as a provisional fact, which counts toward
    non-responsiveness (and the badge's response rate) once its dispute window closes (domain/facts)."""
    message = await Message.filter(id=d.subject_id).first()
    if message is None or (message.responded_at is not None and message.responded_at <= message.respond_by):
        return Firing("no change (answered in time)")
    if dry_run:
        return Firing("would record the lapse, provisional for its dispute window")
    fact = await record_lapse(message, now)
    if fact is None:
        return Firing("lapse already recorded")
    return Firing(f"lapse recorded, provisional until {fact.dispute_until:%-d %B %H:%M} UTC")


async def non_responsiveness(p: Participant, now: datetime, *, dry_run: bool) -> Firing:
    """Three counted lapses in 60 days make a protégé ineligible and send them to program review."""
    if Role(p.role) is not Role.PROTEGE or p.standing == "ineligible":
        return Firing("no change (not a protégé who can be made ineligible)")
    rule = TIME_POLICY.non_responsiveness
    since = now - rule.window.value
    windows = await Message.filter(counted_lapse(now), recipient_id=p.id, respond_by__gte=since, respond_by__lte=now)
    lapsed = [m for m in windows if m.responded_at is None or m.responded_at > m.respond_by]
    if len(lapsed) < rule.count:
        return Firing(f"lapsed ({len(lapsed)} of {rule.count} lapses in {rule.window.value.days} days)")
    evidence = {
        "lapsed_messages": sorted(m.id for m in lapsed),
        "window_days": rule.window.value.days,
        "threshold": rule.count,
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
