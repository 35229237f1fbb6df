"""SMART goals, owned by a protégé and tracked by a mentor, and their progress updates (Protégé Code 2, Mentor Code 2 and 5)."""

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class GoalStatus(str, Enum):
    ACTIVE = "active"
    ACHIEVED = "achieved"
    ABANDONED = "abandoned"


class Goal(Model):
    """A SMART goal, owned by a protégé and tracked by a mentor (Protégé Code 2, Mentor Code 2 and 5)."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    protege = fields.ForeignKeyField("standing.Participant", related_name="owned_goals", on_delete=fields.RESTRICT)
    mentor = fields.ForeignKeyField(
        "standing.Participant", related_name="tracked_goals", null=True, on_delete=fields.RESTRICT
    )
    specific = fields.CharField(max_length=300)
    measurable = fields.CharField(max_length=300)
    achievable = fields.TextField()
    relevant = fields.TextField()
    due_on = fields.DateField()
    status = fields.CharEnumField(GoalStatus, max_length=16, default=GoalStatus.ACTIVE)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    organization_id: int
    protege_id: int
    mentor_id: int | None

    class Meta:
        table = "goal"


class GoalProgress(Model):
    """A progress update on a goal, written by its protégé or mentor."""

    id = fields.IntField(primary_key=True)
    goal = fields.ForeignKeyField("standing.Goal", related_name="progress_updates", on_delete=fields.RESTRICT)
    author = fields.ForeignKeyField("standing.Participant", related_name=False, on_delete=fields.RESTRICT)
    note = fields.TextField()
    percent_complete = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    goal_id: int
    author_id: int

    class Meta:
        table = "goal_progress"
        indexes = (("author_id", "created_at"),)
