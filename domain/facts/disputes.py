"""Disputing a recorded fact, conceding a dispute, withdrawing a fact, and an admin's resolution: each one step
of the fact machine, in one transaction with what the settled fact changes (domain/facts/consequences.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.facts.machine import FactContext, FactMachine
from domain.facts.policy import FACT_POLICY
from domain.facts.recording import fact_event
from domain.infra.db import Refused, atomically
from domain.infra.stepping import step_or_refuse
from domain.kernel.actors import Actor, ActorKind
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound, StaleVersion
from domain.kernel.text import NUL_PROBLEM, has_nul, reason_problem
from domain.models import RecordedFact, TransitionRecord


@dataclass(frozen=True)
class FactActor:
    actor: Actor
    person: int | None  # the participant acting, for a participant token
    organization_id: int


@dataclass(frozen=True)
class FactSettled:
    fact: RecordedFact
    steps: list[TransitionRecord]  # a reversal the withdrawal caused, if any


RESOLUTIONS = {"upheld": "uphold", "withdrawn": "reject"}


async def dispute_fact(fact_id: int, statement: str, *, by: FactActor, clock: Clock) -> FactSettled | Any:
    text = statement.strip()
    if not text or len(text) > FACT_POLICY.max_statement:
        return InvalidInput("statement", f"say why, in at most {FACT_POLICY.max_statement} characters")
    if has_nul(text):
        return InvalidInput("statement", NUL_PROBLEM)
    return await settle(fact_id, "dispute", by, text, clock.now(), statement=text)


async def concede_dispute(fact_id: int, *, by: FactActor, clock: Clock) -> FactSettled | Any:
    """The other side agrees with the dispute: the fact is withdrawn."""
    return await settle(fact_id, "concede", by, "the other side conceded the dispute", clock.now())


async def withdraw_fact(fact_id: int, reason: str, *, by: FactActor, clock: Clock) -> FactSettled | Any:
    if (problem := reason_problem(reason, required=True)) is not None:
        return problem
    return await settle(fact_id, "withdraw", by, reason.strip(), clock.now())


async def resolve_dispute(fact_id: int, outcome: str, reason: str, *, by: FactActor, clock: Clock) -> FactSettled | Any:
    if outcome not in RESOLUTIONS:
        return InvalidInput("outcome", "upheld or withdrawn")
    if (problem := reason_problem(reason, required=True)) is not None:
        return problem
    return await settle(fact_id, RESOLUTIONS[outcome], by, reason.strip(), clock.now())


async def settle(
    fact_id: int,
    event: str,
    by: FactActor,
    reason: str,
    now: datetime,
    *,
    statement: str | None = None,
    expected_version: int | None = None,
) -> FactSettled | Any:
    """Take one fact machine step, record it, and carry out what the fact's new state changes."""
    from domain.facts.consequences import after_settled  # consequences run the standing rules

    async def step(conn: Any) -> FactSettled:
        fact = (
            await RecordedFact.filter(id=fact_id, organization_id=by.organization_id)
            .select_for_update(no_key=True)
            .using_db(conn)
            .first()
        )
        if fact is None or not _may_see(fact, by):  # a third person's fact looks like no fact at all
            raise Refused(NotFound("Fact", str(fact_id)))
        if expected_version is not None and fact.version != expected_version:
            raise Refused(StaleVersion(fact.id, expected_version, fact.version, entity="fact"))
        ctx = FactContext(
            by.actor, by.person, fact.subject_id, fact.counterpart_id, fact.disputed_by, now, fact.dispute_until
        )
        new_state = step_or_refuse(FactMachine, "fact", fact.id, fact.state, event, ctx=ctx)
        changes: dict[str, Any] = {"state": new_state, "version": fact.version + 1}
        if event == "dispute":
            changes |= {"disputed_by": by.person, "disputed_at": now, "statement": statement}
        else:
            changes |= {"settled_at": now, "settled_by": by.actor.id, "settlement": reason}
        written = await RecordedFact.filter(id=fact.id, version=fact.version).using_db(conn).update(**changes)
        if written != 1:
            raise Refused(StaleVersion(fact.id, fact.version, fact.version + 1, entity="fact"))
        for name, value in changes.items():
            setattr(fact, name, value)
        await fact_event(fact, event, now, conn)
        steps = await after_settled(fact, now, reason) if new_state in ("confirmed", "withdrawn") else []
        return FactSettled(fact, steps)

    return await atomically(step)


def _may_see(fact: RecordedFact, by: FactActor) -> bool:
    return by.actor.kind in (ActorKind.ADMIN, ActorKind.SYSTEM) or by.person in (fact.subject_id, fact.counterpart_id)
