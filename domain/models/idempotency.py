"""Idempotency keys: a client's key for one request, kept for a day with the first answer, so a retry gets that
answer instead of a second effect (the IETF Idempotency-Key header draft, as Stripe applies it)."""

from tortoise import fields
from tortoise.models import Model


class IdempotencyKey(Model):
    """A token's Idempotency-Key, the fingerprint of the request it came with, and the first answer to it.
    Written in the transaction of the request's effect, and purged once expired."""

    id = fields.BigIntField(primary_key=True)
    token = fields.ForeignKeyField("standing.ApiToken", related_name=False, on_delete=fields.CASCADE)
    key = fields.CharField(max_length=255)
    fingerprint = fields.CharField(max_length=64)  # SHA-256 of the request: the same key with another body is refused
    operation = fields.CharField(max_length=200)  # the mutation fields it ran, for operators
    status_code = fields.IntField()
    media_type = fields.CharField(max_length=100)
    body = fields.TextField()
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()

    token_id: int

    class Meta:
        table = "idempotency_key"
        unique_together = (("token_id", "key"),)
        indexes = (("expires_at",),)
