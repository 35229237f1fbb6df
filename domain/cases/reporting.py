"""Reporting a concern (Protégé Code 5: "Report any issues or concerns to the program admin").

A participant reports someone they are in a mentorship with (a session booked or a message exchanged), an
admin anyone in the organization, a partner on the platform's behalf. Nobody reports themselves, reports are
rate-limited per reporter, and the evidence cited must be sessions, messages and notes the reporter can see
and that involve the subject. A report about the same subject and the same facts joins the case already
handling them; otherwise it opens a case, with its stage deadlines. The reporter gets the case's reference.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q

from domain.cases.log import log_step
from domain.cases.machine import ACTIVE_STATES, CaseMachine
from domain.cases.policy import CasePolicy
from domain.cases.stages import arm_stages, policy_for
from domain.infra.db import Refused, atomically
from domain.kernel.actors import Actor, ActorKind
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound, NotPermitted
from domain.kernel.text import NUL_PROBLEM, has_nul
from domain.models import (
    Case,
    Concern,
    ConcernCategory,
    MentorshipSession,
    Message,
    Participant,
    ReporterKind,
    SessionNote,
)

MAX_EVIDENCE_ITEMS = 50
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to misread over the phone


@dataclass(frozen=True)
class Reporter:
    kind: ReporterKind
    token_id: int
    organization_id: int
    participant_id: int | None = None  # the reporting participant, or the participant an admin also is

    @property
    def actor(self) -> Actor:
        if self.kind is ReporterKind.PARTICIPANT:
            return Actor(ActorKind.PARTICIPANT, f"participant:{self.participant_id}")
        if self.kind is ReporterKind.ADMIN:
            return Actor.admin(self.token_id)
        return Actor(ActorKind.PARTNER, f"token:{self.token_id}")


@dataclass(frozen=True)
class Evidence:
    sessions: tuple[int, ...] = ()
    messages: tuple[int, ...] = ()
    notes: tuple[int, ...] = ()

    def as_json(self) -> dict[str, list[int]]:
        return {"sessions": sorted(self.sessions), "messages": sorted(self.messages), "notes": sorted(self.notes)}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Evidence:
        return cls(*(tuple(value.get(kind) or ()) for kind in ("sessions", "messages", "notes")))

    def items(self) -> set[tuple[str, int]]:
        return {(kind, i) for kind, ids in self.as_json().items() for i in ids}


@dataclass(frozen=True)
class ConcernReport:
    subject_id: int
    category: ConcernCategory
    code_section: str
    description: str
    evidence: Evidence = field(default_factory=Evidence)


@dataclass(frozen=True)
class ConcernFiled:
    concern: Concern
    case: Case
    joined: bool  # it joined a case that already handled the same facts


def _input_problem(report: ConcernReport, policy: CasePolicy) -> InvalidInput | None:
    description, section = report.description.strip(), report.code_section.strip()
    if not description:
        return InvalidInput("description", "say what happened")
    if len(description) > policy.max_description:
        return InvalidInput("description", f"at most {policy.max_description} characters")
    if not section or len(section) > 200:
        return InvalidInput("codeSection", "name the section of the Code, in at most 200 characters")
    if has_nul(description) or has_nul(section):
        return InvalidInput("description", NUL_PROBLEM)
    if sum(len(ids) for ids in report.evidence.as_json().values()) > MAX_EVIDENCE_ITEMS:
        return InvalidInput("evidence", f"cite at most {MAX_EVIDENCE_ITEMS} items")
    return None


async def report_concern(reporter: Reporter, report: ConcernReport, *, clock: Clock) -> ConcernFiled | Any:
    """File the concern in one transaction: the concern, its case (new or joined), the case log, the events."""
    now = clock.now()
    policy = await policy_for(reporter.organization_id)
    if (problem := _input_problem(report, policy)) is not None:
        return problem

    async def file(conn: Any) -> ConcernFiled:
        subject = await Participant.filter(id=report.subject_id, organization_id=reporter.organization_id).first()
        if subject is None:
            raise Refused(NotFound("Participant", str(report.subject_id)))
        if reporter.participant_id == subject.id:
            raise Refused(InvalidInput("subjectId", "nobody can report themselves"))
        if (refusal := await _may_report(reporter, subject, now, policy)) is not None:
            raise Refused(refusal)
        if (problem := await _evidence_problem(reporter, subject, report.evidence)) is not None:
            raise Refused(problem)
        case, joined = await _case_for(reporter, subject, report, now, policy, conn)
        concern = await Concern.create(
            using_db=conn,
            case_id=case.id,
            organization_id=reporter.organization_id,
            subject_id=subject.id,
            reporter_kind=reporter.kind,
            reporter_participant_id=reporter.participant_id,
            reporter_token_id=reporter.token_id,
            category=report.category,
            code_section=report.code_section.strip(),
            description=report.description.strip(),
            evidence=report.evidence.as_json(),
            created_at=now,
        )
        if joined:
            await log_step(
                case,
                "report",
                case.state,
                reporter.actor,
                "a report about the same facts joined the case",
                now,
                conn,
                {"concern": concern.id},
            )
        return ConcernFiled(concern, case, joined)

    return await atomically(file)


async def _may_report(reporter: Reporter, subject: Participant, now: datetime, policy: CasePolicy) -> Any:
    if reporter.kind is ReporterKind.PARTICIPANT:
        assert reporter.participant_id is not None
        if not await in_contact(reporter.participant_id, subject.id):
            return NotPermitted("a participant reports someone they had a session with or exchanged messages with")
    since = now - timedelta(days=1)
    recent = Concern.filter(created_at__gt=since, organization_id=reporter.organization_id)
    recent = (
        recent.filter(reporter_participant_id=reporter.participant_id)
        if reporter.kind is ReporterKind.PARTICIPANT
        else recent.filter(reporter_token_id=reporter.token_id)
    )
    if await recent.count() >= policy.reports_per_day:
        return NotPermitted(f"at most {policy.reports_per_day} reports a day; the program admin has yours")
    return None


async def in_contact(a: int, b: int) -> bool:
    """A session booked between the two, or a message exchanged."""
    sessions = Q(mentor_id=a, protege_id=b) | Q(mentor_id=b, protege_id=a)
    messages = Q(sender_id=a, recipient_id=b) | Q(sender_id=b, recipient_id=a)
    return await MentorshipSession.filter(sessions).exists() or await Message.filter(messages).exists()


async def _evidence_problem(reporter: Reporter, subject: Participant, evidence: Evidence) -> InvalidInput | None:
    """Each cited item exists in the organization, involves the subject, and is one the reporter can see."""
    me = reporter.participant_id if reporter.kind is ReporterKind.PARTICIPANT else None
    org = reporter.organization_id
    for session_id in evidence.sessions:
        session = await MentorshipSession.filter(id=session_id, organization_id=org).first()
        if session is None or (me is not None and me not in (session.mentor_id, session.protege_id)):
            return InvalidInput("evidence", f"session {session_id} is not one you can see")
        if subject.id not in (session.mentor_id, session.protege_id):
            return InvalidInput("evidence", f"session {session_id} does not involve the participant reported")
    for message_id in evidence.messages:
        message = await Message.filter(id=message_id, organization_id=org).first()
        if message is None or (me is not None and me not in (message.sender_id, message.recipient_id)):
            return InvalidInput("evidence", f"message {message_id} is not one you can see")
        if subject.id not in (message.sender_id, message.recipient_id):
            return InvalidInput("evidence", f"message {message_id} does not involve the participant reported")
    for note_id in evidence.notes:
        note = await SessionNote.filter(id=note_id, session__organization_id=org).prefetch_related("session").first()
        # A session note is private to the mentor who wrote it: only they, or an admin, can cite it.
        if note is None or reporter.kind is ReporterKind.PARTNER or (me is not None and me != note.session.mentor_id):
            return InvalidInput("evidence", f"note {note_id} is not one you can see")
        if subject.id not in (note.session.mentor_id, note.session.protege_id):
            return InvalidInput("evidence", f"note {note_id} does not involve the participant reported")
    return None


async def _case_for(
    reporter: Reporter,
    subject: Participant,
    report: ConcernReport,
    now: datetime,
    policy: CasePolicy,
    conn: Any,
) -> tuple[Case, bool]:
    """The case already handling these facts (same evidence, or an active case opened within the window),
    locked; or a new one."""
    cases = await Case.filter(subject_id=subject.id).select_for_update(no_key=True).using_db(conn).order_by("-id")
    if cases:
        cited = report.evidence.items()
        concerns = await Concern.filter(case_id__in=[c.id for c in cases]).using_db(conn)
        for case in cases:
            if cited and any(cited & Evidence.from_json(c.evidence).items() for c in concerns if c.case_id == case.id):
                return case, True
        for case in cases:
            if case.state in ACTIVE_STATES and now - case.opened_at <= policy.join_window.value:
                return case, True
    case = await Case.create(
        using_db=conn,
        reference=_reference(),
        organization_id=subject.organization_id,
        subject_id=subject.id,
        state=CaseMachine.open.id,
        category=report.category,
        code_section=report.code_section.strip(),
        opened_at=now,
        updated_at=now,
    )
    await log_step(case, "open", case.state, reporter.actor, "a concern was reported", now, conn)
    await arm_stages(case, policy, now, conn)
    return case, False


def _reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"CASE-{code[:4]}-{code[4:]}"
