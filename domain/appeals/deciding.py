"""Deciding an appeal: upheld (the step stands), reduced (a lighter rung replaces it) or overturned (the
step is undone through the machine's own way back). The reversal is a new log row that points at the step
it overrules; no row is ever updated. The decision writes a notice of its own, and escalation resumes.
An appeal left undecided past its deadline expires, and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.appeals.filing import appeal_event, move
from domain.deadlines.firing import Firing
from domain.infra.db import Refused, atomically, in_fresh_transaction
from domain.kernel.actors import Actor
from domain.kernel.clock import Clock, FixedClock
from domain.kernel.rejections import InvalidInput, NotFound
from domain.kernel.text import reason_problem
from domain.models import Appeal, Deadline, Participant, TransitionRecord
from domain.notices.issuing import render_appeal_decision, store
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event
from domain.standing.ladder import WAY_BACK, lighter_rungs, state_of_rung
from domain.standing.locks import release_held

OUTCOME_OF = {"uphold": "upheld", "reduce": "reduced", "overturn": "overturned"}


@dataclass(frozen=True)
class DecideAppeal:
    appeal_id: int
    decision: str  # uphold | reduce | overturn
    reason: str
    reduce_to: str | None = None  # the lighter rung, for a reduction
    until: datetime | None = None  # a reduced suspension's end
    expected_version: int | None = None


@dataclass(frozen=True)
class AppealDecided:
    appeal: Appeal
    steps: list[TransitionRecord]  # the reversal, and a reduction's lighter rung


def _problem(cmd: DecideAppeal) -> InvalidInput | None:
    if (problem := reason_problem(cmd.reason, required=True)) is not None:
        return problem
    if cmd.decision not in OUTCOME_OF:
        return InvalidInput("decision", "uphold, reduce or overturn")
    if (cmd.decision == "reduce") != (cmd.reduce_to is not None):
        return InvalidInput("reduceTo", "a reduction names the lighter rung, and only a reduction does")
    return None


async def decide_appeal(cmd: DecideAppeal, *, organization_id: int, by: Actor, clock: Clock) -> AppealDecided | Any:
    if (problem := _problem(cmd)) is not None:
        return problem
    now = clock.now()

    async def decide(conn: Any) -> AppealDecided:
        appeal = (
            await Appeal.filter(id=cmd.appeal_id, organization_id=organization_id)
            .select_for_update(no_key=True)
            .using_db(conn)
            .first()
        )
        if appeal is None:
            raise Refused(NotFound("Appeal", str(cmd.appeal_id)))
        if cmd.expected_version is not None and appeal.version != cmd.expected_version:
            from domain.kernel.rejections import StaleVersion

            raise Refused(StaleVersion(appeal.id, cmd.expected_version, appeal.version, entity="appeal"))
        step = await TransitionRecord.filter(id=appeal.transition_id).using_db(conn).get()
        if cmd.decision == "reduce" and cmd.reduce_to not in lighter_rungs(step.event):
            raise Refused(
                InvalidInput(
                    "reduceTo",
                    f"a {step.event} is reduced to one of "
                    f"{', '.join(lighter_rungs(step.event)) or 'nothing: it is the lightest'}",
                )
            )
        await move(
            appeal,
            cmd.decision,
            by,
            step,
            now,
            conn,
            decided_at=now,
            decided_by=by.id,
            decision_reason=cmd.reason.strip(),
        )
        steps = await _carry_out(cmd, appeal, step, by, now)
        if steps:
            await Appeal.filter(id=appeal.id).using_db(conn).update(result_id=steps[0].id)
            appeal.result_id = steps[0].id
        participant = await Participant.filter(id=appeal.participant_id).using_db(conn).get()
        rendered = await render_appeal_decision(
            participant, OUTCOME_OF[cmd.decision], step, cmd.reason, by.kind.value, now, conn
        )
        await store(participant, rendered, now, conn, appeal_id=appeal.id)
        await release_held(appeal.participant_id, now, conn)
        await appeal_event(appeal, OUTCOME_OF[cmd.decision], now, conn)
        return AppealDecided(appeal, steps)

    return await atomically(decide)


async def _carry_out(
    cmd: DecideAppeal, appeal: Appeal, step: TransitionRecord, by: Actor, now: datetime
) -> list[TransitionRecord]:
    """The standing steps the decision takes: none, the way back, or the way back and the lighter rung."""
    if cmd.decision == "uphold":
        return []
    evidence = {"appeal": appeal.id, "overrules": step.id}
    reversal = await _apply(
        StandingCommand(
            appeal.participant_id,
            WAY_BACK[step.event],
            by,
            f"appeal {OUTCOME_OF[cmd.decision]}: {cmd.reason.strip()}",
            evidence=evidence,
            organization_id=appeal.organization_id,
            overrules=step.id,
        ),
        now,
    )
    steps = [reversal]
    if cmd.decision == "reduce" and cmd.reduce_to and reversal.to_state != state_of_rung(cmd.reduce_to):
        steps.append(
            await _apply(
                StandingCommand(
                    appeal.participant_id,
                    cmd.reduce_to,
                    by,
                    f"appeal reduced the {step.event} to a {cmd.reduce_to}: {cmd.reason.strip()}",
                    evidence={"appeal": appeal.id, "replaces": step.id},
                    organization_id=appeal.organization_id,
                    params={"until": cmd.until} if cmd.until else {},
                    overrules=step.id,
                    write_notice=False,
                ),
                now,
            )
        )
    return steps


async def _apply(cmd: StandingCommand, now: datetime) -> TransitionRecord:
    result = await apply_event(cmd, clock=FixedClock(now))
    if not isinstance(result, TransitionApplied):
        raise Refused(result)  # nothing of the decision is kept when its step is refused
    return result.record


async def appeal_expires(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    """An appeal still open at its deadline expires: nothing changes, and the appellant is told."""
    appeal = await Appeal.filter(id=d.subject_id).first()
    if appeal is None or appeal.state != "open":
        return Firing("no change (the appeal was decided or withdrawn)")
    if dry_run:
        return Firing("would expire the appeal")

    async def expire(conn: Any) -> Firing:
        current = await Appeal.filter(id=appeal.id, state="open").select_for_update(no_key=True).using_db(conn).first()
        if current is None:
            return Firing("no change (the appeal was decided meanwhile)")
        step = await TransitionRecord.filter(id=current.transition_id).using_db(conn).get()
        await move(current, "expire", Actor.system("appeal_expires"), step, now, conn, decided_at=now)
        rendered = await render_appeal_decision(
            p, "expired", step, "no decision was taken in time", "system", now, conn
        )
        await store(p, rendered, now, conn, appeal_id=current.id)
        await release_held(p.id, now, conn)
        await appeal_event(current, "expired", now, conn)
        return Firing("the appeal expired undecided; nothing changes")

    return await in_fresh_transaction(expire)
