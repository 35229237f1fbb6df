from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from domain.models.community import CommunityEventKind
from domain.models.goal import GoalStatus
from domain.models.session import Absentee, SessionStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("standing", "0002_append_only_transition_log")]

    initial = False

    operations = [
        ops.CreateModel(
            name="AvailabilityWindow",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "mentor",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="mentor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="availability",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("starts_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("ends_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "availability_window",
                "app": "standing",
                "indexes": [Index(fields=["mentor_id", "ends_at"])],
                "pk_attr": "id",
                "table_description": "A window of a mentor's calendar open for booking (Mentor Code 3 and 8).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="BadgeRecord",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "participant",
                    fields.OneToOneField(
                        "standing.Participant",
                        source_field="participant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="badge",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("state", fields.CharField(max_length=16)),
                ("since", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("policy_version", fields.CharField(max_length=64)),
                ("evaluated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "criteria",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("certificate_code", fields.CharField(null=True, unique=True, max_length=32)),
                ("awarded_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "badge",
                "app": "standing",
                "indexes": [Index(fields=["state"])],
                "pk_attr": "id",
                "table_description": "A participant's Accountability Badge: its machine state and the latest evaluation's evidence.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CommunityAttendance",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "participant",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="participant_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="community_events",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="MENTOR_CIRCLE: mentor_circle\nTRAINING: training\nWEBINAR: webinar",
                        enum_type=CommunityEventKind,
                        max_length=16,
                    ),
                ),
                ("title", fields.CharField(max_length=200)),
                ("attended_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "community_attendance",
                "app": "standing",
                "indexes": [Index(fields=["participant_id", "attended_at"])],
                "pk_attr": "id",
                "table_description": "Attendance at a mentor circle, training or webinar (Mentor Code 7, Community Engagement).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Goal",
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
                    "protege",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="protege_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="owned_goals",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "mentor",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="mentor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="tracked_goals",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("specific", fields.CharField(max_length=300)),
                ("measurable", fields.CharField(max_length=300)),
                ("achievable", fields.TextField(unique=False)),
                ("relevant", fields.TextField(unique=False)),
                ("due_on", fields.DateField()),
                (
                    "status",
                    fields.CharEnumField(
                        default=GoalStatus.ACTIVE,
                        description="ACTIVE: active\nACHIEVED: achieved\nABANDONED: abandoned",
                        enum_type=GoalStatus,
                        max_length=16,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "goal",
                "app": "standing",
                "pk_attr": "id",
                "table_description": "A SMART goal, owned by a protégé and tracked by a mentor (Protégé Code 2, Mentor Code 2 and 5).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="GoalProgress",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "goal",
                    fields.ForeignKeyField(
                        "standing.Goal",
                        source_field="goal_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="progress_updates",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="author_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("note", fields.TextField(unique=False)),
                ("percent_complete", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "goal_progress",
                "app": "standing",
                "indexes": [Index(fields=["author_id", "created_at"])],
                "pk_attr": "id",
                "table_description": "A progress update on a goal, written by its protégé or mentor.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MentorshipSession",
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
                    "mentor",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="mentor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="mentor_sessions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "protege",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="protege_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="protege_sessions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "goal",
                    fields.ForeignKeyField(
                        "standing.Goal",
                        source_field="goal_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sessions",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("scheduled_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("duration_minutes", fields.IntField(default=60)),
                (
                    "status",
                    fields.CharEnumField(
                        default=SessionStatus.BOOKED,
                        description="BOOKED: booked\nATTENDED: attended\nNO_SHOW: no_show\nRESCHEDULED: rescheduled\nCANCELLED: cancelled",
                        enum_type=SessionStatus,
                        max_length=16,
                    ),
                ),
                (
                    "absentee",
                    fields.CharEnumField(
                        null=True,
                        description="MENTOR: mentor\nPROTEGE: protege\nBOTH: both",
                        enum_type=Absentee,
                        max_length=16,
                    ),
                ),
                ("notice_hours", fields.FloatField(null=True)),
                ("approved_by", fields.CharField(null=True, max_length=128)),
                ("booked_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("outcome_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("notes_due_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "mentorship_session",
                "app": "standing",
                "indexes": [Index(fields=["mentor_id", "scheduled_at"]), Index(fields=["protege_id", "scheduled_at"])],
                "pk_attr": "id",
                "table_description": "A booked session between a mentor and a protégé, tied to a goal (Mentor Code 5).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Message",
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
                    "sender",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="sender_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sent_messages",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "recipient",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="recipient_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="received_messages",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("sent_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("respond_by", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("responded_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "message",
                "app": "standing",
                "indexes": [Index(fields=["recipient_id", "respond_by"])],
                "pk_attr": "id",
                "table_description": "A message between participants. The recipient has a 48-hour response window (Responsiveness).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ServiceOffering",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "mentor",
                    fields.ForeignKeyField(
                        "standing.Participant",
                        source_field="mentor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="offerings",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("title", fields.CharField(max_length=200)),
                ("description", fields.TextField(default="", unique=False)),
                ("duration_minutes", fields.IntField(default=60)),
                ("active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "service_offering",
                "app": "standing",
                "pk_attr": "id",
                "table_description": "A mentorship service on a mentor profile. The Code asks for at least one (Mentor Code 8).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SessionFeedback",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "session",
                    fields.OneToOneField(
                        "standing.MentorshipSession",
                        source_field="session_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="feedback",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("body", fields.TextField(unique=False)),
                ("rating", fields.IntField(null=True)),
                ("submitted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "session_feedback",
                "app": "standing",
                "pk_attr": "id",
                "table_description": "The protégé's reflection after a session (Protégé Code 6).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SessionNote",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "session",
                    fields.OneToOneField(
                        "standing.MentorshipSession",
                        source_field="session_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="note",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("body", fields.TextField(unique=False)),
                ("submitted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("on_time", fields.BooleanField()),
            ],
            options={
                "table": "session_note",
                "app": "standing",
                "pk_attr": "id",
                "table_description": "The mentor's summary or goal review, due 48 hours after the session (Mentor Code 3).",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Organization",
            name="policy_overrides",
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
        ),
    ]
