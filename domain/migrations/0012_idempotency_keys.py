"""Idempotency keys with the first answer to their request; webhook deliveries claimed by one delivery run,
with a claim that run renews (claimed_by, claimed_until)."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("standing", "0011_fair_facts")]

    initial = False

    operations = [
        ops.CreateModel(
            name="IdempotencyKey",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "token",
                    fields.ForeignKeyField(
                        "standing.ApiToken",
                        source_field="token_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("key", fields.CharField(max_length=255)),
                ("fingerprint", fields.CharField(max_length=64)),
                ("operation", fields.CharField(max_length=200)),
                ("status_code", fields.IntField()),
                ("media_type", fields.CharField(max_length=100)),
                ("body", fields.TextField(unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "idempotency_key",
                "app": "standing",
                "unique_together": (("token_id", "key"),),
                "indexes": [Index(fields=["expires_at"])],
                "pk_attr": "id",
                "table_description": "A token's Idempotency-Key, the fingerprint of the request it came with, and the first answer to it.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="WebhookDelivery",
            name="claimed_by",
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name="WebhookDelivery",
            name="claimed_until",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
