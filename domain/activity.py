"""The activity ledger: what participants do, recorded through one function per kind of activity.

Every function takes the acting party: an admin (the platform, `as_participant=None`) or a participant
acting for themself. Each returns the stored row or a typed rejection. Event times come from the
clock, so `standing import` replays history by setting the clock to each record's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.clock import Clock
from domain.machines import is_hidden, needs_booking_approval
from domain.models import (
    Absentee, AvailabilityWindow, CommunityAttendance, CommunityEventKind, Goal, GoalProgress, GoalStatus,
    MentorshipSession, Message, Participant, ServiceOffering, SessionFeedback, SessionNote, SessionStatus,
)
from domain.policy import ACTIVITY_POLICY
from domain.rejections import ActivityRejection, InvalidInput, NotFound, NotPermitted
from domain.roles import Role
from domain.text import NUL_PROBLEM, has_nul


@dataclass(frozen=True)
class Acting:
    """Who records the activity: the organization's platform (an admin) or one of its participants."""

    organization_id: int
    as_participant: int | None = None

    def may_act_for(self, participant_id: int) -> bool:
        return self.as_participant is None or self.as_participant == participant_id

    @property
    def is_admin(self) -> bool:
        return self.as_participant is None


async def _member(acting: Acting, participant_id: int, role: Role, field: str) -> Participant | ActivityRejection:
    row = await Participant.filter(id=participant_id, organization_id=acting.organization_id).first()
    if row is None:
        return NotFound("Participant", str(participant_id))
    if Role(row.role) is not role:
        return InvalidInput(field, f"participant {participant_id} is not a {role.value}")
    return row


def _text(value: str, field: str, limit: int = 300) -> InvalidInput | None:
    if not value or not value.strip():
        return InvalidInput(field, "must not be empty")
    if has_nul(value):
        return InvalidInput(field, NUL_PROBLEM)
    if len(value) > limit:
        return InvalidInput(field, f"at most {limit} characters")
    return None


def _first_problem(*checks: InvalidInput | None) -> InvalidInput | None:
    return next((c for c in checks if c is not None), None)


# --- goals -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SmartGoal:
    specific: str
    measurable: str
    achievable: str
    relevant: str
    due_on: date


async def create_goal(
    acting: Acting, *, protege_id: int, goal: SmartGoal, clock: Clock, mentor_id: int | None = None
) -> Goal | ActivityRejection:
    now = clock.now()
    problem = _first_problem(
        _text(goal.specific, "specific"), _text(goal.measurable, "measurable"),
        _text(goal.achievable, "achievable", 2000), _text(goal.relevant, "relevant", 2000),
        InvalidInput("dueOn", "a time-bound goal is due in the future") if goal.due_on <= now.date() else None,
    )
    if problem:
        return problem
    protege = await _member(acting, protege_id, Role.PROTEGE, "protegeId")
    if not isinstance(protege, Participant):
        return protege
    if mentor_id is not None:
        mentor = await _member(acting, mentor_id, Role.MENTOR, "mentorId")
        if not isinstance(mentor, Participant):
            return mentor
    if not (acting.may_act_for(protege_id) or (mentor_id is not None and acting.may_act_for(mentor_id))):
        return NotPermitted("only the protégé, their mentor or an admin may create this goal")
    return await Goal.create(
        organization_id=acting.organization_id, protege_id=protege_id, mentor_id=mentor_id,
        specific=goal.specific.strip(), measurable=goal.measurable.strip(), achievable=goal.achievable.strip(),
        relevant=goal.relevant.strip(), due_on=goal.due_on, status=GoalStatus.ACTIVE, created_at=now, updated_at=now,
    )


async def _goal(acting: Acting, goal_id: int) -> Goal | ActivityRejection:
    goal = await Goal.filter(id=goal_id, organization_id=acting.organization_id).first()
    if goal is None:
        return NotFound("Goal", str(goal_id))
    if not (acting.may_act_for(goal.protege_id) or (goal.mentor_id and acting.may_act_for(goal.mentor_id))):
        return NotFound("Goal", str(goal_id))
    return goal


async def set_goal_status(acting: Acting, *, goal_id: int, status: GoalStatus, clock: Clock) -> Goal | ActivityRejection:
    goal = await _goal(acting, goal_id)
    if not isinstance(goal, Goal):
        return goal
    goal.status, goal.updated_at = status, clock.now()
    await goal.save(update_fields=["status", "updated_at"])
    return goal


async def log_goal_progress(
    acting: Acting, *, goal_id: int, note: str, clock: Clock, percent_complete: int | None = None,
    author_id: int | None = None,
) -> GoalProgress | ActivityRejection:
    if problem := _text(note, "note", 5000):
        return problem
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        return InvalidInput("percentComplete", "must be between 0 and 100")
    goal = await _goal(acting, goal_id)
    if not isinstance(goal, Goal):
        return goal
    author = acting.as_participant or author_id or goal.protege_id
    if author not in {goal.protege_id, goal.mentor_id}:
        return InvalidInput("authorId", "progress is logged by the goal's protégé or mentor")
    return await GoalProgress.create(
        goal_id=goal.id, author_id=author, note=note.strip(), percent_complete=percent_complete, created_at=clock.now()
    )


# --- availability and offerings ----------------------------------------------------------------

async def add_availability(
    acting: Acting, *, mentor_id: int, starts_at: datetime, ends_at: datetime, clock: Clock
) -> AvailabilityWindow | ActivityRejection:
    if ends_at <= starts_at:
        return InvalidInput("endsAt", "must be after startsAt")
    if ends_at <= clock.now():
        return InvalidInput("endsAt", "an availability window must end in the future")
    mentor = await _member(acting, mentor_id, Role.MENTOR, "mentorId")
    if not isinstance(mentor, Participant):
        return mentor
    if not acting.may_act_for(mentor_id):
        return NotPermitted("only the mentor or an admin may set this calendar")
    return await AvailabilityWindow.create(mentor_id=mentor_id, starts_at=starts_at, ends_at=ends_at, created_at=clock.now())


async def create_service_offering(
    acting: Acting, *, mentor_id: int, title: str, clock: Clock, description: str = "", duration_minutes: int = 60
) -> ServiceOffering | ActivityRejection:
    problem = _first_problem(
        _text(title, "title", 200),
        InvalidInput("durationMinutes", "between 15 and 480") if not 15 <= duration_minutes <= 480 else None,
    )
    if problem:
        return problem
    mentor = await _member(acting, mentor_id, Role.MENTOR, "mentorId")
    if not isinstance(mentor, Participant):
        return mentor
    if not acting.may_act_for(mentor_id):
        return NotPermitted("only the mentor or an admin may create this offering")
    return await ServiceOffering.create(
        mentor_id=mentor_id, title=title.strip(), description=description.strip(),
        duration_minutes=duration_minutes, created_at=clock.now(),
    )


# --- sessions ----------------------------------------------------------------------------------

async def book_session(
    acting: Acting, *, mentor_id: int, protege_id: int, goal_id: int, scheduled_at: datetime, clock: Clock,
    duration_minutes: int = 60, admin_approved: bool = False,
) -> MentorshipSession | ActivityRejection:
    if not 15 <= duration_minutes <= 480:
        return InvalidInput("durationMinutes", "between 15 and 480")
    mentor = await _member(acting, mentor_id, Role.MENTOR, "mentorId")
    if not isinstance(mentor, Participant):
        return mentor
    protege = await _member(acting, protege_id, Role.PROTEGE, "protegeId")
    if not isinstance(protege, Participant):
        return protege
    goal = await Goal.filter(id=goal_id, protege_id=protege_id).first()
    if goal is None:
        return InvalidInput("goalId", "a session is tied to one of the protégé's own goals")
    if goal.status is not GoalStatus.ACTIVE:
        return InvalidInput("goalId", "sessions are tied to an active goal")
    if not (acting.may_act_for(protege_id) or acting.may_act_for(mentor_id)):
        return NotPermitted("only the mentor, the protégé or an admin may book this session")
    if is_hidden(Role.MENTOR, mentor.standing):
        return NotPermitted(f"the mentor is {mentor.standing} and cannot be booked")
    if needs_booking_approval(Role.PROTEGE, protege.standing) and not (acting.is_admin and admin_approved):
        return NotPermitted("the protégé is in reminder standing: booking needs an admin's approval")
    return await MentorshipSession.create(
        organization_id=acting.organization_id, mentor_id=mentor_id, protege_id=protege_id, goal_id=goal_id,
        scheduled_at=scheduled_at, duration_minutes=duration_minutes, status=SessionStatus.BOOKED,
        approved_by="admin" if admin_approved and acting.is_admin else None, booked_at=clock.now(),
    )


async def _session(acting: Acting, session_id: int) -> MentorshipSession | ActivityRejection:
    session = await MentorshipSession.filter(id=session_id, organization_id=acting.organization_id).first()
    if session is None or not (acting.may_act_for(session.mentor_id) or acting.may_act_for(session.protege_id)):
        return NotFound("Session", str(session_id))
    return session


async def record_session_outcome(
    acting: Acting, *, session_id: int, outcome: SessionStatus, clock: Clock,
    absentee: Absentee | None = None, notice_hours: float | None = None,
) -> MentorshipSession | ActivityRejection:
    session = await _session(acting, session_id)
    if not isinstance(session, MentorshipSession):
        return session
    if session.status is not SessionStatus.BOOKED:
        return NotPermitted(f"the session already ended as {session.status.value}")
    if outcome is SessionStatus.BOOKED:
        return InvalidInput("outcome", "a booked session ends as attended, no_show, rescheduled or cancelled")
    if outcome is SessionStatus.NO_SHOW and absentee is None:
        return InvalidInput("absentee", "say who did not show")
    if outcome in {SessionStatus.RESCHEDULED, SessionStatus.CANCELLED} and (notice_hours is None or notice_hours < 0):
        return InvalidInput("noticeHours", "say how many hours of notice were given")
    now = clock.now()
    if outcome in {SessionStatus.ATTENDED, SessionStatus.NO_SHOW} and now < session.scheduled_at:
        return InvalidInput("outcome", "a session is attended or missed only once it has started")
    session.status, session.outcome_at = outcome, now
    session.absentee = absentee if outcome is SessionStatus.NO_SHOW else None
    session.notice_hours = notice_hours if outcome in {SessionStatus.RESCHEDULED, SessionStatus.CANCELLED} else None
    if outcome is SessionStatus.ATTENDED:
        session.notes_due_at = session_end(session) + ACTIVITY_POLICY.notes_due.value
    await session.save()
    return session


def session_end(session: MentorshipSession) -> datetime:
    return session.scheduled_at + timedelta(minutes=session.duration_minutes)


async def submit_session_note(acting: Acting, *, session_id: int, body: str, clock: Clock) -> SessionNote | ActivityRejection:
    if problem := _text(body, "body", 20000):
        return problem
    session = await _session(acting, session_id)
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
        session_id=session.id, body=body.strip(), submitted_at=now, on_time=now <= session.notes_due_at
    )


async def submit_session_feedback(
    acting: Acting, *, session_id: int, body: str, clock: Clock, rating: int | None = None
) -> SessionFeedback | ActivityRejection:
    if problem := _text(body, "body", 20000):
        return problem
    if rating is not None and not 1 <= rating <= 5:
        return InvalidInput("rating", "between 1 and 5")
    session = await _session(acting, session_id)
    if not isinstance(session, MentorshipSession):
        return session
    if not acting.may_act_for(session.protege_id):
        return NotPermitted("session feedback is the protégé's to give")
    if session.status is not SessionStatus.ATTENDED:
        return NotPermitted("feedback is given for attended sessions")
    if await SessionFeedback.filter(session_id=session.id).exists():
        return NotPermitted("this session already has feedback")
    return await SessionFeedback.create(session_id=session.id, body=body.strip(), rating=rating, submitted_at=clock.now())


# --- messages ----------------------------------------------------------------------------------

async def send_message(acting: Acting, *, sender_id: int, recipient_id: int, clock: Clock) -> Message | ActivityRejection:
    if sender_id == recipient_id:
        return InvalidInput("recipientId", "a message goes to someone else")
    for participant_id, field in ((sender_id, "senderId"), (recipient_id, "recipientId")):
        if not await Participant.filter(id=participant_id, organization_id=acting.organization_id).exists():
            return NotFound("Participant", str(participant_id))
    if not acting.may_act_for(sender_id):
        return NotPermitted("participants send messages as themselves")
    now = clock.now()
    return await Message.create(
        organization_id=acting.organization_id, sender_id=sender_id, recipient_id=recipient_id,
        sent_at=now, respond_by=now + ACTIVITY_POLICY.response_window.value,
    )


async def respond_to_message(acting: Acting, *, message_id: int, clock: Clock) -> Message | ActivityRejection:
    message = await Message.filter(id=message_id, organization_id=acting.organization_id).first()
    if message is None or not acting.may_act_for(message.recipient_id):
        return NotFound("Message", str(message_id))
    if message.responded_at is None:  # the first response is the one that counts
        message.responded_at = max(clock.now(), message.sent_at)
        await message.save(update_fields=["responded_at"])
    return message


# --- community ---------------------------------------------------------------------------------

async def record_community_event(
    acting: Acting, *, participant_id: int, kind: CommunityEventKind, title: str, clock: Clock
) -> CommunityAttendance | ActivityRejection:
    if problem := _text(title, "title", 200):
        return problem
    if not await Participant.filter(id=participant_id, organization_id=acting.organization_id).exists():
        return NotFound("Participant", str(participant_id))
    if not acting.may_act_for(participant_id):
        return NotPermitted("participants record their own attendance")
    return await CommunityAttendance.create(participant_id=participant_id, kind=kind, title=title.strip(), attended_at=clock.now())
