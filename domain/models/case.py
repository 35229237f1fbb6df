"""Concerns reported about a participant, the cases they become, each case's append-only log and decisions,
admins' moderator notes, reads of private session notes, and nudges for admins."""

from enum import Enum

from tortoise import fields
from tortoise.models import Model

from domain.models.transition import AppendOnlyError


class ConcernCategory(str, Enum):
    """Tied to the sections of the Code a concern is about."""

    PROFESSIONAL_RESPONSIBILITY = "professional_responsibility"  # Mentor Code 1, Protégé Code 1
    RESPECT_AND_INCLUSION = "respect_and_inclusion"  # Mentor Code 1 and 6, Protégé Code 1
    PRIVACY_AND_CONFIDENTIALITY = "privacy_and_confidentiality"  # Mentor Code 4, Protégé Code 5
    RELIABILITY_AND_ATTENDANCE = "reliability_and_attendance"  # Mentor Code 3, Protégé Code 3
    COMMUNICATION = "communication"  # Mentor Code 8, Protégé Code 4
    SAFETY = "safety"  # Mentor Code 4 ("safety concerns")
    OTHER = "other"


class ReporterKind(str, Enum):
    PARTICIPANT = "participant"
    ADMIN = "admin"
    PARTNER = "partner"


class AppendOnly(Model):
    """A row written once: the model refuses to change or delete it, and so does the database."""

    class Meta:
        abstract = True

    async def save(self, *args, **kwargs) -> None:
        if self._saved_in_db:
            raise AppendOnlyError(f"{self._meta.db_table} is append-only")
        await super().save(*args, **kwargs)

    async def delete(self, *args, **kwargs) -> None:
        raise AppendOnlyError(f"{self._meta.db_table} is append-only")


class Case(Model):
    """Reports about one participant and the same facts, handled to a decision by an admin."""

    id = fields.IntField(primary_key=True)
    reference = fields.CharField(max_length=24, unique=True)  # what reporters are given, e.g. CASE-7Q2M-9K4D
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    subject = fields.ForeignKeyField("standing.Participant", related_name="cases", on_delete=fields.RESTRICT)
    state = fields.CharField(max_length=16)
    category = fields.CharEnumField(ConcernCategory, max_length=32)
    code_section = fields.CharField(max_length=200)
    assignee = fields.CharField(max_length=64, null=True)  # the admin's actor id, e.g. token:12
    version = fields.IntField(default=1)
    opened_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    organization_id: int
    subject_id: int

    class Meta:
        table = "case"
        indexes = (("organization_id", "state"), ("subject_id", "state"))


class Concern(AppendOnly):
    """One report: who raised it, about whom, under which section of the Code, with which evidence."""

    id = fields.IntField(primary_key=True)
    case = fields.ForeignKeyField("standing.Case", related_name="concerns", on_delete=fields.RESTRICT)
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    subject = fields.ForeignKeyField("standing.Participant", related_name=False, on_delete=fields.RESTRICT)
    reporter_kind = fields.CharEnumField(ReporterKind, max_length=16)
    reporter_participant = fields.ForeignKeyField(
        "standing.Participant", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    reporter_token_id = fields.IntField()
    category = fields.CharEnumField(ConcernCategory, max_length=32)
    code_section = fields.CharField(max_length=200)
    description = fields.TextField()
    evidence = fields.JSONField(default=dict)  # {"sessions": [ids], "messages": [ids], "notes": [ids]}
    created_at = fields.DatetimeField()

    case_id: int
    organization_id: int
    subject_id: int
    reporter_participant_id: int | None

    class Meta:
        table = "concern"
        indexes = (("reporter_token_id", "created_at"), ("subject_id", "created_at"))


class CaseLogEntry(AppendOnly):
    """One step of a case: its machine's event, who took it and why. Append-only, like the transition log."""

    id = fields.BigIntField(primary_key=True)
    case = fields.ForeignKeyField("standing.Case", related_name="log", on_delete=fields.RESTRICT)
    event = fields.CharField(max_length=32)
    from_state = fields.CharField(max_length=16)
    to_state = fields.CharField(max_length=16)
    actor_kind = fields.CharField(max_length=16)
    actor_id = fields.CharField(max_length=128)
    reason = fields.TextField()
    details = fields.JSONField(default=dict)
    occurred_at = fields.DatetimeField()

    case_id: int

    class Meta:
        table = "case_log"
        indexes = (("case_id", "id"),)


class CaseDecision(AppendOnly):
    """How a case was decided. A later decision of the same case supersedes it (see docs/decisions.md)."""

    id = fields.IntField(primary_key=True)
    case = fields.ForeignKeyField("standing.Case", related_name="decisions", on_delete=fields.RESTRICT)
    outcome = fields.CharField(max_length=16)  # no_violation | guidance | standing_event
    standing_event = fields.CharField(max_length=32, null=True)
    transition = fields.ForeignKeyField(
        "standing.TransitionRecord", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    reversal = fields.ForeignKeyField(  # the step that undid the superseded decision's rung, if there was one
        "standing.TransitionRecord", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    supersedes = fields.ForeignKeyField(
        "standing.CaseDecision", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    reason = fields.TextField()
    reporter_summary = fields.CharField(max_length=32)
    decided_by = fields.CharField(max_length=64)
    decided_at = fields.DatetimeField()

    case_id: int
    transition_id: int | None
    reversal_id: int | None
    supersedes_id: int | None

    class Meta:
        table = "case_decision"
        indexes = (("case_id", "id"),)


class ModeratorNote(AppendOnly):
    """An admin's private note on a participant or a case. Never shown to partners, webhooks or exports."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    participant = fields.ForeignKeyField(
        "standing.Participant", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    case = fields.ForeignKeyField("standing.Case", related_name=False, null=True, on_delete=fields.RESTRICT)
    author = fields.CharField(max_length=64)
    body = fields.TextField()
    created_at = fields.DatetimeField()

    organization_id: int
    participant_id: int | None
    case_id: int | None

    class Meta:
        table = "moderator_note"
        indexes = (("organization_id", "id"),)


class SessionNoteRead(AppendOnly):
    """An admin opened a mentor's private session note while handling a case that references it."""

    id = fields.IntField(primary_key=True)
    note = fields.ForeignKeyField("standing.SessionNote", related_name="reads", on_delete=fields.RESTRICT)
    case = fields.ForeignKeyField("standing.Case", related_name=False, on_delete=fields.RESTRICT)
    reader = fields.CharField(max_length=64)
    reason = fields.TextField()
    read_at = fields.DatetimeField()

    note_id: int
    case_id: int

    class Meta:
        table = "session_note_read"
        indexes = (("note_id", "id"),)


class AdminNudge(Model):
    """Something the organization's admins should act on: a case stage overdue, a lock that expired."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=128, unique=True)
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    kind = fields.CharField(max_length=32)
    case = fields.ForeignKeyField("standing.Case", related_name=False, null=True, on_delete=fields.RESTRICT)
    participant = fields.ForeignKeyField(
        "standing.Participant", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    message = fields.CharField(max_length=300)
    due_at = fields.DatetimeField()
    created_at = fields.DatetimeField()

    organization_id: int
    case_id: int | None
    participant_id: int | None

    class Meta:
        table = "admin_nudge"
        indexes = (("organization_id", "created_at"),)
