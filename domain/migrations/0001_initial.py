from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from domain.kernel.roles import Role
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Organization",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("slug", fields.CharField(unique=True, max_length=64)),
                ("name", fields.CharField(max_length=200)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "organization",
                "app": "standing",
                "pk_attr": "id",
                "table_description": "A platform tenant (for example InzpireU). Admin and partner tokens act inside one.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Participant",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "standing.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="participants",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "role",
                    fields.CharEnumField(description="MENTOR: mentor\nPROTEGE: protege", enum_type=Role, max_length=16),
                ),
                ("display_name", fields.CharField(max_length=200)),
                ("email", fields.CharField(max_length=320)),
                ("timezone", fields.CharField(default="UTC", max_length=64)),
                ("standing", fields.CharField(max_length=32)),
                ("standing_since", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("suspended_until", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("version", fields.IntField(default=1)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "participant",
                "app": "standing",
                "indexes": [Index(fields=["organization_id", "role", "standing"])],
                "pk_attr": "id",
                "table_description": "A mentor or protégé. Standing is owned by the role machine, and version guards writes.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ApiToken",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "organization",
                    fields.ForeignKeyField(
                        "standing.Organization",
                        source_field="organization_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("role", fields.CharField(max_length=16)),
                (
                    "participant",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="participant_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("label", fields.CharField(default="", max_length=200)),
                ("prefix", fields.CharField(max_length=16)),
                ("secret_hash", fields.CharField(unique=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "api_token",
                "app": "standing",
                "pk_attr": "id",
                "table_description": "A bearer token. Only its SHA-256 is stored, and the secret is shown once, at creation.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TransitionRecord",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
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
                        related_name="transitions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("machine", fields.CharField(max_length=32)),
                ("from_state", fields.CharField(max_length=32)),
                ("to_state", fields.CharField(max_length=32)),
                ("event", fields.CharField(max_length=64)),
                ("actor_kind", fields.CharField(max_length=16)),
                ("actor_id", fields.CharField(max_length=128)),
                ("reason", fields.TextField(unique=False)),
                (
                    "evidence",
                    fields.JSONField(
                        default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("policy_version", fields.CharField(max_length=32)),
                ("occurred_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "transition_log",
                "app": "standing",
                "indexes": [Index(fields=["participant_id", "id"])],
                "pk_attr": "id",
                "table_description": "One row of the append-only transition log: who moved whom, why, under which policy.",
            },
            bases=["Model"],
        ),
    ]
