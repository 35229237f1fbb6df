"""Filing an appeal of one downward step, by the participant it was taken against, once, within its window;
and withdrawing it. While it is open, automation takes no further punitive step (domain/standing/locks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.appeals.machine import AppealContext, bind_appeal
from domain.appeals.policy import APPEAL_POLICY
from domain.deadlines.schedule import schedule
from domain.events import outbox
from domain.infra.db import Refused, atomically
from domain.kernel.actors import Actor, ActorKind
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound, NotPermitted, StepNotAllowed
from domain.kernel.text import NUL_PROBLEM, has_nul
from domain.models import Appeal, DeadlineKind, TransitionRecord
from domain.standing.ladder import DOWNWARD
from domain.standing.locks import release_held


@dataclass(frozen=True)
class AppealFiled:
    appeal: Appeal


def appealable(step: TransitionRecord) -> bool:
    """Only a downward step that changed standing can be appealed (not a held one, not a badge's)."""
    return step.event in DOWNWARD and step.outcome == "applied" and not step.machine.endswith("_badge")


def appealable_until(step: TransitionRecord) -> datetime:
    return step.occurred_at + APPEAL_POLICY.window.value


async def appeal_event(appeal: Appeal, event: str, now: datetime, conn: Any) -> None:
    await outbox.record(
        [
            outbox.NewEvent(
                type=outbox.APPEAL_CHANGED,
                organization_id=appeal.organization_id,
                participant_id=appeal.participant_id,
                machine="appeal",
                event=event,
                to_state=appeal.state,
                reason_code=f"appeal.{event}",
                occurred_at=now,
                ref=f"appeal:{appeal.id}",
            )
        ],
        conn,
    )
    await outbox.announce()


async def appeal_sanction(
    *, organization_id: int, appellant_id: int, transition_id: int, statement: str, clock: Clock
) -> AppealFiled | Any:
    text, now = statement.strip(), clock.now()
    if not text or len(text) > APPEAL_POLICY.max_statement:
        return InvalidInput("statement", f"say why, in at most {APPEAL_POLICY.max_statement} characters")
    if has_nul(text):
        return InvalidInput("statement", NUL_PROBLEM)

    async def file(conn: Any) -> AppealFiled:
        step = (
            await TransitionRecord.filter(
                id=transition_id, organization_id=organization_id, participant_id=appellant_id
            )
            .using_db(conn)
            .first()
        )
        if step is None:  # someone else's step looks like no step at all
            raise Refused(NotFound("Transition", str(transition_id)))
        if not appealable(step):
            raise Refused(InvalidInput("transitionId", "only a downward step of your standing can be appealed"))
        if now > appealable_until(step):
            raise Refused(NotPermitted(f"the appeal window closed at {appealable_until(step):%-d %B %Y %H:%M:%S} UTC"))
        if await Appeal.filter(transition_id=step.id).using_db(conn).exists():
            raise Refused(NotPermitted("this step was already appealed: a step is appealed once"))
        appeal = await Appeal.create(
            using_db=conn,
            organization_id=organization_id,
            participant_id=appellant_id,
            transition_id=step.id,
            statement=text,
            state="open",
            filed_at=now,
            decide_by=now + APPEAL_POLICY.decide_within.value,
        )
        await schedule(DeadlineKind.APPEAL_EXPIRY, appellant_id, appeal.decide_by, now, subject_id=appeal.id, conn=conn)
        await appeal_event(appeal, "filed", now, conn)
        return AppealFiled(appeal)

    return await atomically(file)


async def withdraw_appeal(
    *, organization_id: int, appellant_id: int, appeal_id: int, clock: Clock
) -> AppealFiled | Any:
    now = clock.now()

    async def withdraw(conn: Any) -> AppealFiled:
        appeal = (
            await Appeal.filter(id=appeal_id, organization_id=organization_id)
            .select_for_update(no_key=True)
            .using_db(conn)
            .first()
        )
        if appeal is None or appeal.participant_id != appellant_id:
            raise Refused(NotFound("Appeal", str(appeal_id)))
        step = await TransitionRecord.filter(id=appeal.transition_id).using_db(conn).get()
        await move(appeal, "withdraw", Actor(ActorKind.PARTICIPANT, f"participant:{appellant_id}"), step, now, conn)
        await release_held(appellant_id, now, conn)
        await appeal_event(appeal, "withdrawn", now, conn)
        return AppealFiled(appeal)

    return await atomically(withdraw)


async def move(
    appeal: Appeal, event: str, actor: Actor, step: TransitionRecord, now: datetime, conn: Any, **fields: Any
) -> None:
    """Take one appeal machine step and save it with a version check; the machine sets the new state."""
    machine, holder = bind_appeal(appeal.state)
    ctx = AppealContext(actor=actor, appellant_id=appeal.participant_id, step_taken_by=step.actor_id)
    if event not in [e.id for e in machine.enabled_events(ctx=ctx)]:
        reasons = [
            guard.__doc__ or name
            for t in (t for s in machine.configuration for t in s.transitions)
            if t.match(event)
            for spec in t.cond
            if callable(guard := getattr(machine, (name := spec.attr_name), None)) and not guard(ctx)
        ]
        raise Refused(
            StepNotAllowed(
                "appeal", appeal.id, appeal.state, event, [e.id for e in machine.enabled_events(ctx=ctx)], reasons
            )
        )
    machine.send(event, ctx=ctx)
    read_version = appeal.version
    appeal.state, appeal.version = holder.state, read_version + 1
    for name, value in fields.items():
        setattr(appeal, name, value)
    written = (
        await Appeal.filter(id=appeal.id, version=read_version)
        .using_db(conn)
        .update(state=appeal.state, version=appeal.version, **fields)
    )
    if written != 1:
        from domain.kernel.rejections import StaleVersion

        raise Refused(StaleVersion(appeal.id, read_version, read_version + 1, entity="appeal"))
