from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("standing", "0005_outbox_and_webhooks")]

    initial = False

    operations = [
        ops.CreateModel(
            name="BadgePolicyChange",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "standing.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="policy_changes",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("actor_kind", fields.CharField(max_length=16)),
                ("actor_id", fields.CharField(max_length=200)),
                ("reason", fields.TextField(unique=False)),
                (
                    "previous",
                    fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
                (
                    "overrides",
                    fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
                ("versions", fields.JSONField(encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads)),
                ("occurred_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "badge_policy_change",
                "app": "standing",
                "indexes": [Index(fields=["organization_id", "id"])],
                "pk_attr": "id",
                "table_description": "An organization's badge overrides as set by an admin: who, why, from what to what, and the versions they make.",
            },
            bases=["Model"],
        ),
    ]
