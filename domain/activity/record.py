"""`record_activity`: the one use case for every kind of activity, done whole or not at all.

In one transaction it stores the row, arms the deadlines the row carries, runs the reactive rules
and re-evaluates the badges of the participants concerned. A failure anywhere leaves nothing behind:
never a message without its response deadline.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.activity.acting import Acting
from domain.activity.calendar import AddAvailability, CreateServiceOffering, add_availability, create_service_offering
from domain.activity.community import RecordCommunityEvent, record_community_event
from domain.activity.consequences import after_activity
from domain.activity.goals import (
    CreateGoal,
    LogGoalProgress,
    SetGoalStatus,
    create_goal,
    log_goal_progress,
    set_goal_status,
)
from domain.activity.messages import RespondToMessage, SendMessage, respond_to_message, send_message
from domain.activity.sessions import (
    BookSession,
    RecordSessionOutcome,
    SubmitSessionFeedback,
    SubmitSessionNote,
    book_session,
    record_session_outcome,
    submit_session_feedback,
    submit_session_note,
)
from domain.infra.db import Refused, atomically
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound, NotPermitted

ActivityCommand = (
    CreateGoal
    | SetGoalStatus
    | LogGoalProgress
    | AddAvailability
    | CreateServiceOffering
    | BookSession
    | RecordSessionOutcome
    | SubmitSessionNote
    | SubmitSessionFeedback
    | SendMessage
    | RespondToMessage
    | RecordCommunityEvent
)
Handler = Callable[[Acting, Any, Clock], Awaitable[Any]]

HANDLERS: dict[type, Handler] = {
    CreateGoal: create_goal,
    SetGoalStatus: set_goal_status,
    LogGoalProgress: log_goal_progress,
    AddAvailability: add_availability,
    CreateServiceOffering: create_service_offering,
    BookSession: book_session,
    RecordSessionOutcome: record_session_outcome,
    SubmitSessionNote: submit_session_note,
    SubmitSessionFeedback: submit_session_feedback,
    SendMessage: send_message,
    RespondToMessage: respond_to_message,
    RecordCommunityEvent: record_community_event,
}
REJECTIONS = (NotFound, InvalidInput, NotPermitted)


async def record_activity(acting: Acting, command: ActivityCommand, *, clock: Clock, evaluate: bool = True) -> Any:
    """The stored row, or a typed rejection. `evaluate=False` leaves badges to a later bulk evaluation
    (`standing import` and the demo evaluate once, at the end)."""
    handler = HANDLERS[type(command)]

    async def record(conn: Any) -> Any:
        row = await handler(acting, command, clock)
        if isinstance(row, REJECTIONS):
            raise Refused(row)  # nothing it read or locked outlives the refusal
        await after_activity(row, clock, evaluate=evaluate)
        return row

    return await atomically(record)
