"""A participant's Accountability Badge: its machine state and the latest evaluation's evidence."""

from tortoise import fields
from tortoise.models import Model


class BadgeRecord(Model):
    """A participant's Accountability Badge: its machine state and the latest evaluation's evidence."""

    id = fields.IntField(primary_key=True)
    participant = fields.OneToOneField("standing.Participant", related_name="badge", on_delete=fields.RESTRICT)
    state = fields.CharField(max_length=16)
    since = fields.DatetimeField()
    policy_version = fields.CharField(max_length=64)
    evaluated_at = fields.DatetimeField()
    criteria = fields.JSONField(default=list)
    certificate_code = fields.CharField(max_length=32, null=True, unique=True)
    awarded_at = fields.DatetimeField(null=True)
    # While at risk: the end of the grace in which meeting the criteria again keeps the badge.
    cure_by = fields.DatetimeField(null=True)

    participant_id: int

    class Meta:
        table = "badge"
        indexes = (("state",),)
