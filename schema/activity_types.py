"""GraphQL views of the activity ledger. Fields resolve straight from the ORM rows' attributes."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from schema.enums import Absentee, CommunityEventKind, GoalStatus, SessionStatus


@strawberry.type(description="A SMART goal: specific, measurable, achievable, relevant and time-bound.")
class Goal:
    id: strawberry.ID
    protege_id: strawberry.ID
    mentor_id: strawberry.ID | None
    specific: str
    measurable: str
    achievable: str
    relevant: str
    due_on: date
    status: GoalStatus
    created_at: datetime


@strawberry.type
class GoalProgressUpdate:
    id: strawberry.ID
    goal_id: strawberry.ID
    author_id: strawberry.ID
    note: str
    percent_complete: int | None
    created_at: datetime


@strawberry.type
class AvailabilityWindow:
    id: strawberry.ID
    mentor_id: strawberry.ID
    starts_at: datetime
    ends_at: datetime


@strawberry.type
class ServiceOffering:
    id: strawberry.ID
    mentor_id: strawberry.ID
    title: str
    description: str
    duration_minutes: int
    active: bool


@strawberry.type(name="Session", description="A mentorship session, tied to a goal.")
class MentorshipSession:
    id: strawberry.ID
    mentor_id: strawberry.ID
    protege_id: strawberry.ID
    goal_id: strawberry.ID
    scheduled_at: datetime
    duration_minutes: int
    status: SessionStatus
    absentee: Absentee | None
    notice_hours: float | None
    booked_at: datetime
    notes_due_at: datetime | None


@strawberry.type
class SessionNote:
    id: strawberry.ID
    session_id: strawberry.ID
    submitted_at: datetime
    on_time: bool


@strawberry.type
class SessionFeedback:
    id: strawberry.ID
    session_id: strawberry.ID
    rating: int | None
    submitted_at: datetime


@strawberry.type(description="A message; the recipient's 48-hour response window ends at respondBy.")
class Message:
    id: strawberry.ID
    sender_id: strawberry.ID
    recipient_id: strawberry.ID
    sent_at: datetime
    respond_by: datetime
    responded_at: datetime | None


@strawberry.type
class CommunityAttendance:
    id: strawberry.ID
    participant_id: strawberry.ID
    kind: CommunityEventKind
    title: str
    attended_at: datetime


@strawberry.type(description="Halfway through a 48-hour window, a reminder that something is still outstanding.")
class Nudge:
    id: strawberry.ID
    participant_id: strawberry.ID
    kind: str
    subject_id: strawberry.ID | None
    message: str
    window_ends_at: datetime
    created_at: datetime


@strawberry.type(description="An admin-granted pause of a participant's clocks.")
class ExcusedLeave:
    id: strawberry.ID
    participant_id: strawberry.ID
    starts_at: datetime
    ends_at: datetime
    reason: str
