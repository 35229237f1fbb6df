"""Deadlines, nudges and excused leave: the durable timers of every time-based consequence, and their pauses."""

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class DeadlineKind(str, Enum):
    SUSPENSION_END = "suspension_end"  # a mentor's suspension ends (Mentor Code, Second Notice)
    NOTICE_DECAY = "notice_decay"  # a first notice lapses after a quiet period
    INACTIVITY = "inactivity"  # a protégé's 60-day inactivity horizon
    RESPONSE_NUDGE = "response_nudge"  # 24 hours into a message's response window
    RESPONSE_DUE = "response_due"  # a message's 48-hour response window lapses
    NOTES_NUDGE = "notes_nudge"  # 24 hours into the mentor's session-notes window
    NOTES_DUE = "notes_due"  # session notes fall due 48 hours after the session
    FEEDBACK_NUDGE = "feedback_nudge"  # 24 hours after a session without the protégé's feedback
    CASE_ACKNOWLEDGE = "case_acknowledge"  # a new case is assigned to an admin (24 hours)
    CASE_TRIAGE = "case_triage"  # a case is triaged (3 days)
    CASE_DECIDE = "case_decide"  # a case is decided (14 days)
    NOTICE_UNACKNOWLEDGED = "notice_unacknowledged"  # a notice still unread after 7 days
    APPEAL_EXPIRY = "appeal_expiry"  # an appeal left undecided expires
    LOCK_END = "lock_end"  # an admin's lock over automation ends: the admins review the participant
    BADGE_CURE = "badge_cure"  # an at-risk badge's grace ends
    FACT_WINDOW = "fact_window"  # a provisional fact's dispute window closes (72 hours)
    ERASURE = "erasure"  # an erasure request's cancellation window ends: the personal data goes


class Deadline(Model):
    """A durable timer. The database, never Redis alone, holds every time-based consequence."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=128, unique=True)  # kind:participant:subject, so scheduling is idempotent
    kind = fields.CharEnumField(DeadlineKind, max_length=32)
    participant = fields.ForeignKeyField("standing.Participant", related_name="deadlines", on_delete=fields.RESTRICT)
    subject_id = fields.IntField(null=True)  # the message or session the deadline is about
    due_at = fields.DatetimeField()  # when it fires, after any excused leave has pushed it back
    base_due_at = fields.DatetimeField()  # when it would fire with no leave
    armed_at = fields.DatetimeField()  # when its clock started: leave after this counts
    fired_at = fields.DatetimeField(null=True)
    outcome = fields.CharField(max_length=200, null=True)
    created_at = fields.DatetimeField()

    participant_id: int

    class Meta:
        table = "deadline"
        indexes = (("fired_at", "due_at"),)


class Nudge(Model):
    """A reminder that a window is half gone: an unanswered message, notes or feedback not yet in."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=128, unique=True)
    participant = fields.ForeignKeyField("standing.Participant", related_name="nudges", on_delete=fields.RESTRICT)
    kind = fields.CharField(max_length=32)
    subject_id = fields.IntField(null=True)
    message = fields.CharField(max_length=300)
    window_ends_at = fields.DatetimeField()
    created_at = fields.DatetimeField()

    participant_id: int

    class Meta:
        table = "nudge"
        indexes = (("participant_id", "created_at"),)


class ExcusedLeave(Model):
    """An admin-granted pause of a participant's clocks: no time-based rule fires during it."""

    id = fields.IntField(primary_key=True)
    participant = fields.ForeignKeyField("standing.Participant", related_name="leaves", on_delete=fields.RESTRICT)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    reason = fields.TextField()
    granted_by = fields.CharField(max_length=128)
    created_at = fields.DatetimeField()

    participant_id: int

    class Meta:
        table = "excused_leave"
        indexes = (("participant_id", "ends_at"),)
