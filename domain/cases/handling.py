"""Handling a case: assigning it and taking its machine's steps (triage, investigate, dismiss, close, reopen).

Each is an admin's, with a reason, in one transaction that locks the case, checks its version, asks the
case machine, writes the case and appends the case log (and, for the steps partners hear of, the outbox).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from statemachine.exceptions import TransitionNotAllowed as MachineRefused

from domain.cases.log import log_step
from domain.cases.machine import ACTIVE_STATES, CaseContext, CaseMachine, bind_case, is_party
from domain.cases.stages import arm_stages, policy_for
from domain.infra.db import Refused, atomically
from domain.kernel.actors import Actor
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound, NotPermitted, StaleVersion, StepNotAllowed
from domain.kernel.text import reason_problem
from domain.models import ApiToken, Case, Concern, ReporterKind

# The steps `step_case` takes; deciding has its own use case (domain/cases/decisions.py).
STEPS = ("triage", "investigate", "dismiss", "close", "reopen")


@dataclass(frozen=True)
class CaseActor:
    """The admin acting on a case, and who they are besides."""

    actor: Actor
    token_id: int
    organization_id: int
    person_id: int | None = None  # the participant the admin also is


@dataclass(frozen=True)
class CaseStepped:
    case: Case
    event: str
    from_state: str


async def parties_of(case: Case, conn: Any = None) -> tuple[frozenset[int], set[int]]:
    """(the participants party to the case: its subject and every reporting participant; the tokens that reported)."""
    concerns = (
        await Concern.filter(case_id=case.id)
        .using_db(conn)
        .only("reporter_kind", "reporter_participant_id", "reporter_token_id")
    )
    people = {case.subject_id} | {c.reporter_participant_id for c in concerns if c.reporter_participant_id}
    tokens = {c.reporter_token_id for c in concerns if c.reporter_kind is not ReporterKind.PARTICIPANT}
    return frozenset(people), tokens


async def context_for(case: Case, by: CaseActor, conn: Any = None) -> CaseContext:
    people, tokens = await parties_of(case, conn)
    return CaseContext(
        actor=by.actor, actor_person_id=by.person_id, parties=people, actor_reported=by.token_id in tokens
    )


async def locked_case(case_id: int, by: CaseActor, expected_version: int | None, conn: Any) -> Case:
    """The case, locked, in the actor's organization and at the expected version; or a refusal raised."""
    case = (
        await Case.filter(id=case_id, organization_id=by.organization_id)
        .select_for_update(no_key=True)
        .using_db(conn)
        .first()
    )
    if case is None:
        raise Refused(NotFound("Case", str(case_id)))
    if expected_version is not None and case.version != expected_version:
        raise Refused(StaleVersion(case.id, expected_version, case.version, entity="case"))
    return case


def send_step(case: Case, event: str, ctx: CaseContext) -> str:
    """Ask the case machine; returns the state left, or raises the refusal. The machine sets the new state."""
    machine, holder = bind_case(case.state)
    if event not in CaseMachine.event_ids():
        raise Refused(InvalidInput("event", f"{event} is not a step of a case"))
    try:
        machine.send(event, ctx=ctx)
    except MachineRefused:
        allowed = [e.id for e in machine.enabled_events(ctx=ctx)]
        reasons = _reasons(machine, event, ctx)
        raise Refused(StepNotAllowed("case", case.id, case.state, event, allowed, reasons)) from None
    left, case.state = case.state, holder.state
    return left


def _reasons(machine: CaseMachine, event: str, ctx: CaseContext) -> list[str]:
    reasons = []
    for transition in (t for state in machine.configuration for t in state.transitions):
        if transition.match(event):
            for spec in transition.cond:
                guard = getattr(machine, spec.attr_name, None)
                if callable(guard) and not guard(ctx):
                    reasons.append(guard.__doc__ or spec.attr_name)
    return list(dict.fromkeys(reasons))


async def save_step(
    case: Case,
    event: str,
    left: str,
    by: CaseActor,
    reason: str,
    now: datetime,
    conn: Any,
    details: dict[str, Any] | None = None,
) -> None:
    read_version = case.version
    case.version, case.updated_at = read_version + 1, now
    written = (
        await Case.filter(id=case.id, version=read_version)
        .using_db(conn)
        .update(state=case.state, assignee=case.assignee, version=case.version, updated_at=now)
    )
    if written != 1:  # only SQLite gets here: PostgreSQL's row lock already serialised the writers
        raise Refused(StaleVersion(case.id, read_version, read_version + 1, entity="case"))
    await log_step(case, event, left, by.actor, reason, now, conn, details)


async def step_case(
    case_id: int, event: str, *, by: CaseActor, reason: str, clock: Clock, expected_version: int | None = None
) -> CaseStepped | Any:
    if event not in STEPS:
        return InvalidInput("event", f"{event} is not one of {', '.join(STEPS)}")
    if (problem := reason_problem(reason, required=True)) is not None:
        return problem
    now = clock.now()

    async def step(conn: Any) -> CaseStepped:
        case = await locked_case(case_id, by, expected_version, conn)
        left = send_step(case, event, await context_for(case, by, conn))
        await save_step(case, event, left, by, reason.strip(), now, conn)
        if event == "reopen":  # triaged and decided again, against fresh stage deadlines
            await arm_stages(case, await policy_for(case.organization_id), now, conn, rearm=True)
        return CaseStepped(case, event, left)

    return await atomically(step)


async def assign_case(
    case_id: int,
    *,
    by: CaseActor,
    assignee_token_id: int,
    reason: str,
    clock: Clock,
    expected_version: int | None = None,
) -> CaseStepped | Any:
    """Give the case to an admin of the organization who is not a party to it (their own token by default)."""
    if (problem := reason_problem(reason, required=True)) is not None:
        return problem
    now = clock.now()

    async def assign(conn: Any) -> CaseStepped:
        case = await locked_case(case_id, by, expected_version, conn)
        if case.state not in ACTIVE_STATES:
            raise Refused(NotPermitted(f"a case that is {case.state} is not assigned; reopen it first"))
        token = (
            await ApiToken.filter(
                id=assignee_token_id, organization_id=by.organization_id, role="admin", revoked_at=None
            )
            .using_db(conn)
            .first()
        )
        if token is None:
            raise Refused(NotFound("Admin", str(assignee_token_id)))
        assignee = CaseActor(Actor.admin(token.id), token.id, by.organization_id, token.participant_id)
        if is_party(await context_for(case, assignee, conn)):
            raise Refused(
                NotPermitted(
                    "an admin who is a party to the case (its subject, or one who reported it) cannot be assigned to it"
                )
            )
        case.assignee = assignee.actor.id
        await save_step(case, "assign", case.state, by, reason.strip(), now, conn, {"assignee": case.assignee})
        return CaseStepped(case, "assign", case.state)

    return await atomically(assign)


async def disclose_reporter(
    case_id: int, concern_id: int, *, by: CaseActor, reason: str, clock: Clock
) -> CaseStepped | Any:
    """Let the subject see who raised one concern: the admin's choice, recorded with a reason."""
    if (problem := reason_problem(reason, required=True)) is not None:
        return problem
    now = clock.now()

    async def disclose(conn: Any) -> CaseStepped:
        case = await locked_case(case_id, by, None, conn)
        if not await Concern.filter(id=concern_id, case_id=case.id).using_db(conn).exists():
            raise Refused(NotFound("Concern", str(concern_id)))
        await save_step(case, "disclose_reporter", case.state, by, reason.strip(), now, conn, {"concern": concern_id})
        return CaseStepped(case, "disclose_reporter", case.state)

    return await atomically(disclose)
