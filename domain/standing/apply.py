"""The one use case that applies any standing event to any participant.

GraphQL mutations, arq jobs and the CLI all call `apply_event`. In one transaction it loads the
row (locked on PostgreSQL), runs the role's machine, writes the participant with a version check
and appends the log row. Two admins acting at once can never skip a state or log a step twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from statemachine.exceptions import TransitionNotAllowed as MachineRefused

from domain.badges.evaluation import revoke_for_standing
from domain.events import outbox
from domain.infra.db import in_fresh_transaction
from domain.infra.observe import TRANSITION, observe_after_commit
from domain.kernel.actors import Actor, ActorKind
from domain.kernel.clock import Clock
from domain.kernel.instants import instant_problem
from domain.kernel.rejections import InvalidInput, NotFound, Rejection, StaleVersion, TransitionNotAllowed
from domain.kernel.text import evidence_problem, reason_problem
from domain.models import Participant, TransitionRecord
from domain.notices.issuing import notice_for_step
from domain.protection.other_party import PROTECTING, protect_other_party
from domain.standing.ladder import DOWNWARD
from domain.standing.machines import (
    EventInputInvalid,
    StandingMachine,
    TransitionContext,
    bind,
    machine_class,
    machine_name,
)
from domain.standing.policy import STANDING_POLICY, StandingPolicy
from domain.standing.timers import deadlines_for_standing


@dataclass(frozen=True)
class StandingCommand:
    participant_id: int
    event: str
    actor: Actor
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    expected_version: int | None = None
    organization_id: int | None = None  # the acting admin's organization; None for the system
    # The version of the policy that decided this step (a time rule's TIME_POLICY); None: STANDING_POLICY.
    policy_version: str | None = None
    overrules: int | None = None  # the logged step this one overrules (an appeal's reversal or reduction)
    write_notice: bool = True  # False when another notice already tells of it (an appeal's reduction)


@dataclass(frozen=True)
class TransitionApplied:
    participant: Participant
    record: TransitionRecord


class _Conflict(Exception):
    """Rolls the transaction back when the version moved between read and write."""

    def __init__(self, actual: int) -> None:
        self.actual = actual


def validate_command(cmd: StandingCommand) -> InvalidInput | None:
    if cmd.actor.kind is ActorKind.PARTNER:
        raise ValueError("a partner is never the actor of a standing change")  # a bug in the caller, not input
    if (problem := reason_problem(cmd.reason, required=cmd.actor.is_admin)) is not None:
        return problem
    if (problem := evidence_problem(cmd.evidence)) is not None:
        return problem
    for name, value in cmd.params.items():  # an event's times, such as a suspension's `until`
        if isinstance(value, datetime) and (problem := instant_problem(value, name)) is not None:
            return problem
    if cmd.expected_version is not None and cmd.expected_version < 1:
        return InvalidInput("expectedVersion", "versions start at 1")
    return None


async def apply_event(
    cmd: StandingCommand, *, clock: Clock, policy: StandingPolicy = STANDING_POLICY
) -> TransitionApplied | Rejection:
    if (invalid := validate_command(cmd)) is not None:
        return invalid
    try:
        result = await in_fresh_transaction(lambda conn: _apply_locked(cmd, clock.now(), policy, conn))
    except _Conflict as conflict:
        return StaleVersion(cmd.participant_id, cmd.expected_version or conflict.actual - 1, conflict.actual)
    return result


async def _apply_locked(
    cmd: StandingCommand, now: datetime, policy: StandingPolicy, conn
) -> TransitionApplied | Rejection:
    query = Participant.filter(id=cmd.participant_id).select_for_update(no_key=True).using_db(conn)
    if cmd.organization_id is not None:
        query = query.filter(organization_id=cmd.organization_id)
    row = await query.first()
    if row is None:
        return NotFound("Participant", str(cmd.participant_id))
    if cmd.expected_version is not None and row.version != cmd.expected_version:
        return StaleVersion(row.id, cmd.expected_version, row.version)

    ctx = TransitionContext(actor=cmd.actor, now=now, policy=policy, params=cmd.params, overrules=cmd.overrules)
    machine = bind(row)  # once: building a python-statemachine instance is most of a transition's CPU
    if (unknown := _not_from_here(machine, cmd.event, ctx)) is not None:
        return unknown

    from_state, read_version = row.standing, row.version
    try:
        machine.send(cmd.event, ctx=ctx)
    except EventInputInvalid as invalid:
        return InvalidInput(invalid.field, invalid.problem)
    except MachineRefused:  # a guard said no: its docstring says why
        return TransitionNotAllowed(
            row.id, row.standing, cmd.event, machine.allowed_event_ids(ctx), machine.refusal_reasons(cmd.event, ctx)
        )
    row.standing_since = now
    row.suspended_until = cmd.params.get("until") if row.standing == "suspended" else None
    row.version = read_version + 1
    row.updated_at = now
    # The version filter is the optimistic lock everywhere; on PostgreSQL the row lock above
    # already serialises writers, so this only ever fails on SQLite.
    written = (
        await Participant.filter(id=row.id, version=read_version)
        .using_db(conn)
        .update(
            standing=row.standing,
            standing_since=now,
            suspended_until=row.suspended_until,
            version=row.version,
            updated_at=now,
        )
    )
    if written != 1:
        current = await Participant.filter(id=row.id).using_db(conn).only("id", "version").first()
        raise _Conflict(current.version if current else read_version + 1)

    record = await TransitionRecord.create(
        using_db=conn,
        organization_id=row.organization_id,
        participant_id=row.id,
        machine=machine_name(row.role),
        from_state=from_state,
        to_state=row.standing,
        event=cmd.event,
        actor_kind=cmd.actor.kind.value,
        actor_id=cmd.actor.id,
        reason=cmd.reason.strip(),
        evidence=_evidence(cmd),
        policy_version=cmd.policy_version or policy.version,
        occurred_at=now,
        overrules=cmd.overrules,
    )
    await outbox.record(
        [
            outbox.NewEvent(
                type=outbox.STANDING_CHANGED,
                organization_id=row.organization_id,
                participant_id=row.id,
                machine=record.machine,
                event=cmd.event,
                from_state=from_state,
                to_state=row.standing,
                reason_code=outbox.reason_code(cmd.actor.kind.value, cmd.actor.id, cmd.event),
                occurred_at=now,
            )
        ],
        conn,
    )
    await revoke_for_standing(row, now, conn, cmd.actor, cmd.reason.strip())
    await deadlines_for_standing(row, now, conn)
    if cmd.event in DOWNWARD and cmd.write_notice:  # the Code's "written reminder": each downward step is written
        await notice_for_step(row, record, cmd.params, conn)
    if cmd.event in PROTECTING:  # the other side of the sanctioned participant's sessions
        await protect_other_party(row, cmd.event, cmd.params.get("until"), now, conn)
    await observe_after_commit(
        TRANSITION,
        machine=record.machine,
        from_state=from_state,
        to_state=row.standing,
        event=cmd.event,
        actor_kind=record.actor_kind,
    )
    await outbox.announce()
    return TransitionApplied(participant=row, record=record)


def _not_from_here(machine: StandingMachine, event: str, ctx: TransitionContext) -> Rejection | None:
    """A refusal when `event` is not this role's, or has no way out of the current state; else None."""
    row = machine.model
    if event not in machine_class(row.role).event_ids():
        return TransitionNotAllowed(
            row.id, row.standing, event, machine.allowed_event_ids(ctx), [f"{event} is not a {row.role.value} event"]
        )
    if event not in machine_class(row.role).events_from(row.standing):
        return TransitionNotAllowed(row.id, row.standing, event, machine.allowed_event_ids(ctx), [])
    return None


def _evidence(cmd: StandingCommand) -> dict[str, Any]:
    evidence = dict(cmd.evidence)
    for key, value in cmd.params.items():
        evidence.setdefault(key, value.isoformat() if isinstance(value, datetime) else value)
    return evidence


def allowed_events(row: Any, actor: Actor, clock: Clock, policy: StandingPolicy = STANDING_POLICY) -> list[str]:
    """What `actor` may send to this participant now, from the role's machine."""
    return bind(row).allowed_event_ids(TransitionContext(actor=actor, now=clock.now(), policy=policy))
