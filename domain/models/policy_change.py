"""An organization's badge override changes: who, why, from what to what, and the versions they make."""

from tortoise import fields
from tortoise.models import Model


class BadgePolicyChange(Model):
    """An organization's badge overrides as set by an admin: who, why, from what to what, and the versions they make."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField(
        "standing.Organization", related_name="policy_changes", on_delete=fields.RESTRICT
    )
    policy = fields.CharField(max_length=16, default="badges", db_default="badges")  # badges | cases | notices
    actor_kind = fields.CharField(max_length=16)
    actor_id = fields.CharField(max_length=200)
    reason = fields.TextField()
    previous = fields.JSONField(null=True)
    overrides = fields.JSONField(null=True)
    # The policy version each role is evaluated under from now on, as badges and log rows record it.
    versions = fields.JSONField()
    occurred_at = fields.DatetimeField()

    organization_id: int

    class Meta:
        table = "badge_policy_change"
        indexes = (("organization_id", "id"),)
