"""Organizations: the platform tenants (for example InzpireU) that tokens act inside."""

from tortoise import fields
from tortoise.models import Model


class Organization(Model):
    """A platform tenant (for example InzpireU). Admin and partner tokens act inside one."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    created_at = fields.DatetimeField()
    # Per-organization badge policy values, e.g. {"protege": {"session_attendance": {"threshold": 4}}}.
    policy_overrides = fields.JSONField(null=True)
    # Per-organization case stage deadlines, e.g. {"triage_days": 2} (domain/cases/policy.py).
    case_policy = fields.JSONField(null=True)
    # The organization's own wording of its notices, by template key (domain/notices/templates.py).
    notice_templates = fields.JSONField(null=True)
    # Who a sanctioned participant can turn to: the Code's "support offered", named in every notice.
    support_contact = fields.CharField(max_length=300, null=True)

    class Meta:
        table = "organization"
