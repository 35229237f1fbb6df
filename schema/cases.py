"""Concerns and cases over GraphQL: anyone with a relationship reports, admins handle and decide, reporters
follow their reports, subjects read the cases decided against them. Partners report and read their own
reports, never a case's description or notes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain.access.principals import Principal, TokenRole
from domain.cases import reading
from domain.cases.decisions import DecideCase, Outcome, ReporterSummary, decide_case
from domain.cases.handling import CaseActor, assign_case, disclose_reporter, step_case
from domain.cases.machine import CaseContext, CaseMachine, bind_case
from domain.cases.notes import add_moderator_note, open_session_note
from domain.cases.policy import CasePolicy
from domain.cases.reporting import ConcernReport, Evidence, Reporter, report_concern
from domain.cases.settings import set_case_stages
from domain.cases.stages import STAGES, stage_reached
from domain.kernel.rejections import NotFound, is_rejection
from domain.models import AdminNudge as AdminNudgeRow
from domain.models import Case as CaseRow
from domain.models import CaseDecision as DecisionRow
from domain.models import CaseLogEntry as LogRow
from domain.models import Concern as ConcernRow
from domain.models import ConcernCategory, Deadline, ReporterKind
from domain.models import ModeratorNote as NoteRow
from schema.context import admin_of, principal_of
from schema.enums import ActorKind, CaseEvent, CaseOutcome, CaseState, StandingEvent
from schema.errors import (
    CaseStepNotAllowedError,
    InvalidInputError,
    NotFoundError,
    NotPermittedError,
    StaleVersionError,
    TransitionNotAllowedError,
    to_graphql,
)
from schema.ids import any_id, parse_database_id
from schema.types import Actor, ParticipantNode, TransitionEntry

MAX_CASES = 100


def case_actor(principal: Principal) -> CaseActor:
    return CaseActor(principal.actor, principal.token_id, principal.organization_id, principal.person_id)


# --- reporting ----------------------------------------------------------------------------------------


@strawberry.input
class ConcernEvidenceInput:
    session_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    message_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    note_ids: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input
class ReportConcernInput:
    subject_id: strawberry.ID
    category: ConcernCategory
    code_section: str = strawberry.field(description='The section of the Code, e.g. "Protégé Code 3, Commitment".')
    description: str
    evidence: ConcernEvidenceInput | None = None


@strawberry.type(description="The acknowledgement a reporter gets at once: the case their report is in.")
class ReportReceipt:
    case_reference: str
    status: str = strawberry.field(description="received, under_review, decided, closed or dismissed.")
    joined_existing_case: bool = strawberry.field(description="The report joined a case about the same facts.")
    received_at: datetime
    message: str


ReportConcernResult = Annotated[
    ReportReceipt | NotFoundError | InvalidInputError | NotPermittedError, strawberry.union("ReportConcernResult")
]


def reporter_of(principal: Principal) -> Reporter:
    kind = {
        TokenRole.PARTICIPANT: ReporterKind.PARTICIPANT,
        TokenRole.ADMIN: ReporterKind.ADMIN,
        TokenRole.PARTNER: ReporterKind.PARTNER,
    }[principal.role]
    return Reporter(kind, principal.token_id, principal.organization_id, principal.person_id)


def _ids(values: list[strawberry.ID]) -> tuple[int, ...]:
    return tuple(parse_database_id(v) or -1 for v in values)


@strawberry.type(description="A concern you reported, and where its case stands.")
class MyReport:
    case_reference: str
    category: ConcernCategory
    code_section: str
    status: str = strawberry.field(description="received, under_review, decided, closed or dismissed.")
    reported_at: datetime
    outcome: ReporterSummary | None = strawberry.field(description="Once decided: what was done, in safe words.")


# --- cases, for admins -----------------------------------------------------------------------------------


@strawberry.type
class ConcernEvidence:
    session_ids: list[strawberry.ID]
    message_ids: list[strawberry.ID]
    note_ids: list[strawberry.ID]

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> ConcernEvidence:
        ids = {
            kind: [strawberry.ID(str(i)) for i in found] for kind, found in Evidence.from_json(value).as_json().items()
        }
        return cls(session_ids=ids["sessions"], message_ids=ids["messages"], note_ids=ids["notes"])


@strawberry.type(description="One report in a case, as admins see it.")
class Concern:
    id: strawberry.ID
    reporter_kind: ReporterKind
    reporter_participant_id: strawberry.ID | None
    category: ConcernCategory
    code_section: str
    description: str
    evidence: ConcernEvidence
    created_at: datetime

    @classmethod
    def from_row(cls, row: ConcernRow) -> Concern:
        return cls(
            id=strawberry.ID(str(row.id)),
            reporter_kind=row.reporter_kind,
            reporter_participant_id=strawberry.ID(str(row.reporter_participant_id))
            if row.reporter_participant_id
            else None,
            category=row.category,
            code_section=row.code_section,
            description=row.description,
            evidence=ConcernEvidence.from_json(row.evidence),
            created_at=row.created_at,
        )


@strawberry.type(description="One step of a case, from its append-only log.")
class CaseLogEntry:
    event: CaseEvent
    from_state: CaseState
    to_state: CaseState
    actor: Actor
    reason: str
    details: JSON
    occurred_at: datetime

    @classmethod
    def from_row(cls, row: LogRow) -> CaseLogEntry:
        return cls(
            event=CaseEvent(row.event),
            from_state=CaseState(row.from_state),
            to_state=CaseState(row.to_state),
            actor=Actor(kind=ActorKind(row.actor_kind), id=row.actor_id),
            reason=row.reason,
            details=row.details,
            occurred_at=row.occurred_at,
        )


@strawberry.type
class CaseDecision:
    id: strawberry.ID
    outcome: CaseOutcome
    standing_event: StandingEvent | None
    transition_id: strawberry.ID | None = strawberry.field(description="The rung this decision applied or kept.")
    reversal_id: strawberry.ID | None = strawberry.field(description="The step that undid the earlier rung.")
    supersedes_id: strawberry.ID | None
    reason: str
    reporter_summary: ReporterSummary
    decided_by: str
    decided_at: datetime

    @classmethod
    def from_row(cls, row: DecisionRow) -> CaseDecision:
        def opt(value: int | None) -> strawberry.ID | None:
            return strawberry.ID(str(value)) if value else None

        return cls(
            id=strawberry.ID(str(row.id)),
            outcome=Outcome(row.outcome),
            standing_event=StandingEvent(row.standing_event) if row.standing_event else None,
            transition_id=opt(row.transition_id),
            reversal_id=opt(row.reversal_id),
            supersedes_id=opt(row.supersedes_id),
            reason=row.reason,
            reporter_summary=ReporterSummary(row.reporter_summary),
            decided_by=row.decided_by,
            decided_at=row.decided_at,
        )


@strawberry.type(description="An admin's private note. Admins only: never partners, webhooks or exports.")
class ModeratorNote:
    id: strawberry.ID
    participant_id: strawberry.ID | None
    case_id: strawberry.ID | None
    author: str
    body: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: NoteRow) -> ModeratorNote:
        return cls(
            id=strawberry.ID(str(row.id)),
            author=row.author,
            body=row.body,
            created_at=row.created_at,
            participant_id=strawberry.ID(str(row.participant_id)) if row.participant_id else None,
            case_id=strawberry.ID(str(row.case_id)) if row.case_id else None,
        )


@strawberry.type(description="A stage a case must reach in time.")
class CaseStage:
    stage: str
    due_at: datetime
    nudged: bool = strawberry.field(description="The stage was missed and the admins were nudged.")
    reached: bool = strawberry.field(description="The case got past this stage; until then it waits in the queue.")


@strawberry.type(description="A case, as the organization's admins see it.")
class Case:
    id: strawberry.ID
    reference: str
    state: CaseState
    category: ConcernCategory
    code_section: str
    assignee: str | None
    version: int
    opened_at: datetime
    updated_at: datetime
    row: strawberry.Private[CaseRow]

    @classmethod
    def from_row(cls, row: CaseRow) -> Case:
        return cls(
            id=strawberry.ID(str(row.id)),
            reference=row.reference,
            state=CaseState(row.state),
            category=row.category,
            code_section=row.code_section,
            assignee=row.assignee,
            version=row.version,
            opened_at=row.opened_at,
            updated_at=row.updated_at,
            row=row,
        )

    @strawberry.field
    async def subject(self, info: Info) -> ParticipantNode:
        from domain.models import Participant

        return ParticipantNode.from_row(await Participant.get(id=self.row.subject_id))

    @strawberry.field(description="Steps you may take now, from the case machine.")
    async def allowed_events(self, info: Info) -> list[CaseEvent]:
        from domain.cases.handling import context_for

        machine, _ = bind_case(self.row.state)
        ctx: CaseContext = await context_for(self.row, case_actor(admin_of(info)))
        return [CaseEvent(e.id) for e in machine.enabled_events(ctx=ctx)]

    @strawberry.field
    async def concerns(self) -> list[Concern]:
        return [Concern.from_row(r) for r in await ConcernRow.filter(case_id=self.row.id).order_by("id")]

    @strawberry.field(description="The append-only case log, oldest first.")
    async def log(self) -> list[CaseLogEntry]:
        return [CaseLogEntry.from_row(r) for r in await LogRow.filter(case_id=self.row.id).order_by("id")]

    @strawberry.field(description="Every decision, newest first: the first one is in force.")
    async def decisions(self) -> list[CaseDecision]:
        return [CaseDecision.from_row(r) for r in await DecisionRow.filter(case_id=self.row.id).order_by("-id")]

    @strawberry.field
    async def moderator_notes(self) -> list[ModeratorNote]:
        return [ModeratorNote.from_row(r) for r in await NoteRow.filter(case_id=self.row.id).order_by("id")]

    @strawberry.field(description="The stage deadlines, and whether a missed one nudged the admins.")
    async def stages(self) -> list[CaseStage]:
        deadlines = await Deadline.filter(subject_id=self.row.id, kind__in=list(STAGES)).order_by("due_at")
        nudged = set(await AdminNudgeRow.filter(case_id=self.row.id).values_list("key", flat=True))
        return [
            CaseStage(
                stage=STAGES[d.kind][0],
                due_at=d.due_at,
                nudged=d.key in nudged,
                reached=stage_reached(d.kind, self.row),
            )
            for d in deadlines
        ]


@strawberry.type(
    description="A case decided against you: what was found and done. Reporters stay private "
    "unless an admin chose to disclose one."
)
class CaseAboutMe:
    reference: str
    category: ConcernCategory
    code_section: str
    outcome: CaseOutcome
    standing_event: StandingEvent | None
    reason: str
    decided_at: datetime
    disclosed_reporters: list[str]


@strawberry.type(description="An admin opened this private note for a case: who, when, and why.")
class SessionNoteRead:
    reader: str
    case_id: strawberry.ID
    reason: str
    read_at: datetime


@strawberry.type(description="A mentor's session note. Its text is its author's alone (Mentor Code 4).")
class PrivateSessionNote:
    id: strawberry.ID
    session_id: strawberry.ID
    submitted_at: datetime
    on_time: bool
    body: str | None = strawberry.field(description="Only the mentor who wrote it reads it here.")
    reads: list[SessionNoteRead] = strawberry.field(
        description="Every time an admin opened it; for its author and the admins."
    )


@strawberry.type(
    description="Something the admins should act on: a case stage that was missed (case_*), or a participant "
    "to review because an admin's lock over their automation ended (lock_review)."
)
class AdminNudge:
    id: strawberry.ID
    kind: str
    case_reference: str | None
    participant_id: strawberry.ID | None
    message: str
    due_at: datetime
    created_at: datetime


# --- results ------------------------------------------------------------------------------------------


@strawberry.type
class CasePayload:
    case: Case


@strawberry.type
class CaseDecisionPayload:
    case: Case
    decision: CaseDecision
    transition: TransitionEntry | None = strawberry.field(description="The rung applied, if any.")
    reversal: TransitionEntry | None = strawberry.field(description="The earlier rung undone, if any.")


CaseErrors = NotFoundError | StaleVersionError | InvalidInputError | NotPermittedError | CaseStepNotAllowedError
CaseResult = Annotated[CasePayload | CaseErrors, strawberry.union("CaseResult")]
DecideCaseResult = Annotated[
    CaseDecisionPayload | CaseErrors | TransitionNotAllowedError, strawberry.union("DecideCaseResult")
]
ModeratorNoteResult = Annotated[
    ModeratorNote | NotFoundError | InvalidInputError, strawberry.union("ModeratorNoteResult")
]


@strawberry.type
class OpenedSessionNote:
    note_id: strawberry.ID
    body: str
    read_at: datetime


OpenSessionNoteResult = Annotated[
    OpenedSessionNote | NotFoundError | InvalidInputError | NotPermittedError, strawberry.union("OpenSessionNoteResult")
]


@strawberry.type
class CaseStagesPayload:
    version: str
    acknowledge_hours: int
    triage_days: int
    decide_days: int


SetCaseStagesResult = Annotated[
    CaseStagesPayload | InvalidInputError | NotFoundError, strawberry.union("SetCaseStagesResult")
]


def _payload(result: Any) -> Any:
    return to_graphql(result) if is_rejection(result) else CasePayload(case=Case.from_row(result.case))


@strawberry.input
class CaseStepInput:
    case_id: strawberry.ID
    reason: str
    expected_version: int | None = None


@strawberry.input
class AssignCaseInput:
    case_id: strawberry.ID
    reason: str
    assignee_token_id: strawberry.ID | None = strawberry.field(
        default=None, description="The admin token to assign; yours when left out."
    )
    expected_version: int | None = None


@strawberry.input
class DecideCaseInput:
    case_id: strawberry.ID
    outcome: CaseOutcome
    reason: str
    event: StandingEvent | None = strawberry.field(default=None, description="The rung, for a STANDING_EVENT.")
    until: datetime | None = strawberry.field(default=None, description="A suspension's end.")
    reporter_summary: ReporterSummary | None = None
    expected_version: int | None = None


@strawberry.input
class DiscloseReporterInput:
    case_id: strawberry.ID
    concern_id: strawberry.ID
    reason: str


@strawberry.input
class ModeratorNoteInput:
    body: str
    participant_id: strawberry.ID | None = None
    case_id: strawberry.ID | None = None


@strawberry.input
class OpenSessionNoteInput:
    note_id: strawberry.ID
    case_id: strawberry.ID
    reason: str


def _step_mutation(event: str):  # type: ignore[no-untyped-def]
    async def resolve(self: Any, info: Info, input: CaseStepInput) -> CaseResult:
        principal = admin_of(info)
        result = await step_case(
            any_id(input.case_id),
            event,
            by=case_actor(principal),
            reason=input.reason,
            clock=info.context.clock,
            expected_version=input.expected_version,
        )
        return _payload(result)  # type: ignore[no-any-return]

    return strawberry.mutation(
        resolver=resolve, name=f"{event}Case", description=f"Case machine: {event}. Needs an admin token and a reason."
    )


@strawberry.type
class CaseMutations:
    @strawberry.mutation(description="Report a concern about someone (Protégé Code 5). The receipt names the case.")
    async def report_concern(self, info: Info, input: ReportConcernInput) -> ReportConcernResult:
        principal = principal_of(info)
        evidence = input.evidence or ConcernEvidenceInput()
        report = ConcernReport(
            subject_id=any_id(input.subject_id),
            category=input.category,
            code_section=input.code_section,
            description=input.description,
            evidence=Evidence(_ids(evidence.session_ids), _ids(evidence.message_ids), _ids(evidence.note_ids)),
        )
        result = await report_concern(reporter_of(principal), report, clock=info.context.clock)
        if is_rejection(result):
            return to_graphql(result)  # type: ignore[return-value]
        status = reading.REPORT_STATUS[result.case.state]
        return ReportReceipt(
            case_reference=result.case.reference,
            status=status,  # type: ignore[return-value]
            joined_existing_case=result.joined,
            received_at=result.concern.created_at,
            message=f"Thank you. Your report is with the program admins as case "
            f"{result.case.reference}; you can follow it in myReports.",
        )

    @strawberry.mutation(description="Give a case to an admin who is not a party to it (you, by default).")
    async def assign_case(self, info: Info, input: AssignCaseInput) -> CaseResult:
        principal = admin_of(info)
        assignee = any_id(input.assignee_token_id) if input.assignee_token_id is not None else principal.token_id
        result = await assign_case(
            any_id(input.case_id),
            by=case_actor(principal),
            assignee_token_id=assignee,
            reason=input.reason,
            clock=info.context.clock,
            expected_version=input.expected_version,
        )
        return _payload(result)  # type: ignore[no-any-return]

    triage_case = _step_mutation("triage")
    investigate_case = _step_mutation("investigate")
    dismiss_case = _step_mutation("dismiss")
    close_case = _step_mutation("close")
    reopen_case = _step_mutation("reopen")

    @strawberry.mutation(
        description="Decide a case: no violation, guidance, or one standing rung, applied in the "
        "same transaction with the case as its evidence."
    )
    async def decide_case(self, info: Info, input: DecideCaseInput) -> DecideCaseResult:
        principal = admin_of(info)
        command = DecideCase(
            case_id=any_id(input.case_id),
            outcome=Outcome(input.outcome),
            reason=input.reason,
            event=input.event.value if input.event else None,
            params={"until": input.until} if input.until is not None else None,
            reporter_summary=input.reporter_summary,
            expected_version=input.expected_version,
        )
        result = await decide_case(command, by=case_actor(principal), clock=info.context.clock)
        if is_rejection(result):
            return to_graphql(result)  # type: ignore[return-value]
        return CaseDecisionPayload(  # type: ignore[return-value]
            case=Case.from_row(result.case),
            decision=CaseDecision.from_row(result.decision),
            transition=TransitionEntry.from_row(result.transition) if result.transition else None,
            reversal=TransitionEntry.from_row(result.reversal) if result.reversal else None,
        )

    @strawberry.mutation(description="Let the subject see who raised one concern; the choice is recorded.")
    async def disclose_reporter(self, info: Info, input: DiscloseReporterInput) -> CaseResult:
        principal = admin_of(info)
        result = await disclose_reporter(
            any_id(input.case_id),
            any_id(input.concern_id),
            by=case_actor(principal),
            reason=input.reason,
            clock=info.context.clock,
        )
        return _payload(result)  # type: ignore[no-any-return]

    @strawberry.mutation(description="An admin's private note on a participant or a case (append-only).")
    async def add_moderator_note(self, info: Info, input: ModeratorNoteInput) -> ModeratorNoteResult:
        principal = admin_of(info)
        result = await add_moderator_note(
            organization_id=principal.organization_id,
            author=principal.actor,
            body=input.body,
            clock=info.context.clock,
            participant_id=any_id(input.participant_id) if input.participant_id is not None else None,
            case_id=any_id(input.case_id) if input.case_id is not None else None,
        )
        return ModeratorNote.from_row(result) if isinstance(result, NoteRow) else to_graphql(result)  # type: ignore[return-value]

    @strawberry.mutation(
        description="Open a mentor's private session note for a case that cites it, with a "
        "reason. The read is logged, and the author sees it."
    )
    async def open_session_note(self, info: Info, input: OpenSessionNoteInput) -> OpenSessionNoteResult:
        principal = admin_of(info)
        result = await open_session_note(
            organization_id=principal.organization_id,
            reader=principal.actor,
            note_id=any_id(input.note_id),
            case_id=any_id(input.case_id),
            reason=input.reason,
            clock=info.context.clock,
        )
        if is_rejection(result):
            return to_graphql(result)  # type: ignore[return-value]
        return OpenedSessionNote(
            note_id=strawberry.ID(str(result.note.id)),
            body=result.note.body,  # type: ignore[return-value]
            read_at=result.read.read_at,
        )

    @strawberry.mutation(
        description='Replace the organization\'s case stage deadlines, e.g. {"triage_days": 2}; '
        "{} restores Standing's. Applies to cases opened from now on."
    )
    async def set_case_stages(self, info: Info, stages: JSON, reason: str) -> SetCaseStagesResult:
        principal = admin_of(info)
        result = await set_case_stages(
            principal.organization_id, stages, reason=reason, actor=principal.actor, clock=info.context.clock
        )
        if not isinstance(result, CasePolicy):
            return to_graphql(result)  # type: ignore[return-value]
        return CaseStagesPayload(  # type: ignore[return-value]
            version=result.version,
            acknowledge_hours=int(result.acknowledge.value.total_seconds() // 3600),
            triage_days=result.triage.value.days,
            decide_days=result.decide.value.days,
        )


@strawberry.type
class CaseQueries:
    @strawberry.field(description="The organization's cases, open ones first by default (admins).")
    async def cases(self, info: Info, state: CaseState | None = None, first: int = 50) -> list[Case]:
        principal = admin_of(info)
        query = CaseRow.filter(organization_id=principal.organization_id)
        if state is not None:
            query = query.filter(state=state.value)
        rows = await query.order_by("opened_at", "id").limit(max(1, min(first, MAX_CASES)))
        return [Case.from_row(r) for r in rows]

    @strawberry.field(description="One case by id or reference (admins).")
    async def case(self, info: Info, id: strawberry.ID) -> Case | None:
        principal = admin_of(info)
        query = CaseRow.filter(organization_id=principal.organization_id)
        text = str(id).strip()
        row = await (
            query.filter(reference=text) if text.startswith("CASE-") else query.filter(id=any_id(text))
        ).first()
        return Case.from_row(row) if row else None

    @strawberry.field(description="The concerns you reported and where their cases stand.")
    async def my_reports(self, info: Info) -> list[MyReport]:
        principal = principal_of(info)
        found = await reading.my_reports(
            organization_id=principal.organization_id,
            token_id=principal.token_id,
            participant_id=principal.participant_id if principal.role is TokenRole.PARTICIPANT else None,
        )
        return [
            MyReport(
                case_reference=r.case.reference,
                category=r.concern.category,
                code_section=r.concern.code_section,
                status=r.status,
                reported_at=r.concern.created_at,
                outcome=ReporterSummary(r.outcome) if r.outcome else None,
            )
            for r in found
        ]

    @strawberry.field(description="Cases decided against you (participant tokens).")
    async def cases_about_me(self, info: Info) -> list[CaseAboutMe]:
        principal = principal_of(info)
        if principal.role is not TokenRole.PARTICIPANT or principal.participant_id is None:
            return []
        return [
            CaseAboutMe(
                reference=c.case.reference,
                category=c.case.category,
                code_section=c.case.code_section,
                outcome=Outcome(c.decision.outcome),
                standing_event=StandingEvent(c.decision.standing_event) if c.decision.standing_event else None,
                reason=c.decision.reason,
                decided_at=c.decision.decided_at,
                disclosed_reporters=c.disclosed_reporters,
            )
            for c in await reading.cases_about(principal.participant_id)
        ]

    @strawberry.field(description="Moderator notes on a participant or a case (admins).")
    async def moderator_notes(
        self, info: Info, participant_id: strawberry.ID | None = None, case_id: strawberry.ID | None = None
    ) -> list[ModeratorNote]:
        principal = admin_of(info)
        query = NoteRow.filter(organization_id=principal.organization_id)
        if participant_id is not None:
            query = query.filter(participant_id=any_id(participant_id))
        if case_id is not None:
            query = query.filter(case_id=any_id(case_id))
        return [ModeratorNote.from_row(r) for r in await query.order_by("-id").limit(MAX_CASES)]

    @strawberry.field(description="The note of a session you are part of; its text only if you wrote it.")
    async def session_note(self, info: Info, session_id: strawberry.ID) -> PrivateSessionNote | None:
        from domain.models import MentorshipSession, SessionNote
        from domain.models import SessionNoteRead as SessionNoteReadRow

        principal = principal_of(info)
        session = await MentorshipSession.filter(
            id=any_id(session_id), organization_id=principal.organization_id
        ).first()
        if session is None or principal.role is TokenRole.PARTNER:
            return None
        me = principal.participant_id if principal.role is TokenRole.PARTICIPANT else None
        if me is not None and me not in (session.mentor_id, session.protege_id):
            return None
        note = await SessionNote.filter(session_id=session.id).first()
        if note is None:
            return None
        author = me is not None and me == session.mentor_id
        reads = (
            [
                SessionNoteRead(
                    reader=r.reader, case_id=strawberry.ID(str(r.case_id)), reason=r.reason, read_at=r.read_at
                )
                for r in await SessionNoteReadRow.filter(note_id=note.id).order_by("id")
            ]
            if author or principal.is_admin
            else []
        )
        return PrivateSessionNote(
            id=strawberry.ID(str(note.id)),
            session_id=strawberry.ID(str(session.id)),
            submitted_at=note.submitted_at,
            on_time=note.on_time,
            body=note.body if author else None,
            reads=reads,
        )

    @strawberry.field(description="Nudges for the organization's admins, newest first (admins).")
    async def admin_nudges(self, info: Info, first: int = 50) -> list[AdminNudge]:
        principal = admin_of(info)
        rows = (
            await AdminNudgeRow.filter(organization_id=principal.organization_id)
            .order_by("-id")
            .limit(max(1, min(first, MAX_CASES)))
        )
        references = dict(
            await CaseRow.filter(id__in={r.case_id for r in rows if r.case_id}).values_list("id", "reference")
        )
        return [
            AdminNudge(
                id=strawberry.ID(str(r.id)),
                kind=r.kind,
                case_reference=references.get(r.case_id),
                participant_id=strawberry.ID(str(r.participant_id)) if r.participant_id else None,
                message=r.message,
                due_at=r.due_at,
                created_at=r.created_at,
            )
            for r in rows
        ]


def not_found(entity: str, value: object) -> NotFoundError:
    return to_graphql(NotFound(entity, str(value)))  # type: ignore[return-value]


__all__ = ["CaseMutations", "CaseQueries", "CaseMachine"]
