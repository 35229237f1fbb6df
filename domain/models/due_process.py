"""Written notices of downward steps, appeals of them, and admins' locks over automation."""

from tortoise import fields
from tortoise.models import Model


class Notice(Model):
    """A written notice to a participant: the exact text rendered from a versioned template, and when they
    acknowledged it. The text never changes once issued."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    participant = fields.ForeignKeyField("standing.Participant", related_name="notices", on_delete=fields.RESTRICT)
    transition = fields.ForeignKeyField(
        "standing.TransitionRecord", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    appeal = fields.ForeignKeyField("standing.Appeal", related_name=False, null=True, on_delete=fields.RESTRICT)
    template_key = fields.CharField(max_length=48)
    template_version = fields.CharField(max_length=48)
    title = fields.CharField(max_length=200)
    parts = fields.JSONField()  # the six parts, rendered: facts, code_section, consequence, support, remedy, appeal
    body = fields.TextField()
    appeal_by = fields.DatetimeField(null=True)
    issued_at = fields.DatetimeField()
    acknowledged_at = fields.DatetimeField(null=True)

    organization_id: int
    participant_id: int
    transition_id: int | None
    appeal_id: int | None

    class Meta:
        table = "notice"
        indexes = (("participant_id", "id"),)


class Appeal(Model):
    """A sanctioned participant's appeal of one step: one per step, within its window, decided by an admin
    who did not take the step."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    participant = fields.ForeignKeyField("standing.Participant", related_name="appeals", on_delete=fields.RESTRICT)
    transition = fields.OneToOneField("standing.TransitionRecord", related_name="appeal", on_delete=fields.RESTRICT)
    statement = fields.TextField()
    state = fields.CharField(max_length=16)
    filed_at = fields.DatetimeField()
    decide_by = fields.DatetimeField()
    decided_at = fields.DatetimeField(null=True)
    decided_by = fields.CharField(max_length=64, null=True)
    decision_reason = fields.TextField(null=True)
    result = fields.ForeignKeyField(  # the step the decision took: a reversal or a reduction
        "standing.TransitionRecord", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    version = fields.IntField(default=1)

    organization_id: int
    participant_id: int
    transition_id: int
    result_id: int | None

    class Meta:
        table = "appeal"
        indexes = (("organization_id", "state"),)


class StandingLock(Model):
    """An admin's freeze of one participant's automatic steps until a date (or until unlocked)."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    participant = fields.ForeignKeyField("standing.Participant", related_name="locks", on_delete=fields.RESTRICT)
    until = fields.DatetimeField()
    reason = fields.TextField()
    locked_by = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)
    end_reason = fields.TextField(null=True)

    organization_id: int
    participant_id: int

    class Meta:
        table = "standing_lock"
        indexes = (("participant_id", "until"),)
