from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("standing", "0004_deadlines_nudges_and_leave")]

    initial = False

    operations = [
        ops.CreateModel(
            name="OutboxEvent",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("type", fields.CharField(max_length=32)),
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
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("machine", fields.CharField(null=True, max_length=32)),
                ("event", fields.CharField(null=True, max_length=64)),
                ("from_state", fields.CharField(null=True, max_length=32)),
                ("to_state", fields.CharField(null=True, max_length=32)),
                ("reason_code", fields.CharField(max_length=64)),
                ("occurred_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "outbox_event",
                "app": "standing",
                "indexes": [Index(fields=["organization_id", "id"])],
                "pk_attr": "id",
                "table_description": "A committed change for partners: standing, badge or nudge. Written in the transaction of the",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WebhookEndpoint",
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
                ("url", fields.CharField(max_length=2000)),
                (
                    "event_types",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("secret", fields.CharField(max_length=128)),
                ("active", fields.BooleanField(default=True)),
                ("consecutive_failures", fields.IntField(default=0)),
                ("disabled_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "webhook_endpoint",
                "app": "standing",
                "pk_attr": "id",
                "table_description": "A partner URL that receives signed event deliveries.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WebhookDelivery",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "endpoint",
                    fields.ForeignKeyField(
                        "standing.WebhookEndpoint",
                        source_field="endpoint_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="deliveries",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "event",
                    fields.ForeignKeyField(
                        "standing.OutboxEvent",
                        source_field="event_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("status", fields.CharField(default="pending", max_length=16)),
                ("attempts", fields.IntField(default=0)),
                ("next_attempt_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("delivered_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "webhook_delivery",
                "app": "standing",
                "unique_together": (("endpoint_id", "event_id"),),
                "indexes": [Index(fields=["status", "next_attempt_at"])],
                "pk_attr": "id",
                "table_description": "One event for one endpoint, retried with exponential backoff until delivered or abandoned.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WebhookAttempt",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "delivery",
                    fields.ForeignKeyField(
                        "standing.WebhookDelivery",
                        source_field="delivery_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="attempt_log",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("number", fields.IntField()),
                ("status_code", fields.IntField(null=True)),
                ("error", fields.CharField(null=True, max_length=300)),
                ("attempted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("duration_ms", fields.IntField()),
            ],
            options={
                "table": "webhook_attempt",
                "app": "standing",
                "pk_attr": "id",
                "table_description": "Each delivery attempt and how it ended.",
            },
            bases=["Model"],
        ),
    ]
