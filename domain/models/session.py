"""Sessions between a mentor and a protégé, tied to a goal, and their notes and feedback (Mentor Code 3 and 5)."""

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class SessionStatus(str, Enum):
    BOOKED = "booked"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


class Absentee(str, Enum):
    MENTOR = "mentor"
    PROTEGE = "protege"
    BOTH = "both"


class MentorshipSession(Model):
    """A booked session between a mentor and a protégé, tied to a goal (Mentor Code 5)."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    mentor = fields.ForeignKeyField("standing.Participant", related_name="mentor_sessions", on_delete=fields.RESTRICT)
    protege = fields.ForeignKeyField("standing.Participant", related_name="protege_sessions", on_delete=fields.RESTRICT)
    goal = fields.ForeignKeyField("standing.Goal", related_name="sessions", on_delete=fields.RESTRICT)
    scheduled_at = fields.DatetimeField()
    duration_minutes = fields.IntField(default=60)
    status = fields.CharEnumField(SessionStatus, max_length=16, default=SessionStatus.BOOKED)
    absentee = fields.CharEnumField(Absentee, max_length=16, null=True)
    notice_hours = fields.FloatField(null=True)
    # Why the platform cancelled it, protecting the other party ("mentor_suspended", "mentor_removed",
    # "protege_ineligible"): never counted against either side.
    cancellation = fields.CharField(max_length=32, null=True)
    approved_by = fields.CharField(max_length=128, null=True)
    booked_at = fields.DatetimeField()
    outcome_at = fields.DatetimeField(null=True)
    notes_due_at = fields.DatetimeField(null=True)

    organization_id: int
    mentor_id: int
    protege_id: int
    goal_id: int

    class Meta:
        table = "mentorship_session"
        indexes = (("mentor_id", "scheduled_at"), ("protege_id", "scheduled_at"))


class SessionNote(Model):
    """The mentor's summary or goal review, due 48 hours after the session (Mentor Code 3)."""

    id = fields.IntField(primary_key=True)
    session = fields.OneToOneField("standing.MentorshipSession", related_name="note", on_delete=fields.RESTRICT)
    body = fields.TextField()
    submitted_at = fields.DatetimeField()
    on_time = fields.BooleanField()  # submitted by the session's notes_due_at, fixed at submission

    session_id: int

    class Meta:
        table = "session_note"


class SessionFeedback(Model):
    """The protégé's reflection after a session (Protégé Code 6)."""

    id = fields.IntField(primary_key=True)
    session = fields.OneToOneField("standing.MentorshipSession", related_name="feedback", on_delete=fields.RESTRICT)
    body = fields.TextField()
    rating = fields.IntField(null=True)
    submitted_at = fields.DatetimeField()

    session_id: int

    class Meta:
        table = "session_feedback"
