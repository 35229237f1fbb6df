"""The outbox of committed changes for partners, and the webhook endpoints, deliveries and attempts fed from it."""

from tortoise import fields
from tortoise.models import Model


class OutboxEvent(Model):
    """A committed change for partners: standing, badge or nudge. Written in the transaction of the
    change itself, never with contact details. Its id is the cursor partners resume from."""

    id = fields.BigIntField(primary_key=True)
    type = fields.CharField(max_length=32)  # standing.changed | badge.changed | nudge.created
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    participant = fields.ForeignKeyField("standing.Participant", related_name=False, on_delete=fields.RESTRICT)
    machine = fields.CharField(max_length=32, null=True)
    event = fields.CharField(max_length=64, null=True)
    from_state = fields.CharField(max_length=32, null=True)
    to_state = fields.CharField(max_length=32, null=True)
    reason_code = fields.CharField(max_length=64)
    occurred_at = fields.DatetimeField()
    # What the event is about besides its participant, e.g. "notice:12", "case:CASE-7Q2M-9K4D", "appeal:3".
    ref = fields.CharField(max_length=48, null=True)

    organization_id: int
    participant_id: int

    class Meta:
        table = "outbox_event"
        indexes = (("organization_id", "id"),)


class WebhookEndpoint(Model):
    """A partner URL that receives signed event deliveries."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    url = fields.CharField(max_length=2000)
    event_types = fields.JSONField(default=list)
    secret = fields.CharField(max_length=128)  # the HMAC key, needed in clear to sign
    active = fields.BooleanField(default=True)
    consecutive_failures = fields.IntField(default=0)
    disabled_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    organization_id: int

    class Meta:
        table = "webhook_endpoint"


class WebhookDelivery(Model):
    """One event for one endpoint, retried with exponential backoff until delivered or abandoned."""

    id = fields.BigIntField(primary_key=True)
    endpoint = fields.ForeignKeyField("standing.WebhookEndpoint", related_name="deliveries", on_delete=fields.RESTRICT)
    event = fields.ForeignKeyField("standing.OutboxEvent", related_name=False, on_delete=fields.RESTRICT)
    status = fields.CharField(max_length=16, default="pending")  # pending | sending | delivered | failed | abandoned
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    # While sending: the delivery run that claimed it, and until when the claim holds unless that run renews it.
    claimed_by = fields.CharField(max_length=32, null=True)
    claimed_until = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    endpoint_id: int
    event_id: int

    class Meta:
        table = "webhook_delivery"
        unique_together = (("endpoint_id", "event_id"),)
        indexes = (("status", "next_attempt_at"),)


class WebhookAttempt(Model):
    """Each delivery attempt and how it ended."""

    id = fields.BigIntField(primary_key=True)
    delivery = fields.ForeignKeyField("standing.WebhookDelivery", related_name="attempt_log", on_delete=fields.RESTRICT)
    number = fields.IntField()
    status_code = fields.IntField(null=True)
    error = fields.CharField(max_length=300, null=True)
    attempted_at = fields.DatetimeField()
    duration_ms = fields.IntField()

    delivery_id: int

    class Meta:
        table = "webhook_attempt"
