from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.models.deadline import DeadlineKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("standing", "0003_activity_ledger_and_badges")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Deadline",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("key", fields.CharField(unique=True, max_length=128)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="SUSPENSION_END: suspension_end\nNOTICE_DECAY: notice_decay\nINACTIVITY: inactivity\nRESPONSE_NUDGE: response_nudge\nRESPONSE_DUE: response_due\nNOTES_NUDGE: notes_nudge\nNOTES_DUE: notes_due\nFEEDBACK_NUDGE: feedback_nudge",
                        enum_type=DeadlineKind,
                        max_length=32,
                    ),
                ),
                (
                    "participant",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="participant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="deadlines",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("subject_id", fields.IntField(null=True)),
                ("due_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("base_due_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("armed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("fired_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("outcome", fields.CharField(null=True, max_length=200)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "deadline",
                "app": "standing",
                "indexes": [Index(fields=["fired_at", "due_at"])],
                "pk_attr": "id",
                "table_description": "A durable timer. The database, never Redis alone, holds every time-based consequence.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ExcusedLeave",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "participant",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="participant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="leaves",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("starts_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("ends_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("reason", fields.TextField(unique=False)),
                ("granted_by", fields.CharField(max_length=128)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "excused_leave",
                "app": "standing",
                "indexes": [Index(fields=["participant_id", "ends_at"])],
                "pk_attr": "id",
                "table_description": "An admin-granted pause of a participant's clocks: no time-based rule fires during it.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Nudge",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("key", fields.CharField(unique=True, max_length=128)),
                (
                    "participant",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="participant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="nudges",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("kind", fields.CharField(max_length=32)),
                ("subject_id", fields.IntField(null=True)),
                ("message", fields.CharField(max_length=300)),
                ("window_ends_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "nudge",
                "app": "standing",
                "indexes": [Index(fields=["participant_id", "created_at"])],
                "pk_attr": "id",
                "table_description": "A reminder that a window is half gone: an unanswered message, notes or feedback not yet in.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Participant",
            name="program_review",
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
