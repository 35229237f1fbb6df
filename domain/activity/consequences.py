"""What follows an activity: deadlines to arm, reactive rules to run, badges to re-evaluate.

Called only by `record.record_activity`, inside the transaction that stored the row.
"""

from __future__ import annotations

from domain.activity.sessions import session_end
from domain.badges.evaluation import evaluate_badges
from domain.deadlines.schedule import schedule
from domain.facts.recording import record_no_show
from domain.kernel.clock import Clock
from domain.kernel.roles import Role
from domain.models import (
    AvailabilityWindow,
    CommunityAttendance,
    DeadlineKind,
    Goal,
    GoalProgress,
    MentorshipSession,
    Message,
    Participant,
    ServiceOffering,
    SessionFeedback,
    SessionNote,
    SessionStatus,
)
from domain.standing.policy import TIME_POLICY
from domain.standing.rules.renewed_activity import renewed_activity


async def after_activity(row: object, clock: Clock, *, evaluate: bool = True) -> list[int]:
    """Arm deadlines and run reactive rules for a recorded activity; returns the participants concerned."""
    now = clock.now()
    acted, concerned = await _parties(row)
    nudge = TIME_POLICY.nudge_after.value
    if isinstance(row, Message) and row.responded_at is None:
        await schedule(DeadlineKind.RESPONSE_NUDGE, row.recipient_id, row.sent_at + nudge, now, subject_id=row.id)
        await schedule(DeadlineKind.RESPONSE_DUE, row.recipient_id, row.respond_by, now, subject_id=row.id)
    if isinstance(row, MentorshipSession) and row.status is SessionStatus.ATTENDED and row.notes_due_at:
        end = session_end(row)
        await schedule(DeadlineKind.NOTES_NUDGE, row.mentor_id, end + nudge, now, subject_id=row.id)
        await schedule(DeadlineKind.NOTES_DUE, row.mentor_id, row.notes_due_at, now, subject_id=row.id)
        await schedule(DeadlineKind.FEEDBACK_NUDGE, row.protege_id, end + nudge, now, subject_id=row.id)
    if isinstance(row, MentorshipSession) and row.status is SessionStatus.NO_SHOW:
        await record_no_show(row, now)  # provisional: counts toward the reminder once its window closes
    for participant in await Participant.filter(id__in=acted, role=Role.PROTEGE):
        await renewed_activity(participant, type(row).__name__, now)
    if evaluate and concerned:
        await evaluate_badges(clock=clock, participant_ids=concerned)
    return concerned


async def _parties(row: object) -> tuple[list[int], list[int]]:
    """(who acted, whose badge the activity may change)."""
    match row:
        case Goal():
            return [row.protege_id], [i for i in (row.protege_id, row.mentor_id) if i]
        case GoalProgress():
            return [row.author_id], [row.author_id]
        case MentorshipSession() if row.status is SessionStatus.ATTENDED:
            return [row.protege_id, row.mentor_id], [row.protege_id, row.mentor_id]
        case MentorshipSession():
            return [], [row.mentor_id, row.protege_id]
        case Message() if row.responded_at is not None:
            return [row.recipient_id], [row.recipient_id]
        case Message():
            return [row.sender_id], []
        case SessionNote() | SessionFeedback():
            session = await MentorshipSession.get(id=row.session_id)
            return (
                ([session.mentor_id], [session.mentor_id])
                if isinstance(row, SessionNote)
                else ([session.protege_id], [session.protege_id])
            )
        case CommunityAttendance():
            return [row.participant_id], [row.participant_id]
        case AvailabilityWindow() | ServiceOffering():
            return [row.mentor_id], [row.mentor_id]
    return [], []
