"""Provisional facts and their disputes, protection of the other party, no-contact orders."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.models.deadline import DeadlineKind
from domain.models.facts import FactKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

from domain.migrations._dialect import StateOnly


class Migration(migrations.Migration):
    dependencies = [("standing", "0010_notices_appeals_locks")]

    initial = False

    operations = [
        ops.CreateModel(
            name="NoContactOrder",
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
                    "party_a",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="party_a_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "party_b",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="party_b_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("requested_by", fields.IntField(null=True)),
                ("until", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("reason", fields.TextField(unique=False)),
                ("ordered_by", fields.CharField(max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "no_contact_order",
                "app": "standing",
                "indexes": [Index(fields=["party_a_id", "until"]), Index(fields=["party_b_id", "until"])],
                "pk_attr": "id",
                "table_description": "An admin's order that two participants neither book nor message each other until a time.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RecordedFact",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("key", fields.CharField(unique=True, max_length=64)),
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
                    "kind",
                    fields.CharEnumField(
                        description="NO_SHOW: no_show\nRESPONSE_LAPSE: response_lapse",
                        enum_type=FactKind,
                        max_length=16,
                    ),
                ),
                (
                    "subject",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="subject_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="facts_about",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "counterpart",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="counterpart_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("session_id", fields.IntField(null=True)),
                ("message_id", fields.IntField(null=True)),
                ("state", fields.CharField(max_length=16)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("dispute_until", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("disputed_by", fields.IntField(null=True)),
                ("disputed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("statement", fields.TextField(null=True, unique=False)),
                ("settled_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("settled_by", fields.CharField(null=True, max_length=64)),
                ("settlement", fields.TextField(null=True, unique=False)),
                ("version", fields.IntField(default=1)),
            ],
            options={
                "table": "recorded_fact",
                "app": "standing",
                "indexes": [Index(fields=["subject_id", "kind", "state"]), Index(fields=["organization_id", "state"])],
                "pk_attr": "id",
                "table_description": "One fact counted against a participant (the subject), which the other party (the counterpart) or",
            },
            bases=["Model"],
        ),
        StateOnly(
            model_name="Deadline",
            name="kind",
            field=fields.CharEnumField(
                description="SUSPENSION_END: suspension_end\nNOTICE_DECAY: notice_decay\nINACTIVITY: inactivity\nRESPONSE_NUDGE: response_nudge\nRESPONSE_DUE: response_due\nNOTES_NUDGE: notes_nudge\nNOTES_DUE: notes_due\nFEEDBACK_NUDGE: feedback_nudge\nCASE_ACKNOWLEDGE: case_acknowledge\nCASE_TRIAGE: case_triage\nCASE_DECIDE: case_decide\nNOTICE_UNACKNOWLEDGED: notice_unacknowledged\nAPPEAL_EXPIRY: appeal_expiry\nLOCK_END: lock_end\nBADGE_CURE: badge_cure\nFACT_WINDOW: fact_window",
                enum_type=DeadlineKind,
                max_length=32,
            ),
        ),
        ops.AddField(
            model_name="MentorshipSession",
            name="cancellation",
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name="Participant",
            name="needs_rematch",
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
