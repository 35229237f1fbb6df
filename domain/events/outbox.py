"""The transactional outbox: every standing transition, badge change and nudge writes an event row
in the same transaction as the change, so partners can never miss one.

Ids are the cursor partners resume from, so they must become visible in id order. On PostgreSQL a
transaction-scoped advisory lock serialises event writers from the insert to the commit (SQLite
serialises all writers anyway); a reader that has seen id N can never later find a committed M < N.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise import connections

from domain.infra.db import after_commit, last_in_transaction
from domain.models import OutboxEvent, WebhookDelivery, WebhookEndpoint

log = logging.getLogger("standing.outbox")

OUTBOX_LOCK = 7_411_001  # any constant; names the advisory lock that orders outbox commits

STANDING_CHANGED = "standing.changed"
BADGE_CHANGED = "badge.changed"
NUDGE_CREATED = "nudge.created"
CASE_OPENED = "case.opened"
CASE_ASSIGNED = "case.assigned"
CASE_DECIDED = "case.decided"
CASE_CLOSED = "case.closed"
CASE_OVERDUE = "case.overdue"  # a case missed a stage deadline: the organization's admins are nudged
CASE_EVENT_TYPES = (CASE_OPENED, CASE_ASSIGNED, CASE_DECIDED, CASE_CLOSED, CASE_OVERDUE)
NOTICE_ISSUED = "notice.issued"  # a written notice to a participant; `ref` names it for the platform to email
APPEAL_CHANGED = "appeal.changed"  # an appeal filed, decided or expired
FACT_CHANGED = "fact.changed"  # a no-show or lapse recorded (provisional), disputed, confirmed or withdrawn
# The other party of a sanctioned participant: their sessions together cancelled, their clocks paused.
PROTECTION_APPLIED = "protection.applied"
EVENT_TYPES = (
    STANDING_CHANGED,
    BADGE_CHANGED,
    NUDGE_CREATED,
    *CASE_EVENT_TYPES,
    NOTICE_ISSUED,
    APPEAL_CHANGED,
    FACT_CHANGED,
    PROTECTION_APPLIED,
)


@dataclass(frozen=True)
class NewEvent:
    type: str
    organization_id: int
    participant_id: int
    reason_code: str
    occurred_at: datetime
    machine: str | None = None
    event: str | None = None
    from_state: str | None = None
    to_state: str | None = None
    ref: str | None = None  # what else the event is about, e.g. "notice:12"


async def record(events: Sequence[NewEvent], conn: Any = None) -> None:
    """Write events (and their webhook deliveries) in the caller's transaction, as its last statements: the
    outbox lock, which every writer shares, is then the last lock the transaction takes."""
    if events:
        await last_in_transaction(lambda c: _write(list(events), c), conn)


async def _write(events: list[NewEvent], conn: Any) -> None:
    client = conn or connections.get("default")
    if client.capabilities.dialect == "postgres":
        await client.execute_query("SELECT pg_advisory_xact_lock($1)", [OUTBOX_LOCK])
    rows = [OutboxEvent(**event.__dict__) for event in events]
    for row in rows:  # one by one: bulk_create does not return ids on every backend
        await row.save(using_db=conn)
    await _plan_deliveries(rows, conn)


async def _plan_deliveries(rows: list[OutboxEvent], conn) -> None:
    organizations = {r.organization_id for r in rows}
    # Disabled endpoints get deliveries too: they wait, and re-enabling the endpoint sends them.
    endpoints = await WebhookEndpoint.filter(organization_id__in=organizations).using_db(conn)
    deliveries = [
        WebhookDelivery(endpoint_id=e.id, event_id=r.id, next_attempt_at=r.occurred_at, created_at=r.occurred_at)
        for r in rows
        for e in endpoints
        if e.organization_id == r.organization_id and (not e.event_types or r.type in e.event_types)
    ]
    if deliveries:
        await WebhookDelivery.bulk_create(deliveries, using_db=conn)


async def events_after(
    cursor: int,
    *,
    organization_id: int,
    participant_id: int | None = None,
    types: Sequence[str] | None = None,
    limit: int = 500,
) -> list[OutboxEvent]:
    query = OutboxEvent.filter(id__gt=cursor, organization_id=organization_id)
    if participant_id is not None:
        query = query.filter(participant_id=participant_id)
    if types:
        query = query.filter(type__in=list(types))
    return await query.order_by("id").limit(limit)


async def latest_id() -> int:
    last = await OutboxEvent.all().order_by("-id").first()
    return int(last.id) if last else 0


def as_message(event: OutboxEvent) -> dict[str, Any]:
    """The wire form, for Redis and webhooks. No contact details, ever."""
    return {
        "id": event.id,
        "type": event.type,
        "organization_id": event.organization_id,
        "participant_id": event.participant_id,
        "machine": event.machine,
        "event": event.event,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "reason_code": event.reason_code,
        "ref": event.ref,
        "occurred_at": event.occurred_at.isoformat(),
    }


# After a commit that wrote events, whoever relays them is told at once instead of at its next poll.
_announce: list[Callable[[], Awaitable[None]]] = []


def on_announce(listener: Callable[[], Awaitable[None]]) -> Callable[[], None]:
    _announce.append(listener)
    return lambda: _announce.remove(listener)


async def announce() -> None:
    """Tell relays and dispatchers about committed events: now, or when the enclosing transaction commits."""
    await after_commit(_announce_now)


async def _announce_now() -> None:
    """A failure here never fails the change, which is already committed (the feeds' polling and the
    minute sweep pick it up)."""
    for listener in list(_announce):
        try:
            await listener()
        except Exception as exc:  # noqa: BLE001
            log.warning("announcing committed events failed (%s); polling will catch up", exc)


def reason_code(actor_kind: str, actor_id: str, event: str) -> str:
    """A short code, never free text: rules name themselves; people are 'admin' or 'participant'."""
    return actor_id if actor_kind == "system" else f"{actor_kind}.{event}"
