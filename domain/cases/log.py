"""Writing a case's step: its log row, and the event partners' tools and admins' subscriptions hear of.

No event carries a reporter's identity or the text of a note: only the case, its subject, the step and
its states.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.events import outbox
from domain.kernel.actors import Actor
from domain.models import Case, CaseLogEntry

# The case steps that become events (the others stay in the case log).
EVENT_OF_STEP = {
    "open": outbox.CASE_OPENED,
    "assign": outbox.CASE_ASSIGNED,
    "decide": outbox.CASE_DECIDED,
    "close": outbox.CASE_CLOSED,
}


async def log_step(
    case: Case,
    event: str,
    from_state: str,
    actor: Actor,
    reason: str,
    now: datetime,
    conn: Any,
    details: dict[str, Any] | None = None,
) -> CaseLogEntry:
    entry = await CaseLogEntry.create(
        using_db=conn,
        case_id=case.id,
        event=event,
        from_state=from_state,
        to_state=case.state,
        actor_kind=actor.kind.value,
        actor_id=actor.id,
        reason=reason,
        details=details or {},
        occurred_at=now,
    )
    if (event_type := EVENT_OF_STEP.get(event)) is not None:
        await outbox.record(
            [
                outbox.NewEvent(
                    type=event_type,
                    organization_id=case.organization_id,
                    participant_id=case.subject_id,
                    machine="case",
                    event=event,
                    from_state=from_state,
                    to_state=case.state,
                    reason_code=f"case.{event}",
                    ref=f"case:{case.reference}",
                    occurred_at=now,
                )
            ],
            conn,
        )
        await outbox.announce()
    return entry
