"""Concerns, cases, their log and decisions, moderator notes, reads of session notes and admin nudges."""

from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from domain.models.case import ConcernCategory, ReporterKind
from domain.models.deadline import DeadlineKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

from domain.migrations._dialect import StateOnly, append_only


class Migration(migrations.Migration):
    dependencies = [("standing", "0008_append_only_logs")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Case",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("reference", fields.CharField(unique=True, max_length=24)),
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
                    "subject",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="subject_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="cases",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("state", fields.CharField(max_length=16)),
                (
                    "category",
                    fields.CharEnumField(
                        description="PROFESSIONAL_RESPONSIBILITY: professional_responsibility\nRESPECT_AND_INCLUSION: respect_and_inclusion\nPRIVACY_AND_CONFIDENTIALITY: privacy_and_confidentiality\nRELIABILITY_AND_ATTENDANCE: reliability_and_attendance\nCOMMUNICATION: communication\nSAFETY: safety\nOTHER: other",
                        enum_type=ConcernCategory,
                        max_length=32,
                    ),
                ),
                ("code_section", fields.CharField(max_length=200)),
                ("assignee", fields.CharField(null=True, max_length=64)),
                ("version", fields.IntField(default=1)),
                ("opened_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "case",
                "app": "standing",
                "indexes": [Index(fields=["organization_id", "state"]), Index(fields=["subject_id", "state"])],
                "pk_attr": "id",
                "table_description": "Reports about one participant and the same facts, handled to a decision by an admin.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AdminNudge",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("key", fields.CharField(unique=True, max_length=128)),
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
                ("kind", fields.CharField(max_length=32)),
                (
                    "case",
                    fields.ForeignKeyField(
                        "standing.Case",
                        source_field="case_id",
                        null=True,
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
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("message", fields.CharField(max_length=300)),
                ("due_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "admin_nudge",
                "app": "standing",
                "indexes": [Index(fields=["organization_id", "created_at"])],
                "pk_attr": "id",
                "table_description": "Something the organization's admins should act on: a case stage overdue, a lock that expired.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CaseDecision",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "case",
                    fields.ForeignKeyField(
                        "standing.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="decisions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("outcome", fields.CharField(max_length=16)),
                ("standing_event", fields.CharField(null=True, max_length=32)),
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
                    "reversal",
                    fields.ForeignKeyField(
                        "standing.TransitionRecord",
                        source_field="reversal_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "supersedes",
                    fields.ForeignKeyField(
                        "standing.CaseDecision",
                        source_field="supersedes_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("reason", fields.TextField(unique=False)),
                ("reporter_summary", fields.CharField(max_length=32)),
                ("decided_by", fields.CharField(max_length=64)),
                ("decided_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "case_decision",
                "app": "standing",
                "indexes": [Index(fields=["case_id", "id"])],
                "pk_attr": "id",
                "table_description": "How a case was decided. A later decision of the same case supersedes it (see docs/decisions.md).",
            },
            bases=["AppendOnly"],
        ),
        ops.CreateModel(
            name="CaseLogEntry",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "case",
                    fields.ForeignKeyField(
                        "standing.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="log",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("event", fields.CharField(max_length=32)),
                ("from_state", fields.CharField(max_length=16)),
                ("to_state", fields.CharField(max_length=16)),
                ("actor_kind", fields.CharField(max_length=16)),
                ("actor_id", fields.CharField(max_length=128)),
                ("reason", fields.TextField(unique=False)),
                (
                    "details",
                    fields.JSONField(
                        default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("occurred_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "case_log",
                "app": "standing",
                "indexes": [Index(fields=["case_id", "id"])],
                "pk_attr": "id",
                "table_description": "One step of a case: its machine's event, who took it and why. Append-only, like the transition log.",
            },
            bases=["AppendOnly"],
        ),
        ops.CreateModel(
            name="Concern",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "case",
                    fields.ForeignKeyField(
                        "standing.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="concerns",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
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
                    "subject",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="subject_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "reporter_kind",
                    fields.CharEnumField(
                        description="PARTICIPANT: participant\nADMIN: admin\nPARTNER: partner",
                        enum_type=ReporterKind,
                        max_length=16,
                    ),
                ),
                (
                    "reporter_participant",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="reporter_participant_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("reporter_token_id", fields.IntField()),
                (
                    "category",
                    fields.CharEnumField(
                        description="PROFESSIONAL_RESPONSIBILITY: professional_responsibility\nRESPECT_AND_INCLUSION: respect_and_inclusion\nPRIVACY_AND_CONFIDENTIALITY: privacy_and_confidentiality\nRELIABILITY_AND_ATTENDANCE: reliability_and_attendance\nCOMMUNICATION: communication\nSAFETY: safety\nOTHER: other",
                        enum_type=ConcernCategory,
                        max_length=32,
                    ),
                ),
                ("code_section", fields.CharField(max_length=200)),
                ("description", fields.TextField(unique=False)),
                (
                    "evidence",
                    fields.JSONField(
                        default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "concern",
                "app": "standing",
                "indexes": [
                    Index(fields=["reporter_token_id", "created_at"]),
                    Index(fields=["subject_id", "created_at"]),
                ],
                "pk_attr": "id",
                "table_description": "One report: who raised it, about whom, under which section of the Code, with which evidence.",
            },
            bases=["AppendOnly"],
        ),
        ops.CreateModel(
            name="ModeratorNote",
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
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "standing.Case",
                        source_field="case_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("author", fields.CharField(max_length=64)),
                ("body", fields.TextField(unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "moderator_note",
                "app": "standing",
                "indexes": [Index(fields=["organization_id", "id"])],
                "pk_attr": "id",
                "table_description": "An admin's private note on a participant or a case. Never shown to partners, webhooks or exports.",
            },
            bases=["AppendOnly"],
        ),
        ops.CreateModel(
            name="SessionNoteRead",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "note",
                    fields.ForeignKeyField(
                        "standing.SessionNote",
                        source_field="note_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="reads",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "standing.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("reader", fields.CharField(max_length=64)),
                ("reason", fields.TextField(unique=False)),
                ("read_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "session_note_read",
                "app": "standing",
                "indexes": [Index(fields=["note_id", "id"])],
                "pk_attr": "id",
                "table_description": "An admin opened a mentor's private session note while handling a case that references it.",
            },
            bases=["AppendOnly"],
        ),
        ops.AddField(
            model_name="BadgePolicyChange",
            name="policy",
            field=fields.CharField(default="badges", db_default="badges", max_length=16),
        ),
        StateOnly(
            model_name="Deadline",
            name="kind",
            field=fields.CharEnumField(
                description="SUSPENSION_END: suspension_end\nNOTICE_DECAY: notice_decay\nINACTIVITY: inactivity\nRESPONSE_NUDGE: response_nudge\nRESPONSE_DUE: response_due\nNOTES_NUDGE: notes_nudge\nNOTES_DUE: notes_due\nFEEDBACK_NUDGE: feedback_nudge\nCASE_ACKNOWLEDGE: case_acknowledge\nCASE_TRIAGE: case_triage\nCASE_DECIDE: case_decide",
                enum_type=DeadlineKind,
                max_length=32,
            ),
        ),
        ops.AddField(
            model_name="Organization",
            name="case_policy",
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
        ),
        append_only(("concern", "case_log", "case_decision", "moderator_note", "session_note_read")),
    ]
