"""Messages between participants; the recipient has a 48-hour response window (Responsiveness)."""

from tortoise import fields
from tortoise.models import Model


class Message(Model):
    """A message between participants. The recipient has a 48-hour response window (Responsiveness)."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    sender = fields.ForeignKeyField("standing.Participant", related_name="sent_messages", on_delete=fields.RESTRICT)
    recipient = fields.ForeignKeyField(
        "standing.Participant", related_name="received_messages", on_delete=fields.RESTRICT
    )
    sent_at = fields.DatetimeField()
    respond_by = fields.DatetimeField()
    responded_at = fields.DatetimeField(null=True)

    organization_id: int
    sender_id: int
    recipient_id: int

    class Meta:
        table = "message"
        indexes = (("recipient_id", "respond_by"),)
