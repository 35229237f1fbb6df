"""Facts one side's record counts against the other (a no-show, a lapsed response window), which stay
provisional for a dispute window, and admins' no-contact orders between two participants."""

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class FactKind(str, Enum):
    NO_SHOW = "no_show"  # a session missed without notice, counted against the absentee
    RESPONSE_LAPSE = "response_lapse"  # a 48-hour response window that lapsed, counted against the recipient


class RecordedFact(Model):
    """One fact counted against a participant (the subject), which the other party (the counterpart) or
    the subject may dispute while it is provisional. Only confirmed facts count toward the rules."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=64, unique=True)  # kind:source id:subject, so a fact is recorded once
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    kind = fields.CharEnumField(FactKind, max_length=16)
    subject = fields.ForeignKeyField("standing.Participant", related_name="facts_about", on_delete=fields.RESTRICT)
    counterpart = fields.ForeignKeyField("standing.Participant", related_name=False, on_delete=fields.RESTRICT)
    session_id = fields.IntField(null=True)
    message_id = fields.IntField(null=True)
    state = fields.CharField(max_length=16)
    recorded_at = fields.DatetimeField()
    dispute_until = fields.DatetimeField()
    disputed_by = fields.IntField(null=True)  # the participant who disputed it
    disputed_at = fields.DatetimeField(null=True)
    statement = fields.TextField(null=True)  # the disputer's words
    settled_at = fields.DatetimeField(null=True)
    settled_by = fields.CharField(max_length=64, null=True)
    settlement = fields.TextField(null=True)  # why it was confirmed or withdrawn
    version = fields.IntField(default=1)

    organization_id: int
    subject_id: int
    counterpart_id: int

    class Meta:
        table = "recorded_fact"
        indexes = (("subject_id", "kind", "state"), ("organization_id", "state"))


class NoContactOrder(Model):
    """An admin's order that two participants neither book nor message each other until a time."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    party_a = fields.ForeignKeyField("standing.Participant", related_name=False, on_delete=fields.RESTRICT)
    party_b = fields.ForeignKeyField("standing.Participant", related_name=False, on_delete=fields.RESTRICT)
    requested_by = fields.IntField(null=True)  # the participant who asked for it, if one did
    until = fields.DatetimeField()
    reason = fields.TextField()
    ordered_by = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()

    organization_id: int
    party_a_id: int
    party_b_id: int

    class Meta:
        table = "no_contact_order"
        indexes = (("party_a_id", "until"), ("party_b_id", "until"))
