"""Written notices, appeals and locks over automation; badge cure dates; held and overruling log rows."""

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from domain.models.deadline import DeadlineKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

from domain.migrations._dialect import StateOnly


class Migration(migrations.Migration):
    dependencies = [("standing", "0009_concerns_and_cases")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Appeal",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "standing.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "participant",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="participant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="appeals",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "transition",
                    fields.OneToOneField(
                        "standing.TransitionRecord",
                        source_field="transition_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="appeal",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("statement", fields.TextField(unique=False)),
                ("state", fields.CharField(max_length=16)),
                ("filed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("decide_by", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("decided_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("decided_by", fields.CharField(null=True, max_length=64)),
                ("decision_reason", fields.TextField(null=True, unique=False)),
                (
                    "result",
                    fields.ForeignKeyField(
                        "standing.TransitionRecord",
                        source_field="result_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("version", fields.IntField(default=1)),
            ],
            options={
                "table": "appeal",
                "app": "standing",
                "indexes": [Index(fields=["organization_id", "state"])],
                "pk_attr": "id",
                "table_description": "A sanctioned participant's appeal of one step: one per step, within its window, decided by an admin",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Notice",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "standing.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "participant",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="participant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="notices",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "transition",
                    fields.ForeignKeyField(
                        "standing.TransitionRecord",
                        source_field="transition_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "appeal",
                    fields.ForeignKeyField(
                        "standing.Appeal",
                        source_field="appeal_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("template_key", fields.CharField(max_length=48)),
                ("template_version", fields.CharField(max_length=48)),
                ("title", fields.CharField(max_length=200)),
                ("parts", fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads)),
                ("body", fields.TextField(unique=False)),
                ("appeal_by", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("issued_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("acknowledged_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "notice",
                "app": "standing",
                "indexes": [Index(fields=["participant_id", "id"])],
                "pk_attr": "id",
                "table_description": "A written notice to a participant: the exact text rendered from a versioned template, and when they",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StandingLock",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "standing.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "participant",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="participant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="locks",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("until", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("reason", fields.TextField(unique=False)),
                ("locked_by", fields.CharField(max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("ended_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("end_reason", fields.TextField(null=True, unique=False)),
            ],
            options={
                "table": "standing_lock",
                "app": "standing",
                "indexes": [Index(fields=["participant_id", "until"])],
                "pk_attr": "id",
                "table_description": "An admin's freeze of one participant's automatic steps until a date (or until unlocked).",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="BadgeRecord",
            name="cure_by",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        StateOnly(
            model_name="Deadline",
            name="kind",
            field=fields.CharEnumField(
                description="SUSPENSION_END: suspension_end\nNOTICE_DECAY: notice_decay\nINACTIVITY: inactivity\nRESPONSE_NUDGE: response_nudge\nRESPONSE_DUE: response_due\nNOTES_NUDGE: notes_nudge\nNOTES_DUE: notes_due\nFEEDBACK_NUDGE: feedback_nudge\nCASE_ACKNOWLEDGE: case_acknowledge\nCASE_TRIAGE: case_triage\nCASE_DECIDE: case_decide\nNOTICE_UNACKNOWLEDGED: notice_unacknowledged\nAPPEAL_EXPIRY: appeal_expiry\nLOCK_END: lock_end\nBADGE_CURE: badge_cure",
                enum_type=DeadlineKind,
                max_length=32,
            ),
        ),
        ops.AddField(
            model_name="Organization",
            name="notice_templates",
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
        ),
        ops.AddField(
            model_name="Organization",
            name="support_contact",
            field=fields.CharField(null=True, max_length=300),
        ),
        ops.AddField(
            model_name="OutboxEvent",
            name="ref",
            field=fields.CharField(null=True, max_length=48),
        ),
        ops.AddField(
            model_name="TransitionRecord",
            name="outcome",
            field=fields.CharField(default="applied", db_default="applied", max_length=16),
        ),
        ops.AddField(
            model_name="TransitionRecord",
            name="overrules",
            field=fields.BigIntField(null=True),
        ),
    ]
