"""What each side may read of a case: reporters their own reports' status and a safe summary, subjects the
cases decided against them (without reporters, unless an admin disclosed one), admins everything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.models import Case, CaseDecision, CaseLogEntry, Concern, Participant, ReporterKind

# What a reporter is told about the state of the case their report is in.
REPORT_STATUS = {
    "open": "received",
    "triaged": "under_review",
    "investigating": "under_review",
    "reopened": "under_review",
    "decided": "decided",
    "closed": "closed",
    "dismissed": "dismissed",
}
AGAINST_THE_SUBJECT = {"guidance", "standing_event"}


@dataclass(frozen=True)
class MyReport:
    concern: Concern
    case: Case
    status: str
    outcome: str | None  # the reporter summary, once decided


async def current_decision(case_id: int) -> CaseDecision | None:
    return await CaseDecision.filter(case_id=case_id).order_by("-id").first()


async def my_reports(*, organization_id: int, token_id: int, participant_id: int | None) -> list[MyReport]:
    """A participant's reports (whichever of their tokens filed them), or a token's own."""
    query = Concern.filter(organization_id=organization_id)
    query = (
        query.filter(reporter_participant_id=participant_id, reporter_kind=ReporterKind.PARTICIPANT)
        if participant_id is not None
        else query.filter(reporter_token_id=token_id)
    )
    concerns = await query.order_by("-id").limit(100)
    cases = {c.id: c for c in await Case.filter(id__in={c.case_id for c in concerns})}
    reports = []
    for concern in concerns:
        case = cases[concern.case_id]
        decision = await current_decision(case.id) if case.state in {"decided", "closed"} else None
        reports.append(
            MyReport(concern, case, REPORT_STATUS[case.state], decision.reporter_summary if decision else None)
        )
    return reports


@dataclass(frozen=True)
class CaseAboutMe:
    case: Case
    decision: CaseDecision
    disclosed_reporters: list[str]


async def cases_about(subject_id: int) -> list[CaseAboutMe]:
    """The cases decided against this participant: guidance or a rung. Reporters stay hidden unless disclosed."""
    found = []
    for case in await Case.filter(subject_id=subject_id, state__in=["decided", "closed"]).order_by("-id"):
        decision = await current_decision(case.id)
        if decision is None or decision.outcome not in AGAINST_THE_SUBJECT:
            continue
        found.append(CaseAboutMe(case, decision, await disclosed_reporters(case.id)))
    return found


async def disclosed_reporters(case_id: int) -> list[str]:
    """Who raised the concerns an admin chose to disclose: a participant's name, or "the platform"."""
    disclosures = await CaseLogEntry.filter(case_id=case_id, event="disclose_reporter")
    concern_ids = {entry.details.get("concern") for entry in disclosures}
    names = []
    for concern in await Concern.filter(id__in=concern_ids).order_by("id"):
        if concern.reporter_participant_id is not None:
            person = await Participant.get(id=concern.reporter_participant_id)
            names.append(person.display_name)
        else:
            names.append("the platform")
    return names


@dataclass(frozen=True)
class StageDue:
    stage: str
    due_at: datetime
    reached: bool
