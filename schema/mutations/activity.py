"""Recording activity. Admins record for anyone in their organization; participants for themselves.

Each mutation builds one activity command and hands it to `record_activity`, which stores the row and
its consequences (deadlines, rules, the badges concerned) in one transaction. It returns the recorded
item or a typed error.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.types import Info

from domain.access.principals import TokenRole
from domain.activity.acting import Acting
from domain.activity.calendar import AddAvailability, CreateServiceOffering
from domain.activity.community import RecordCommunityEvent
from domain.activity.goals import CreateGoal, LogGoalProgress, SetGoalStatus, SmartGoal
from domain.activity.messages import RespondToMessage, SendMessage
from domain.activity.record import REJECTIONS, ActivityCommand, record_activity
from domain.activity.sessions import BookSession, RecordSessionOutcome, SubmitSessionFeedback, SubmitSessionNote
from domain.deadlines.leave import grant_leave
from domain.kernel.rejections import InvalidInput, NotFound
from schema import activity_types as t
from schema.context import admin_of, principal_of
from schema.enums import Absentee, CommunityEventKind, GoalStatus, SessionStatus
from schema.errors import AuthError, InvalidInputError, NotFoundError, NotPermittedError, to_graphql
from schema.ids import any_id

T = TypeVar("T")
ERRORS = NotFoundError | InvalidInputError | NotPermittedError


def view(cls: type[T], row: Any) -> T:
    """Build a GraphQL view from an ORM row, field by field."""
    names = [f.python_name for f in cls.__strawberry_definition__.fields]  # type: ignore[attr-defined]
    return cls(**{name: getattr(row, name) for name in names})


def acting_of(info: Info) -> Acting:
    principal = principal_of(info)
    if principal.role is TokenRole.PARTNER:
        raise AuthError("FORBIDDEN", "partner tokens read standing; they do not record activity")
    return Acting(principal.organization_id, principal.participant_id)


async def record(info: Info, command: ActivityCommand, cls: type) -> Any:
    """Record the activity and its consequences in one transaction; show the row or the rejection."""
    result = await record_activity(acting_of(info), command, clock=info.context.clock)
    if isinstance(result, REJECTIONS):
        return to_graphql(result)
    return view(cls, result)


def _id(value: strawberry.ID) -> int:
    """A database id, or a Relay global id as `participant.id` returns it; unknown ids are not found."""
    return any_id(value)


GoalResult = Annotated[t.Goal | ERRORS, strawberry.union("GoalResult")]
ProgressResult = Annotated[t.GoalProgressUpdate | ERRORS, strawberry.union("GoalProgressResult")]
AvailabilityResult = Annotated[t.AvailabilityWindow | ERRORS, strawberry.union("AvailabilityResult")]
OfferingResult = Annotated[t.ServiceOffering | ERRORS, strawberry.union("ServiceOfferingResult")]
SessionResult = Annotated[t.MentorshipSession | ERRORS, strawberry.union("SessionResult")]
NoteResult = Annotated[t.SessionNote | ERRORS, strawberry.union("SessionNoteResult")]
FeedbackResult = Annotated[t.SessionFeedback | ERRORS, strawberry.union("SessionFeedbackResult")]
MessageResult = Annotated[t.Message | ERRORS, strawberry.union("MessageResult")]
AttendanceResult = Annotated[t.CommunityAttendance | ERRORS, strawberry.union("CommunityAttendanceResult")]


@strawberry.input
class CreateGoalInput:
    protege_id: strawberry.ID
    mentor_id: strawberry.ID | None = None
    specific: str
    measurable: str
    achievable: str
    relevant: str
    due_on: date


@strawberry.input
class BookSessionInput:
    mentor_id: strawberry.ID
    protege_id: strawberry.ID
    goal_id: strawberry.ID
    scheduled_at: datetime
    duration_minutes: int = 60
    admin_approved: bool = strawberry.field(default=False, description="An admin approves a protégé in reminder.")


@strawberry.input
class SessionOutcomeInput:
    session_id: strawberry.ID
    outcome: SessionStatus
    absentee: Absentee | None = None
    notice_hours: float | None = None


@strawberry.type
class ActivityMutations:
    @strawberry.mutation(description="A protégé sets a SMART goal, optionally tracked by a mentor.")
    async def create_goal(self, info: Info, input: CreateGoalInput) -> GoalResult:
        goal = SmartGoal(input.specific, input.measurable, input.achievable, input.relevant, input.due_on)
        mentor = _id(input.mentor_id) if input.mentor_id is not None else None
        return await record(info, CreateGoal(protege_id=_id(input.protege_id), goal=goal, mentor_id=mentor), t.Goal)

    @strawberry.mutation
    async def set_goal_status(self, info: Info, goal_id: strawberry.ID, status: GoalStatus) -> GoalResult:
        return await record(info, SetGoalStatus(goal_id=_id(goal_id), status=status), t.Goal)

    @strawberry.mutation
    async def log_goal_progress(
        self,
        info: Info,
        goal_id: strawberry.ID,
        note: str,
        percent_complete: int | None = None,
        author_id: strawberry.ID | None = None,
    ) -> ProgressResult:
        command = LogGoalProgress(
            goal_id=_id(goal_id),
            note=note,
            percent_complete=percent_complete,
            author_id=_id(author_id) if author_id is not None else None,
        )
        return await record(info, command, t.GoalProgressUpdate)

    @strawberry.mutation(description="A mentor opens a calendar window for booking.")
    async def add_availability(
        self, info: Info, mentor_id: strawberry.ID, starts_at: datetime, ends_at: datetime
    ) -> AvailabilityResult:
        return await record(
            info, AddAvailability(mentor_id=_id(mentor_id), starts_at=starts_at, ends_at=ends_at), t.AvailabilityWindow
        )

    @strawberry.mutation
    async def create_service_offering(
        self, info: Info, mentor_id: strawberry.ID, title: str, description: str = "", duration_minutes: int = 60
    ) -> OfferingResult:
        command = CreateServiceOffering(
            mentor_id=_id(mentor_id), title=title, description=description, duration_minutes=duration_minutes
        )
        return await record(info, command, t.ServiceOffering)

    @strawberry.mutation(description="Book a session. Suspended or removed mentors cannot be booked.")
    async def book_session(self, info: Info, input: BookSessionInput) -> SessionResult:
        command = BookSession(
            mentor_id=_id(input.mentor_id),
            protege_id=_id(input.protege_id),
            goal_id=_id(input.goal_id),
            scheduled_at=input.scheduled_at,
            duration_minutes=input.duration_minutes,
            admin_approved=input.admin_approved,
        )
        return await record(info, command, t.MentorshipSession)

    @strawberry.mutation(description="End a booked session: attended, no-show, rescheduled or cancelled.")
    async def record_session_outcome(self, info: Info, input: SessionOutcomeInput) -> SessionResult:
        command = RecordSessionOutcome(
            session_id=_id(input.session_id),
            outcome=input.outcome,
            absentee=input.absentee,
            notice_hours=input.notice_hours,
        )
        return await record(info, command, t.MentorshipSession)

    @strawberry.mutation(description="The mentor's summary or goal review, due 48 hours after the session.")
    async def submit_session_note(self, info: Info, session_id: strawberry.ID, body: str) -> NoteResult:
        return await record(info, SubmitSessionNote(session_id=_id(session_id), body=body), t.SessionNote)

    @strawberry.mutation(description="The protégé's feedback on an attended session.")
    async def submit_session_feedback(
        self, info: Info, session_id: strawberry.ID, body: str, rating: int | None = None
    ) -> FeedbackResult:
        return await record(
            info, SubmitSessionFeedback(session_id=_id(session_id), body=body, rating=rating), t.SessionFeedback
        )

    @strawberry.mutation(description="A message; its recipient has 48 hours to respond.")
    async def send_message(self, info: Info, sender_id: strawberry.ID, recipient_id: strawberry.ID) -> MessageResult:
        return await record(info, SendMessage(sender_id=_id(sender_id), recipient_id=_id(recipient_id)), t.Message)

    @strawberry.mutation(description="The recipient's first response closes the message's window.")
    async def respond_to_message(self, info: Info, message_id: strawberry.ID) -> MessageResult:
        return await record(info, RespondToMessage(message_id=_id(message_id)), t.Message)

    @strawberry.mutation(description="Attendance at a mentor circle, training or webinar.")
    async def record_community_event(
        self, info: Info, participant_id: strawberry.ID, kind: CommunityEventKind, title: str
    ) -> AttendanceResult:
        command = RecordCommunityEvent(participant_id=_id(participant_id), kind=kind, title=title)
        return await record(info, command, t.CommunityAttendance)


LeaveResult = Annotated[t.ExcusedLeave | NotFoundError | InvalidInputError, strawberry.union("ExcusedLeaveResult")]


@strawberry.type
class LeaveMutations:
    @strawberry.mutation(
        description="Admins pause a participant's clocks: no time-based rule fires for them "
        "until the leave ends, and the leave is left out of their rolling windows."
    )
    async def grant_leave(
        self, info: Info, participant_id: strawberry.ID, starts_at: datetime, ends_at: datetime, reason: str
    ) -> LeaveResult:
        principal = admin_of(info)
        result = await grant_leave(
            organization_id=principal.organization_id,
            participant_id=_id(participant_id),
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            granted_by=principal.actor,
            clock=info.context.clock,
        )
        if isinstance(result, (NotFound, InvalidInput)):
            return to_graphql(result)  # type: ignore[return-value]
        return view(t.ExcusedLeave, result)
