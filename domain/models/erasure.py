"""Erasure requests: an admin asks that a participant's personal data be erased, a window lets anyone cancel,
and when it ends the personal fields go and the record stays under a pseudonym."""

from tortoise import fields
from tortoise.models import Model


class ErasureRequest(Model):
    """An admin's request to erase a participant's personal data, cancellable until due_at, and its receipt."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    participant = fields.ForeignKeyField(
        "standing.Participant", related_name="erasure_requests", on_delete=fields.RESTRICT
    )
    status = fields.CharField(max_length=16)  # pending | cancelled | scrubbing (inside its own transaction) | done
    reason = fields.TextField()
    requested_by = fields.CharField(max_length=64)  # the admin's actor id, e.g. token:12
    requested_at = fields.DatetimeField()
    due_at = fields.DatetimeField()  # the end of the window: cancellable until then, erased when it passes
    policy_version = fields.CharField(max_length=64)
    pseudonym = fields.CharField(max_length=64)  # what the record calls the person once erased
    cancelled_at = fields.DatetimeField(null=True)
    cancelled_by = fields.CharField(max_length=64, null=True)
    completed_at = fields.DatetimeField(null=True)
    # What was (or, while pending, will be) deleted, pseudonymized and kept, and why.
    receipt = fields.JSONField(null=True)

    organization_id: int
    participant_id: int

    class Meta:
        table = "erasure_request"
        indexes = (("participant_id", "status"),)
