"""Attendance at a mentor circle, training or webinar (Mentor Code 7, Community Engagement)."""

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class CommunityEventKind(str, Enum):
    MENTOR_CIRCLE = "mentor_circle"
    TRAINING = "training"
    WEBINAR = "webinar"


class CommunityAttendance(Model):
    """Attendance at a mentor circle, training or webinar (Mentor Code 7, Community Engagement)."""

    id = fields.IntField(primary_key=True)
    participant = fields.ForeignKeyField(
        "standing.Participant", related_name="community_events", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(CommunityEventKind, max_length=16)
    title = fields.CharField(max_length=200)
    attended_at = fields.DatetimeField()

    participant_id: int

    class Meta:
        table = "community_attendance"
        indexes = (("participant_id", "attended_at"),)
