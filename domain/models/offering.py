"""A mentor's availability windows and service offerings (Mentor Code 3 and 8)."""

from tortoise import fields
from tortoise.models import Model


class AvailabilityWindow(Model):
    """A window of a mentor's calendar open for booking (Mentor Code 3 and 8)."""

    id = fields.IntField(primary_key=True)
    mentor = fields.ForeignKeyField("standing.Participant", related_name="availability", on_delete=fields.RESTRICT)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    created_at = fields.DatetimeField()

    mentor_id: int

    class Meta:
        table = "availability_window"
        indexes = (("mentor_id", "ends_at"),)


class ServiceOffering(Model):
    """A mentorship service on a mentor profile. The Code asks for at least one (Mentor Code 8)."""

    id = fields.IntField(primary_key=True)
    mentor = fields.ForeignKeyField("standing.Participant", related_name="offerings", on_delete=fields.RESTRICT)
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    duration_minutes = fields.IntField(default=60)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    mentor_id: int

    class Meta:
        table = "service_offering"
