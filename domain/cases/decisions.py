"""Deciding a case: no violation, guidance only, or one standing rung applied through `apply_event` in the
same transaction, with the case as its evidence ("Mentors found violating the Code of Conduct will receive").

A case produces at most one rung: deciding a reopened case again supersedes its earlier decision. The earlier
rung is undone through the machine's own way back first, then the new decision applies its rung, if any; a
new decision that keeps the same rung keeps the step already taken. docs/decisions.md says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from domain.cases.handling import CaseActor, context_for, locked_case, save_step, send_step
from domain.infra.db import Refused, atomically
from domain.kernel.clock import Clock, FixedClock
from domain.kernel.rejections import InvalidInput, NotFound
from domain.kernel.text import reason_problem
from domain.models import Case, CaseDecision, Concern, Participant, TransitionRecord
from domain.notices.issuing import Rendered, preview_notice
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event
from domain.standing.ladder import WAY_BACK
from domain.standing.machines import machine_class


class Outcome(str, Enum):
    NO_VIOLATION = "no_violation"
    GUIDANCE = "guidance"  # a recorded conversation, with no rung
    STANDING_EVENT = "standing_event"


class ReporterSummary(str, Enum):
    """What the reporters are told, chosen by the deciding admin: never the subject's notice or private data."""

    ACTION_TAKEN = "action_taken"
    GUIDANCE_GIVEN = "guidance_given"
    NO_VIOLATION_FOUND = "no_violation_found"


DEFAULT_SUMMARY = {
    Outcome.NO_VIOLATION: ReporterSummary.NO_VIOLATION_FOUND,
    Outcome.GUIDANCE: ReporterSummary.GUIDANCE_GIVEN,
    Outcome.STANDING_EVENT: ReporterSummary.ACTION_TAKEN,
}

# The downward steps of both ladders a case may decide, and each one's way back.
RUNGS = WAY_BACK


@dataclass(frozen=True)
class DecideCase:
    case_id: int
    outcome: Outcome
    reason: str
    event: str | None = None  # the rung, when the outcome is a standing event
    params: dict[str, Any] | None = None  # e.g. a suspension's `until`
    reporter_summary: ReporterSummary | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class CaseDecided:
    case: Case
    decision: CaseDecision
    transition: TransitionRecord | None
    reversal: TransitionRecord | None


def _input_problem(cmd: DecideCase) -> InvalidInput | None:
    if (problem := reason_problem(cmd.reason, required=True)) is not None:
        return problem
    if cmd.outcome is Outcome.STANDING_EVENT and cmd.event not in RUNGS:
        return InvalidInput("event", f"a standing outcome takes one of {', '.join(RUNGS)}")
    if cmd.outcome is not Outcome.STANDING_EVENT and cmd.event is not None:
        return InvalidInput("event", f"a {cmd.outcome.value} outcome applies no standing event")
    return None


async def decide_case(cmd: DecideCase, *, by: CaseActor, clock: Clock) -> CaseDecided | Any:
    if (problem := _input_problem(cmd)) is not None:
        return problem
    now = clock.now()

    async def decide(conn: Any) -> CaseDecided:
        case = await locked_case(cmd.case_id, by, cmd.expected_version, conn)
        subject = await Participant.filter(id=case.subject_id).using_db(conn).get()
        if cmd.event is not None and cmd.event not in machine_class(subject.role).event_ids():
            raise Refused(InvalidInput("event", f"{cmd.event} is not a step of a {subject.role.value}'s standing"))
        left = send_step(case, "decide", await context_for(case, by, conn))
        earlier = await CaseDecision.filter(case_id=case.id).using_db(conn).order_by("-id").first()
        keeps_rung = (
            earlier is not None
            and earlier.transition_id is not None
            and earlier.reversal_id is None
            and cmd.outcome is Outcome.STANDING_EVENT
            and cmd.event == earlier.standing_event
        )
        evidence = await _case_evidence(case, conn)
        reversal = transition = None
        if earlier is not None and earlier.transition_id is not None and earlier.reversal_id is None and not keeps_rung:
            reversal = await _step(
                subject,
                RUNGS[earlier.standing_event or ""],
                by,
                now,
                f"case {case.reference} decided again, superseding its earlier decision: {cmd.reason.strip()}",
                {**evidence, "supersedes_transition": earlier.transition_id},
            )
        if keeps_rung:
            transition = await TransitionRecord.filter(id=earlier.transition_id).using_db(conn).get()  # type: ignore[union-attr]
        elif cmd.outcome is Outcome.STANDING_EVENT:
            transition = await _step(subject, cmd.event or "", by, now, cmd.reason.strip(), evidence, cmd.params)
        decision = await CaseDecision.create(
            using_db=conn,
            case_id=case.id,
            outcome=cmd.outcome.value,
            standing_event=cmd.event,
            transition_id=transition.id if transition else None,
            reversal_id=reversal.id if reversal else None,
            supersedes_id=earlier.id if earlier else None,
            reason=cmd.reason.strip(),
            reporter_summary=(cmd.reporter_summary or DEFAULT_SUMMARY[cmd.outcome]).value,
            decided_by=by.actor.id,
            decided_at=now,
        )
        await save_step(
            case,
            "decide",
            left,
            by,
            cmd.reason.strip(),
            now,
            conn,
            {"decision": decision.id, "outcome": cmd.outcome.value, "event": cmd.event},
        )
        return CaseDecided(case, decision, transition, reversal)

    return await atomically(decide)


async def _case_evidence(case: Case, conn: Any) -> dict[str, Any]:
    """What a rung decided by this case rests on: the case, never its reporters or their words."""
    concerns = await Concern.filter(case_id=case.id).using_db(conn).order_by("id").values_list("id", "evidence")
    cited: dict[str, set[int]] = {"sessions": set(), "messages": set(), "notes": set()}
    for _, evidence in concerns:
        for kind in cited:
            cited[kind] |= set(evidence.get(kind) or [])
    return {
        "case": {
            "id": case.id,
            "reference": case.reference,
            "category": case.category.value,
            "code_section": case.code_section,
            "concerns": [c[0] for c in concerns],
            **{kind: sorted(ids) for kind, ids in cited.items()},
        }
    }


async def _step(
    subject: Participant,
    event: str,
    by: CaseActor,
    now: datetime,
    reason: str,
    evidence: dict[str, Any],
    params: dict[str, Any] | None = None,
) -> TransitionRecord:
    result = await apply_event(
        StandingCommand(
            subject.id,
            event,
            by.actor,
            reason,
            evidence=evidence,
            params=params or {},
            organization_id=by.organization_id,
        ),
        clock=FixedClock(now),
    )
    if not isinstance(result, TransitionApplied):
        raise Refused(result)  # the whole decision rolls back: no case decided without its rung
    return result.record


async def preview_case_notice(
    case_id: int, event: str, reason: str, *, by: CaseActor, clock: Clock, until: datetime | None = None
) -> Rendered | NotFound | None:
    """The notice that deciding this case with the rung `event` would send its subject now, word for word,
    with nothing written: the same facts and evidence `decide_case` gives the step."""
    case = await Case.filter(id=case_id, organization_id=by.organization_id).first()
    if case is None:
        return NotFound("Case", str(case_id))
    evidence = await _case_evidence(case, None)
    return await preview_notice(
        organization_id=by.organization_id,
        participant_id=case.subject_id,
        event=event,
        reason=reason,
        actor_kind=by.actor.kind.value,
        now=clock.now(),
        evidence=evidence,
        until=until,
    )
