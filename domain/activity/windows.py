"""The 48-hour windows of messages, session notes and feedback: a nudge halfway, and the lapse.

A nudge is recorded once per subject, with an outbox event, when the window is half gone and the
thing is still outstanding. A lapsed notes window only counts against the session-reporting rate.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from tortoise.exceptions import IntegrityError

from domain.deadlines.firing import DeadlineRule, Firing
from domain.events import outbox
from domain.infra.db import transaction
from domain.models import Deadline, MentorshipSession, Message, Nudge, Participant, SessionFeedback, SessionNote
from domain.standing.policy import TIME_POLICY


async def notes_lapse(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
    """Mentor Code 3: notes within 48 hours. A lapse counts against the session-reporting rate."""
    on_time = await SessionNote.filter(session_id=d.subject_id, on_time=True).exists()
    return Firing("no change (notes in on time)" if on_time else "lapsed (counted in the session-reporting metric)")


def nudge(
    kind: str,
    text: str,
    outstanding: Callable[[Deadline], Awaitable[bool]],
    window_end: Callable[[Deadline], Awaitable[datetime]],
) -> DeadlineRule:
    async def rule(d: Deadline, p: Participant, now: datetime, dry_run: bool) -> Firing:
        if not await outstanding(d):
            return Firing("no nudge (already done)")
        if dry_run:
            return Firing(f"would nudge: {text}")
        try:
            async with transaction() as conn:
                await Nudge.create(
                    using_db=conn,
                    key=d.key,
                    participant_id=p.id,
                    kind=kind,
                    subject_id=d.subject_id,
                    message=text,
                    window_ends_at=await window_end(d),
                    created_at=now,
                )
                await outbox.record(
                    [
                        outbox.NewEvent(
                            type=outbox.NUDGE_CREATED,
                            organization_id=p.organization_id,
                            participant_id=p.id,
                            event=kind,
                            reason_code=f"{kind}_nudge",
                            occurred_at=now,
                        )
                    ],
                    conn,
                )
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


response_nudge = nudge("response", "a message has waited 24 hours for your answer", _unanswered, _respond_by)
notes_nudge = nudge("notes", "session notes are due within 24 hours", _no_notes, _notes_due)
feedback_nudge = nudge("feedback", "share your feedback on yesterday's session", _no_feedback, _feedback_window)
