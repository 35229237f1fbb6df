"""The time-based and reactive rules of the Code of Conduct, each named after what it enforces.

Deadline rules run when a durable deadline falls due (from the sweep or a precise job). Reactive
rules run right after an activity. Every transition they make goes through `apply_event` with the
`system` actor (or the participant, for recovery), with evidence and the time it was due.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from domain import outbox
from domain.actors import Actor, ActorKind
from domain.clock import FixedClock
from domain.db import transaction
from domain.deadlines import schedule
from domain.models import (
    Absentee, Deadline, DeadlineKind, Message, MentorshipSession, Nudge, Participant, SessionFeedback, SessionNote,
    SessionStatus,
)
from domain.policy import ACTIVITY_POLICY, STANDING_POLICY, TIME_POLICY
from domain.roles import Role
from domain.standing import StandingCommand, TransitionApplied, apply_event


@dataclass(frozen=True)
class Firing:
    """What a rule did (or, in a dry run, would do) when its deadline fell due."""

    outcome: str
    transition: str | None = None  # the standing event applied, if any


async def _transition(participant: Participant, event: str, rule: str, reason: str, evidence: dict[str, Any],
                      now: datetime, dry_run: bool, actor: Actor | None = None) -> Firing:
    if dry_run:
        return Firing(f"would {event}: {reason}", event)
    result = await apply_event(
        StandingCommand(participant.id, event, actor or Actor.system(rule), reason, evidence=evidence),
        clock=FixedClock(now),
    )
    if isinstance(result, TransitionApplied):
        return Firing(f"{event}: {reason}", event)
    return Firing(f"no change ({result.message})")


# --- mentor ------------------------------------------------------------------------------------

async def suspension_ends(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    """Mentor Code, Second Notice: the suspension is temporary. Visibility returns; the notice stays."""
    if p.standing != "suspended" or p.suspended_until is None or p.suspended_until > now:
        return Firing("no change (no suspension ends now)")
    evidence = {"suspended_until": p.suspended_until.isoformat(), "due_at": d.due_at.isoformat()}
    return await _transition(p, "lift_suspension", "suspension_ends", "the suspension reached its end time",
                             evidence, now, dry_run)


async def notice_decays(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    """Mentor Code, First Notice: a notice lapses after a period with no new violation."""
    decay = STANDING_POLICY.notice_decay.value
    if p.standing != "first_notice" or p.standing_since + decay > now:
        return Firing("no change (the notice was superseded or is not old enough)")
    evidence = {"notice_since": p.standing_since.isoformat(), "decay_days": decay.days, "due_at": d.due_at.isoformat()}
    return await _transition(p, "clear_notice", "notice_decays", f"no new violation for {decay.days} days",
                             evidence, now, dry_run)


# --- protégé -----------------------------------------------------------------------------------

async def inactivity_warning(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    """Protégé Code, Warning: inactivity beyond 60 days without updates hides the profile from mentors."""
    if p.standing not in {"good", "reminder"}:
        return Firing("no change (already past a warning)")
    window = TIME_POLICY.inactivity.value
    evidence = {"last_active_at": TIME_POLICY.last_active_for(d.due_at).isoformat(), "due_at": d.due_at.isoformat(),
                "inactivity_days": window.days}
    return await _transition(p, "issue_warning", "inactivity_warning",
                             f"no activity or update for more than {window.days} days", evidence, now, dry_run)


async def response_lapses(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    """Protégé Code, Ineligibility: repeated non-responsiveness. Each lapse also counts in badge metrics."""
    message = await Message.filter(id=d.subject_id).first()
    if message is None or (message.responded_at is not None and message.responded_at <= message.respond_by):
        return Firing("no change (answered in time)")
    if Role(p.role) is not Role.PROTEGE or p.standing == "ineligible":
        return Firing("lapsed (counted in the response-rate metric)")
    rule = TIME_POLICY.non_responsiveness
    since = now - rule.window.value
    windows = await Message.filter(recipient_id=p.id, respond_by__gte=since, respond_by__lte=now)
    lapsed = [m for m in windows if m.responded_at is None or m.responded_at > m.respond_by]
    if len(lapsed) < rule.count:
        return Firing(f"lapsed ({len(lapsed)} of {rule.count} lapses in {rule.window.value.days} days)")
    evidence = {"lapsed_messages": [m.id for m in lapsed], "window_days": rule.window.value.days,
                "threshold": rule.count, "due_at": d.due_at.isoformat()}
    firing = await _transition(p, "mark_ineligible", "non_responsiveness",
                               f"{len(lapsed)} response windows lapsed in {rule.window.value.days} days; "
                               "sent to program review", evidence, now, dry_run)
    if firing.transition and not dry_run:
        await Participant.filter(id=p.id).update(program_review=True)
    return firing


async def notes_lapse(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    """Mentor Code 3: notes within 48 hours. A lapse counts against the session-reporting rate."""
    on_time = await SessionNote.filter(session_id=d.subject_id, on_time=True).exists()
    return Firing("no change (notes in on time)" if on_time else "lapsed (counted in the session-reporting metric)")


def _nudge(kind: str, text: str, outstanding: Callable[[Deadline], Awaitable[bool]], window_end: Callable[[Deadline], Awaitable[datetime]]):
    async def rule(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
        if not await outstanding(d):
            return Firing("no nudge (already done)")
        if dry_run:
            return Firing(f"would nudge: {text}")
        try:
            async with transaction() as conn:
                await Nudge.create(using_db=conn, key=d.key, participant_id=p.id, kind=kind, subject_id=d.subject_id,
                                   message=text, window_ends_at=await window_end(d), created_at=now)
                await outbox.record([outbox.NewEvent(
                    type=outbox.NUDGE_CREATED, organization_id=p.organization_id, participant_id=p.id,
                    event=kind, reason_code=f"{kind}_nudge", occurred_at=now,
                )], conn)
        except IntegrityError:
            return Firing("no nudge (already nudged)")
        await outbox.announce()
        return Firing(f"nudged: {text}")

    rule.__name__ = f"{kind}_nudge"
    return rule


async def _unanswered(d: Deadline) -> bool:
    return await Message.filter(id=d.subject_id, responded_at=None).exists()


async def _respond_by(d: Deadline) -> datetime:
    return (await Message.get(id=d.subject_id)).respond_by


async def _no_notes(d: Deadline) -> bool:
    return not await SessionNote.filter(session_id=d.subject_id).exists()


async def _notes_due(d: Deadline) -> datetime:
    return (await MentorshipSession.get(id=d.subject_id)).notes_due_at  # type: ignore[return-value]


async def _no_feedback(d: Deadline) -> bool:
    return not await SessionFeedback.filter(session_id=d.subject_id).exists()


async def _feedback_window(d: Deadline) -> datetime:
    return d.due_at + TIME_POLICY.nudge_after.value


DEADLINE_RULES: dict[DeadlineKind, Callable[[Deadline, Participant, datetime, bool], Awaitable[Firing]]] = {
    DeadlineKind.SUSPENSION_END: suspension_ends,
    DeadlineKind.NOTICE_DECAY: notice_decays,
    DeadlineKind.INACTIVITY: inactivity_warning,
    DeadlineKind.RESPONSE_DUE: response_lapses,
    DeadlineKind.NOTES_DUE: notes_lapse,
    DeadlineKind.RESPONSE_NUDGE: _nudge("response", "a message has waited 24 hours for your answer", _unanswered, _respond_by),
    DeadlineKind.NOTES_NUDGE: _nudge("notes", "session notes are due within 24 hours", _no_notes, _notes_due),
    DeadlineKind.FEEDBACK_NUDGE: _nudge("feedback", "share your feedback on yesterday's session", _no_feedback, _feedback_window),
}


# --- reactive rules ----------------------------------------------------------------------------

async def missed_sessions_reminder(protege: Participant, now: datetime) -> Firing | None:
    """Protégé Code, Reminder: 2+ sessions missed without notice → reschedule through admin approval."""
    if protege.standing != "good":
        return None
    rule = TIME_POLICY.missed_sessions
    missed = await MentorshipSession.filter(
        protege_id=protege.id, status=SessionStatus.NO_SHOW, absentee__in=[Absentee.PROTEGE, Absentee.BOTH],
        scheduled_at__gte=now - rule.window.value, scheduled_at__lte=now,
    ).values_list("id", flat=True)
    if len(missed) < rule.count:
        return None
    evidence = {"missed_sessions": sorted(missed), "window_days": rule.window.value.days, "threshold": rule.count}
    return await _transition(protege, "send_reminder", "missed_sessions_reminder",
                             f"{len(missed)} sessions missed without notice in {rule.window.value.days} days",
                             evidence, now, dry_run=False)


async def renewed_activity(protege: Participant, activity: str, now: datetime) -> Firing | None:
    """Protégé Code, Warning, read in reverse: acting again lifts an inactivity warning, and the 60-day
    inactivity horizon starts again from now."""
    await schedule(DeadlineKind.INACTIVITY, protege.id, TIME_POLICY.inactivity_due(now), now, rearm=True)
    if protege.standing != "warning":
        return None
    actor = Actor(ActorKind.PARTICIPANT, f"participant:{protege.id}")
    return await _transition(protege, "restore_good_standing", "renewed_activity",
                             f"active again: {activity}", {"activity": activity}, now, dry_run=False, actor=actor)


NUDGE_AFTER: timedelta = TIME_POLICY.nudge_after.value
RESPONSE_WINDOW: timedelta = ACTIVITY_POLICY.response_window.value
