"""Sessions: booked, then attended, missed, rescheduled or cancelled; then notes and feedback.

Mentor Code 3 and 5, Protégé Code 3 and 6. A suspended or removed mentor cannot be booked, and a
protégé in reminder books only with an admin's approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.activity.acting import Acting, member, text_problem
from domain.activity.policy import ACTIVITY_POLICY
from domain.activity.relationships import open_for_booking
from domain.kernel.clock import Clock
from domain.kernel.instants import instant_problem
from domain.kernel.rejections import ActivityRejection, InvalidInput, NotFound, NotPermitted
from domain.kernel.roles import Role
from domain.models import (
    Absentee,
    Goal,
    GoalStatus,
    MentorshipSession,
    Participant,
    SessionFeedback,
    SessionNote,
    SessionStatus,
)
from domain.protection.no_contact import contact_refusal
from domain.standing.machines import is_hidden, needs_booking_approval


@dataclass(frozen=True)
class BookSession:
    mentor_id: int
    protege_id: int
    goal_id: int
    scheduled_at: datetime
    duration_minutes: int = 60
    admin_approved: bool = False


@dataclass(frozen=True)
class RecordSessionOutcome:
    session_id: int
    outcome: SessionStatus
    absentee: Absentee | None = None
    notice_hours: float | None = None


@dataclass(frozen=True)
class SubmitSessionNote:
    session_id: int
    body: str


@dataclass(frozen=True)
class SubmitSessionFeedback:
    session_id: int
    body: str
    rating: int | None = None


BOOKING_HORIZON = timedelta(days=366)  # beyond it a date is a typo, not a plan


def session_end(session: MentorshipSession) -> datetime:
    return session.scheduled_at + timedelta(minutes=session.duration_minutes)


async def book_session(acting: Acting, cmd: BookSession, clock: Clock) -> MentorshipSession | ActivityRejection:
    if problem := instant_problem(cmd.scheduled_at, "scheduledAt"):
        return problem
    if cmd.scheduled_at > clock.now() + BOOKING_HORIZON:
        return InvalidInput("scheduledAt", "a session is booked at most a year ahead")
    if not 15 <= cmd.duration_minutes <= 480:
        return InvalidInput("durationMinutes", "between 15 and 480")
    mentor = await member(acting, cmd.mentor_id, Role.MENTOR, "mentorId")
    if not isinstance(mentor, Participant):
        return mentor
    protege = await member(acting, cmd.protege_id, Role.PROTEGE, "protegeId")
    if not isinstance(protege, Participant):
        return protege
    goal = await Goal.filter(id=cmd.goal_id, protege_id=cmd.protege_id).first()
    if goal is None:
        return InvalidInput("goalId", "a session is tied to one of the protégé's own goals")
    if goal.status is not GoalStatus.ACTIVE:
        return InvalidInput("goalId", "sessions are tied to an active goal")
    if not (acting.may_act_for(cmd.protege_id) or acting.may_act_for(cmd.mentor_id)):
        return NotPermitted("only the mentor, the protégé or an admin may book this session")
    if is_hidden(Role.MENTOR, mentor.standing):
        return NotPermitted(f"the mentor is {mentor.standing} and cannot be booked")
    if refused := await contact_refusal(cmd.mentor_id, cmd.protege_id, acting.as_participant, clock.now()):
        return refused
    if needs_booking_approval(Role.PROTEGE, protege.standing) and not (acting.is_admin and cmd.admin_approved):
        return NotPermitted("the protégé is in reminder standing: booking needs an admin's approval")
    if not acting.is_admin:  # the platform may backfill history; a participant books what is still ahead
        if cmd.scheduled_at <= clock.now():
            return InvalidInput("scheduledAt", "a session is booked for a time in the future")
        if goal.mentor_id is not None and goal.mentor_id != cmd.mentor_id:
            return InvalidInput("goalId", "this goal is tracked by another mentor")
        if acting.as_participant == cmd.mentor_id and goal.mentor_id != cmd.mentor_id:
            return NotPermitted("a mentor books only for a goal whose protégé chose them")
        if acting.as_participant == cmd.protege_id and not await open_for_booking(mentor, cmd.scheduled_at):
            return NotPermitted("the mentor's calendar has no availability at that time")
    if protege.needs_rematch:  # a session with a new mentor is the rematch
        await Participant.filter(id=protege.id).update(needs_rematch=False)
    return await MentorshipSession.create(
        organization_id=acting.organization_id,
        mentor_id=cmd.mentor_id,
        protege_id=cmd.protege_id,
        goal_id=cmd.goal_id,
        scheduled_at=cmd.scheduled_at,
        duration_minutes=cmd.duration_minutes,
        status=SessionStatus.BOOKED,
        approved_by="admin" if cmd.admin_approved and acting.is_admin else None,
        booked_at=clock.now(),
    )


async def _session(acting: Acting, session_id: int) -> MentorshipSession | ActivityRejection:
    session = await MentorshipSession.filter(id=session_id, organization_id=acting.organization_id).first()
    if session is None or not (acting.may_act_for(session.mentor_id) or acting.may_act_for(session.protege_id)):
        return NotFound("Session", str(session_id))
    return session


async def record_session_outcome(
    acting: Acting, cmd: RecordSessionOutcome, clock: Clock
) -> MentorshipSession | ActivityRejection:
    session = await _session(acting, cmd.session_id)
    if not isinstance(session, MentorshipSession):
        return session
    outcome = cmd.outcome
    if session.status is not SessionStatus.BOOKED:
        return NotPermitted(f"the session already ended as {session.status.value}")
    if outcome is SessionStatus.BOOKED:
        return InvalidInput("outcome", "a booked session ends as attended, no_show, rescheduled or cancelled")
    if outcome is SessionStatus.NO_SHOW and cmd.absentee is None:
        return InvalidInput("absentee", "say who did not show")
    ended_early = outcome in {SessionStatus.RESCHEDULED, SessionStatus.CANCELLED}
    if ended_early and (cmd.notice_hours is None or cmd.notice_hours < 0):
        return InvalidInput("noticeHours", "say how many hours of notice were given")
    now = clock.now()
    if outcome in {SessionStatus.ATTENDED, SessionStatus.NO_SHOW} and now < session.scheduled_at:
        return InvalidInput("outcome", "a session is attended or missed only once it has started")
    session.status, session.outcome_at = outcome, now
    session.absentee = cmd.absentee if outcome is SessionStatus.NO_SHOW else None  # type: ignore[assignment]
    session.notice_hours = cmd.notice_hours if ended_early else None
    if outcome is SessionStatus.ATTENDED:
        session.notes_due_at = session_end(session) + ACTIVITY_POLICY.notes_due.value
    await session.save()
    return session


async def submit_session_note(acting: Acting, cmd: SubmitSessionNote, clock: Clock) -> SessionNote | ActivityRejection:
    if problem := text_problem(cmd.body, "body", 20000):
        return problem
    session = await _session(acting, cmd.session_id)
    if not isinstance(session, MentorshipSession):
        return session
    if not acting.may_act_for(session.mentor_id):
        return NotPermitted("session notes are the mentor's to write")
    if session.status is not SessionStatus.ATTENDED:
        return NotPermitted("notes are written for attended sessions")
    if await SessionNote.filter(session_id=session.id).exists():
        return NotPermitted("this session already has notes")
    now = clock.now()
    return await SessionNote.create(
        session_id=session.id,
        body=cmd.body.strip(),
        submitted_at=now,
        on_time=session.notes_due_at is not None and now <= session.notes_due_at,
    )


async def submit_session_feedback(
    acting: Acting, cmd: SubmitSessionFeedback, clock: Clock
) -> SessionFeedback | ActivityRejection:
    if problem := text_problem(cmd.body, "body", 20000):
        return problem
    if cmd.rating is not None and not 1 <= cmd.rating <= 5:
        return InvalidInput("rating", "between 1 and 5")
    session = await _session(acting, cmd.session_id)
    if not isinstance(session, MentorshipSession):
        return session
    if not acting.may_act_for(session.protege_id):
        return NotPermitted("session feedback is the protégé's to give")
    if session.status is not SessionStatus.ATTENDED:
        return NotPermitted("feedback is given for attended sessions")
    if await SessionFeedback.filter(session_id=session.id).exists():
        return NotPermitted("this session already has feedback")
    return await SessionFeedback.create(
        session_id=session.id, body=cmd.body.strip(), rating=cmd.rating, submitted_at=clock.now()
    )
