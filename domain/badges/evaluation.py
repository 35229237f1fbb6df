"""Evaluating Accountability Badges: measure every criterion, then let the badge machine award or revoke.

`evaluate_badges` serves the nightly whole-population run and the on-demand run after an activity.
Grants, lapses into risk, cures and revocations are logged in the transition log like standing
transitions. A lapse starts a cure window (`domain.badges.grace`) rather than taking the badge at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.badges.criteria.base import Criterion, Measure
from domain.badges.grace import cure_window_evidence, schedule_cure
from domain.badges.machine import decide
from domain.badges.metrics import Population
from domain.badges.overrides import policy_for
from domain.badges.policy import BadgePolicy
from domain.deadlines.leave import paused_time
from domain.events import outbox
from domain.infra.db import transaction
from domain.infra.observe import TRANSITION, observe_after_commit
from domain.kernel.actors import Actor
from domain.kernel.clock import Clock
from domain.kernel.roles import Role
from domain.models import BadgeRecord, Organization, Participant, TransitionRecord

BADGE_RULE = "badge_evaluation"
# Standings in which no badge can be held: the Code removes it on ineligibility, and a removed
# mentor is off the platform.
NO_BADGE_STANDINGS = {Role.MENTOR: {"removed"}, Role.PROTEGE: {"ineligible"}}
# A statement takes at most 32,767 parameters (PostgreSQL's wire protocol): statements that list members'
# ids (excused leave, locking the badge rows) go by batches of this many, each written in its own transaction.
BATCH = 10_000


@dataclass(frozen=True)
class CriterionResult:
    key: str
    description: str
    met: bool
    value: float | None
    threshold: float
    window_start: datetime | None
    window_end: datetime
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "description": self.description,
            "met": self.met,
            "value": self.value,
            "threshold": self.threshold,
            "window_start": self.window_start.isoformat() if self.window_start else None,
            "window_end": self.window_end.isoformat(),
            "note": self.note,
        }


@dataclass(frozen=True)
class BadgeChange:
    participant_id: int
    event: str  # award | revoke
    from_state: str
    to_state: str


async def measure_population(
    policy: BadgePolicy, population: Population, members: list[int], now: datetime
) -> dict[int, list[CriterionResult]]:
    """Every criterion for every member: one query per criterion, whatever the population size."""
    values = {c.key: await c.metric(c, population, now) for c in policy.criteria}
    holders = {c.key: await c.requires.holders(population, now) for c in policy.criteria if c.requires}
    results: dict[int, list[CriterionResult]] = {}
    for member in members:
        results[member] = [_result(c, values[c.key], member, now, holders.get(c.key)) for c in policy.criteria]
    return results


def _result(
    criterion: Criterion, values: dict[int, float], member: int, now: datetime, holders: set[int] | None
) -> CriterionResult:
    value: float | None = values.get(member)
    if value is None and criterion.measure is Measure.COUNT:
        value = 0
    met, note = criterion.met(value), None
    if criterion.requires is not None and holders is not None and member not in holders:
        met, note = False, criterion.requires.note
    return CriterionResult(
        key=criterion.key,
        description=criterion.description,
        met=met,
        value=round(value, 4) if value is not None else None,
        threshold=criterion.threshold,
        window_start=now - criterion.window if criterion.window else None,
        window_end=now,
        note=note,
    )


async def evaluate_badges(
    *,
    clock: Clock,
    organization_id: int | None = None,
    participant_ids: list[int] | None = None,
) -> list[BadgeChange]:
    """Evaluate one organization, or just the given participants, and apply awards and revocations."""
    now = clock.now()
    rows = await _participants(organization_id, participant_ids)
    changes: list[BadgeChange] = []
    for (org_id, role), group in _groups(rows).items():
        policy = await policy_for(org_id, role)
        ids = tuple(p.id for p in group)
        population = Population(role, org_id, None if participant_ids is None else ids)
        measured = await measure_population(policy, population, list(ids), now)
        for start in range(0, len(group), BATCH):
            batch = group[start : start + BATCH]
            # Excused leave is left out of rolling windows: those few participants are measured again
            # with their windows stretched by the time they were away.
            away_times = await paused_time([p.id for p in batch], now - policy.longest_window, now)
            for participant_id, away in away_times.items():
                alone = Population(role, org_id, (participant_id,))
                measured.update(await measure_population(policy.stretched(away), alone, [participant_id], now))
            changes += await _apply(policy, batch, measured, now)
    return changes


async def evaluate_everyone(clock: Clock) -> list[BadgeChange]:
    """The nightly run: every organization, set-based, one at a time."""
    changes: list[BadgeChange] = []
    for organization in await Organization.all().only("id"):
        changes += await evaluate_badges(clock=clock, organization_id=organization.id)
    return changes


async def _participants(organization_id: int | None, participant_ids: list[int] | None) -> list[Participant]:
    query = Participant.all()
    if organization_id is not None:
        query = query.filter(organization_id=organization_id)
    if participant_ids is not None:
        query = query.filter(id__in=participant_ids)
    return await query


def _groups(rows: list[Participant]) -> dict[tuple[int, Role], list[Participant]]:
    groups: dict[tuple[int, Role], list[Participant]] = {}
    for row in rows:
        groups.setdefault((row.organization_id, Role(row.role)), []).append(row)
    return groups


async def _apply(
    policy: BadgePolicy, group: list[Participant], measured: dict[int, list[CriterionResult]], now: datetime
) -> list[BadgeChange]:
    """Write every member's evidence and any award, lapse, cure or revocation in bulk, in one transaction
    (a batch of at most BATCH members).

    The badge rows are locked (in participant order, so two evaluations never deadlock) before the machine
    decides from their states: a concurrent evaluation (the nightly run and a cure deadline, an activity's
    on-demand run) waits, then decides from what this one wrote, and no change is logged twice."""
    async with transaction() as conn:
        locked = (
            BadgeRecord.filter(participant_id__in=[p.id for p in group])
            .order_by("participant_id")
            .select_for_update(no_key=True)
            .using_db(conn)
        )
        records = {b.participant_id: b for b in await locked}
        changes, created, logs, at_risk = _decide_all(policy, group, measured, records, now)
        if created:
            await BadgeRecord.bulk_create(created, using_db=conn, batch_size=500)
        existing = [r for r in records.values()]
        if existing:
            await BadgeRecord.bulk_update(existing, fields=UPDATED_FIELDS, using_db=conn, batch_size=500)
        if logs:
            await TransitionRecord.bulk_create(logs, using_db=conn, batch_size=500)
            await outbox.record([badge_event_row(log) for log in logs], conn)
        for record in at_risk:
            await schedule_cure(record, now, conn)
        for log in logs:
            await observe_after_commit(
                TRANSITION,
                machine=log.machine,
                from_state=log.from_state,
                to_state=log.to_state,
                event=log.event,
                actor_kind=log.actor_kind,
            )
    if logs:
        await outbox.announce()
    return changes


def _decide_all(
    policy: BadgePolicy,
    group: list[Participant],
    measured: dict[int, list[CriterionResult]],
    records: dict[int, BadgeRecord],
    now: datetime,
) -> tuple[list[BadgeChange], list[BadgeRecord], list[TransitionRecord], list[BadgeRecord]]:
    """Let the badge machine decide each member's badge: (changes, new records, log rows, badges put at risk)."""
    changes: list[BadgeChange] = []
    created: list[BadgeRecord] = []
    logs: list[TransitionRecord] = []
    at_risk: list[BadgeRecord] = []
    for participant in group:
        results = measured.get(participant.id, [])
        forbidden = participant.standing in NO_BADGE_STANDINGS[policy.role]
        record = records.get(participant.id)
        if record is None:
            record = BadgeRecord(participant_id=participant.id, state="none", since=now)
            created.append(record)
        criteria = [r.as_json() for r in results]
        record.policy_version, record.evaluated_at, record.criteria = policy.version, now, criteria
        cure_passed = record.cure_by is not None and now >= record.cure_by
        decision = decide(record.state, all(r.met for r in results), forbidden, cure_passed)
        if decision is None:
            continue
        event, new_state = decision
        evidence: dict[str, Any] = {"criteria": criteria}
        if event == "lapse":
            record.cure_by = now + policy.cure_window
            at_risk.append(record)
        if record.state == "at_risk" or event == "lapse":
            evidence["cure_window"] = cure_window_evidence(record, now, policy.cure_window)
        changes.append(BadgeChange(participant.id, event, record.state, new_state))
        logs.append(badge_log_row(participant, event, record.state, new_state, evidence, policy.version, now))
        record.state, record.since = new_state, now
        if event != "lapse":
            record.cure_by = None
        if event == "award":
            record.awarded_at, record.certificate_code = now, secrets.token_hex(8)
    return changes, created, logs, at_risk


def badge_event_row(log: TransitionRecord) -> outbox.NewEvent:
    return outbox.NewEvent(
        type=outbox.BADGE_CHANGED,
        organization_id=log.organization_id,
        participant_id=log.participant_id,
        machine=log.machine,
        event=log.event,
        from_state=log.from_state,
        to_state=log.to_state,
        reason_code=outbox.reason_code(log.actor_kind, log.actor_id, log.event),
        occurred_at=log.occurred_at,
    )


UPDATED_FIELDS = [
    "state",
    "since",
    "policy_version",
    "evaluated_at",
    "criteria",
    "certificate_code",
    "awarded_at",
    "cure_by",
]


async def revoke_for_standing(participant: Participant, now: datetime, conn, actor: Actor, reason: str) -> bool:
    """Take the badge away when standing no longer allows one (a protégé made ineligible)."""
    if participant.standing not in NO_BADGE_STANDINGS[Role(participant.role)]:
        return False
    record = (
        await BadgeRecord.filter(participant_id=participant.id).select_for_update(no_key=True).using_db(conn).first()
    )
    decision = decide(record.state, eligible=False, forbidden=True) if record else None
    if record is None or decision is None:
        return False
    event, new_state = decision
    row = badge_log_row(
        participant,
        event,
        record.state,
        new_state,
        {"criteria": record.criteria},
        record.policy_version,
        now,
        actor=actor,
        reason=f"standing became {participant.standing}: {reason}",
    )
    record.state, record.since, record.cure_by = new_state, now, None
    await record.save(using_db=conn)
    await row.save(using_db=conn)
    await outbox.record([badge_event_row(row)], conn)  # announced with the standing change that caused it
    return True


BADGE_REASONS = {
    "award": "every criterion met",
    "lapse": "a criterion is no longer met: the badge is at risk until the cure date",
    "cure": "every criterion met again within the cure window",
    "revoke": "the cure date passed with a criterion still unmet",
}


def badge_log_row(
    participant: Participant,
    event: str,
    from_state: str,
    to_state: str,
    evidence: dict[str, Any],
    policy_version: str,
    now: datetime,
    actor: Actor | None = None,
    reason: str | None = None,
) -> TransitionRecord:
    """A transition log row for a badge grant or revocation (not yet saved)."""
    actor = actor or Actor.system(BADGE_RULE)
    return TransitionRecord(
        organization_id=participant.organization_id,
        participant_id=participant.id,
        machine=f"{Role(participant.role).value}_badge",
        from_state=from_state,
        to_state=to_state,
        event=event,
        actor_kind=actor.kind.value,
        actor_id=actor.id,
        reason=reason or BADGE_REASONS[event],
        evidence=evidence,
        policy_version=policy_version,
        occurred_at=now,
    )
