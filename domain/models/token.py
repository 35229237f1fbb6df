"""Bearer tokens: only their SHA-256 is stored, and the secret is shown once, at creation."""

from tortoise import fields
from tortoise.models import Model


class ApiToken(Model):
    """A bearer token. Only its SHA-256 is stored, and the secret is shown once, at creation."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("standing.Organization", related_name="tokens")
    role = fields.CharField(max_length=16)  # admin | participant | partner
    participant = fields.ForeignKeyField("standing.Participant", null=True, related_name=False)
    label = fields.CharField(max_length=200, default="")
    prefix = fields.CharField(max_length=16)
    secret_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    organization_id: int
    participant_id: int | None

    class Meta:
        table = "api_token"
