"""Persistence models (tortoise-orm). Migrations in domain/migrations are the schema's source of truth.

Model docstrings become SQL table comments: keep semicolons and backticks out of them, because
Tortoise's SQLite schema editor splits statements on ';'.
May import: kernel, standing (a participant's derived facts come from the machines).
"""

from domain.models.badge import BadgeRecord
from domain.models.case import (
    AdminNudge,
    Case,
    CaseDecision,
    CaseLogEntry,
    Concern,
    ConcernCategory,
    ModeratorNote,
    ReporterKind,
    SessionNoteRead,
)
from domain.models.community import CommunityAttendance, CommunityEventKind
from domain.models.deadline import Deadline, DeadlineKind, ExcusedLeave, Nudge
from domain.models.due_process import Appeal, Notice, StandingLock
from domain.models.erasure import ErasureRequest
from domain.models.facts import FactKind, NoContactOrder, RecordedFact
from domain.models.goal import Goal, GoalProgress, GoalStatus
from domain.models.idempotency import IdempotencyKey
from domain.models.message import Message
from domain.models.offering import AvailabilityWindow, ServiceOffering
from domain.models.organization import Organization
from domain.models.outbox import OutboxEvent, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from domain.models.participant import Participant
from domain.models.policy_change import BadgePolicyChange
from domain.models.session import Absentee, MentorshipSession, SessionFeedback, SessionNote, SessionStatus
from domain.models.token import ApiToken
from domain.models.transition import AppendOnlyError, TransitionRecord

__all__ = [
    "Organization",
    "Participant",
    "ApiToken",
    "TransitionRecord",
    "AppendOnlyError",
    "Goal",
    "GoalProgress",
    "GoalStatus",
    "AvailabilityWindow",
    "ServiceOffering",
    "MentorshipSession",
    "SessionStatus",
    "Absentee",
    "SessionNote",
    "SessionFeedback",
    "Message",
    "CommunityAttendance",
    "CommunityEventKind",
    "BadgeRecord",
    "Deadline",
    "DeadlineKind",
    "Nudge",
    "ExcusedLeave",
    "OutboxEvent",
    "WebhookEndpoint",
    "IdempotencyKey",
    "WebhookDelivery",
    "WebhookAttempt",
    "BadgePolicyChange",
    "Case",
    "Concern",
    "ConcernCategory",
    "ReporterKind",
    "CaseLogEntry",
    "CaseDecision",
    "ModeratorNote",
    "SessionNoteRead",
    "AdminNudge",
    "Notice",
    "Appeal",
    "StandingLock",
    "FactKind",
    "RecordedFact",
    "NoContactOrder",
    "ErasureRequest",
]
