"""Erasure requests (issue 17), the erasure deadline kind, and the one change the append-only triggers let through:
an UPDATE made while an erasure is scrubbing, inside that erasure's own transaction.

The erasure sets its request's status to 'scrubbing', replaces the erased person's name and email (and blanks the
text they wrote) in the log tables, and sets the status to 'done' before it commits. No other transaction ever sees
a request in 'scrubbing', so for everyone else the logs refuse UPDATE as before. DELETE and TRUNCATE are refused
always. See docs/decisions.md, "Erasure that keeps the record".
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

from domain.migrations._dialect import StateOnly
from domain.models.deadline import DeadlineKind

# Every table an earlier migration made append-only (0002, 0008, 0009).
APPEND_ONLY = (
    "transition_log",
    "badge_policy_change",
    "outbox_event",
    "concern",
    "case_log",
    "case_decision",
    "moderator_note",
    "session_note_read",
)
SCRUBBING = "EXISTS (SELECT 1 FROM erasure_request WHERE status = 'scrubbing')"

POSTGRES = [
    # 0008's function, used by every append-only table but the transition log's row trigger.
    "CREATE OR REPLACE FUNCTION standing_append_only() RETURNS trigger AS $$ BEGIN "
    f"IF TG_OP = 'UPDATE' AND {SCRUBBING} THEN RETURN NEW; END IF; "
    "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql",
    # 0002's function, the transition log's row trigger.
    "CREATE OR REPLACE FUNCTION transition_log_append_only() RETURNS trigger AS $$ BEGIN "
    f"IF TG_OP = 'UPDATE' AND {SCRUBBING} THEN RETURN NEW; END IF; "
    "RAISE EXCEPTION 'transition_log is append-only'; END; $$ LANGUAGE plpgsql",
]


def sqlite(table: str) -> list[str]:
    return [
        f'DROP TRIGGER IF EXISTS "{table}_no_update"',
        f'CREATE TRIGGER "{table}_no_update" BEFORE UPDATE ON "{table}" WHEN NOT {SCRUBBING} '
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
    ]


async def let_erasure_scrub(apps, schema_editor) -> None:
    postgres = schema_editor.client.capabilities.dialect == "postgres"
    for statement in POSTGRES if postgres else [s for t in APPEND_ONLY for s in sqlite(t)]:
        await schema_editor.client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("standing", "0012_idempotency_keys")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ErasureRequest",
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
                        related_name="erasure_requests",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("status", fields.CharField(max_length=16)),
                ("reason", fields.TextField(unique=False)),
                ("requested_by", fields.CharField(max_length=64)),
                ("requested_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("due_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("policy_version", fields.CharField(max_length=64)),
                ("pseudonym", fields.CharField(max_length=64)),
                ("cancelled_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("cancelled_by", fields.CharField(null=True, max_length=64)),
                ("completed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "receipt",
                    fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
                ),
            ],
            options={
                "table": "erasure_request",
                "app": "standing",
                "indexes": [Index(fields=["participant_id", "status"])],
                "pk_attr": "id",
                "table_description": "An admin's request to erase a participant's personal data, cancellable until due_at, and its receipt.",
            },
            bases=["Model"],
        ),
        StateOnly(
            model_name="Deadline",
            name="kind",
            field=fields.CharEnumField(
                description="SUSPENSION_END: suspension_end\nNOTICE_DECAY: notice_decay\nINACTIVITY: inactivity\nRESPONSE_NUDGE: response_nudge\nRESPONSE_DUE: response_due\nNOTES_NUDGE: notes_nudge\nNOTES_DUE: notes_due\nFEEDBACK_NUDGE: feedback_nudge\nCASE_ACKNOWLEDGE: case_acknowledge\nCASE_TRIAGE: case_triage\nCASE_DECIDE: case_decide\nNOTICE_UNACKNOWLEDGED: notice_unacknowledged\nAPPEAL_EXPIRY: appeal_expiry\nLOCK_END: lock_end\nBADGE_CURE: badge_cure\nFACT_WINDOW: fact_window\nERASURE: erasure",
                enum_type=DeadlineKind,
                max_length=32,
            ),
        ),
        ops.RunPython(let_erasure_scrub),
    ]
