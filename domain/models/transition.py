"""The append-only transition log: who moved whom, why, under which policy, with what evidence."""

from tortoise import fields
from tortoise.models import Model


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change a log row. The database refuses it too (see migrations)."""


class TransitionRecord(Model):
    """One row of the append-only transition log: who moved whom, why, under which policy."""

    id = fields.BigIntField(primary_key=True)
    organization = fields.ForeignKeyField("standing.Organization", related_name=False, on_delete=fields.RESTRICT)
    participant = fields.ForeignKeyField("standing.Participant", related_name="transitions", on_delete=fields.RESTRICT)
    machine = fields.CharField(max_length=32)
    from_state = fields.CharField(max_length=32)
    to_state = fields.CharField(max_length=32)
    event = fields.CharField(max_length=64)
    actor_kind = fields.CharField(max_length=16)
    actor_id = fields.CharField(max_length=128)
    reason = fields.TextField()
    evidence = fields.JSONField(default=dict)
    policy_version = fields.CharField(max_length=64)
    occurred_at = fields.DatetimeField()
    # "applied", or "held": automation would have taken this step, and a lock or an open appeal held it
    # (from_state then equals to_state, and nothing changed).
    outcome = fields.CharField(max_length=16, default="applied", db_default="applied")
    # The step this one overrules: an appeal's reversal or reduction points at the step appealed.
    overrules = fields.BigIntField(null=True)

    participant_id: int
    organization_id: int

    class Meta:
        table = "transition_log"
        indexes = (("participant_id", "id"),)

    async def save(self, *args, **kwargs) -> None:
        if self._saved_in_db:
            raise AppendOnlyError("the transition log is append-only")
        await super().save(*args, **kwargs)

    async def delete(self, *args, **kwargs) -> None:
        raise AppendOnlyError("the transition log is append-only")
