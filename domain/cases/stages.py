"""A case's stage deadlines: acknowledged (assigned to an admin) within 24 hours, triaged within 3 days and
decided within 14 days of opening, or of reopening. A missed stage nudges the organization's admins, as an
admin nudge and as a `case.overdue` event. The deadlines are durable rows, fired by the worker or the
embedded sweep like every other."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from domain.cases.machine import DECIDED_OR_LATER, TRIAGED_OR_LATER
from domain.cases.policy import CASE_POLICY, CasePolicy
from domain.deadlines.firing import Firing
from domain.deadlines.schedule import schedule
from domain.events import outbox
from domain.infra.db import transaction
from domain.models import AdminNudge, Case, Deadline, DeadlineKind, Organization, Participant

STAGES = {
    DeadlineKind.CASE_ACKNOWLEDGE: ("acknowledge", "assigned to an admin"),
    DeadlineKind.CASE_TRIAGE: ("triage", "triaged"),
    DeadlineKind.CASE_DECIDE: ("decide", "decided"),
}


async def policy_for(organization_id: int) -> CasePolicy:
    organization = await Organization.filter(id=organization_id).only("id", "case_policy").first()
    return CASE_POLICY.with_overrides(organization.case_policy if organization else None)


async def arm_stages(case: Case, policy: CasePolicy, since: datetime, conn: Any, *, rearm: bool = False) -> None:
    """Schedule the case's stages from `since` (its opening, or its reopening)."""
    kinds = list(STAGES) if not rearm else [DeadlineKind.CASE_TRIAGE, DeadlineKind.CASE_DECIDE]
    for kind in kinds:
        stage: str = STAGES[kind][0]
        await schedule(
            kind,
            case.subject_id,
            since + getattr(policy, stage).value,
            since,
            subject_id=case.id,
            rearm=rearm,
            conn=conn,
        )


def stage_reached(kind: DeadlineKind, case: Case) -> bool:
    """Whether the case got past this stage: a missed deadline of a reached stage nudges nobody."""
    if kind is DeadlineKind.CASE_ACKNOWLEDGE:
        return case.assignee is not None or case.state in TRIAGED_OR_LATER
    if kind is DeadlineKind.CASE_TRIAGE:
        return case.state in TRIAGED_OR_LATER
    return case.state in DECIDED_OR_LATER


async def stage_overdue(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    """The rule every case stage deadline runs: nudge the admins if the stage was not reached in time."""
    case = await Case.filter(id=d.subject_id).first()
    if case is None or stage_reached(d.kind, case):
        return Firing("no nudge (the stage was reached in time)")
    stage, reached = STAGES[d.kind]
    text = f"case {case.reference} was not {reached} in time"
    if dry_run:
        return Firing(f"would nudge the admins: {text}")
    try:
        async with transaction() as conn:
            await AdminNudge.create(
                using_db=conn,
                key=d.key,
                organization_id=case.organization_id,
                kind=f"case_{stage}",
                case_id=case.id,
                participant_id=case.subject_id,
                message=text,
                due_at=d.due_at,
                created_at=now,
            )
            await outbox.record(
                [
                    outbox.NewEvent(
                        type=outbox.CASE_OVERDUE,
                        organization_id=case.organization_id,
                        participant_id=case.subject_id,
                        machine="case",
                        event=f"{stage}_overdue",
                        from_state=case.state,
                        to_state=case.state,
                        reason_code=f"case.{stage}_overdue",
                        ref=f"case:{case.reference}",
                        occurred_at=now,
                    )
                ],
                conn,
            )
    except IntegrityError:
        return Firing("no nudge (already nudged)")
    await outbox.announce()
    return Firing(f"nudged the admins: {text}")
