"""Partner subscriptions: replay from a cursor, then live, with no gap and no duplicate where they meet."""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from domain.access.principals import TokenRole
from domain.events.outbox import (
    BADGE_CHANGED,
    CASE_EVENT_TYPES,
    NUDGE_CREATED,
    STANDING_CHANGED,
    as_message,
    events_after,
    latest_id,
)
from schema.context import admin_of, principal_of
from schema.enums import BadgeEvent, BadgeStatus, CaseChangeEvent, CaseState, StandingEvent, StandingState
from schema.errors import AuthError, InputError
from schema.ids import parse_participant_id
from workers.realtime import RESYNC, Broadcaster
from workers.sockets import TooManySubscriptions

REPLAY_BATCH = 500
EVENT_CURSOR = re.compile(r"^[0-9]{1,18}$")


@strawberry.interface(description="A committed change. `cursor` is what to pass as `after` to resume.")
class ChangeEvent:
    cursor: strawberry.ID
    type: str = strawberry.field(description='The event type, as webhooks name it, e.g. "standing.changed".')
    organization_id: strawberry.ID
    participant_id: strawberry.ID
    machine: str | None = strawberry.field(description='Whose machine moved: "mentor", "protege_badge", "case"...')
    reason_code: str
    ref: str | None = strawberry.field(description='What else it is about, e.g. "notice:12" or "case:CASE-7Q2M-9K4D".')
    occurred_at: datetime

    @staticmethod
    def common(m: dict) -> dict[str, Any]:
        return {
            "cursor": strawberry.ID(str(m["id"])),
            "type": m["type"],
            "organization_id": strawberry.ID(str(m["organization_id"])),
            "participant_id": strawberry.ID(str(m["participant_id"])),
            "machine": m["machine"],
            "reason_code": m["reason_code"],
            "ref": m.get("ref"),
            "occurred_at": datetime.fromisoformat(m["occurred_at"]),
        }


@strawberry.type(description="A standing transition: the same enums as `standing { state allowedEvents }`.")
class StandingChange(ChangeEvent):
    event: StandingEvent
    from_state: StandingState
    to_state: StandingState

    @classmethod
    def from_message(cls, m: dict) -> StandingChange:
        return cls(
            **cls.common(m),
            event=StandingEvent(m["event"]),
            from_state=StandingState(m["from_state"]),
            to_state=StandingState(m["to_state"]),
        )


@strawberry.type(description="A badge awarded, put at risk, cured or revoked: the same enum as `badge { status }`.")
class BadgeChange(ChangeEvent):
    event: BadgeEvent
    from_state: BadgeStatus
    to_state: BadgeStatus

    @classmethod
    def from_message(cls, m: dict) -> BadgeChange:
        return cls(
            **cls.common(m),
            event=BadgeEvent(m["event"]),
            from_state=BadgeStatus(m["from_state"]),
            to_state=BadgeStatus(m["to_state"]),
        )


@strawberry.type(description="A case's step, or a stage deadline it missed (admins only).")
class CaseChange(ChangeEvent):
    event: CaseChangeEvent
    from_state: CaseState | None
    to_state: CaseState

    @classmethod
    def from_message(cls, m: dict) -> CaseChange:
        return cls(
            **cls.common(m),
            event=CaseChangeEvent(m["event"]),
            from_state=CaseState(m["from_state"]) if m["from_state"] else None,
            to_state=CaseState(m["to_state"]),
        )


@strawberry.type(description="A nudge: a window half gone, or a notice left unread.")
class NudgeEvent(ChangeEvent):
    kind: str = strawberry.field(description="What the nudge is about: response, notes, feedback or notice.")

    @classmethod
    def from_message(cls, m: dict) -> NudgeEvent:
        return cls(**cls.common(m), kind=m["event"])


def event_key(payload: Any) -> tuple[str, str] | None:
    """What names an event's result for schema/shared_events.py: it is made from the event's outbox row alone
    (these payload types have no resolvers), so its type and cursor name it."""
    if isinstance(payload, ChangeEvent):
        return type(payload).__name__, str(payload.cursor)
    return None


def _scope(
    info: Info, organization_id: strawberry.ID | None, participant_id: strawberry.ID | None
) -> tuple[int, int | None]:
    principal = principal_of(info)
    if organization_id is not None and str(organization_id) != str(principal.organization_id):
        raise AuthError("FORBIDDEN", "tokens subscribe to their own organization only")
    wanted = parse_participant_id(participant_id) if participant_id is not None else None
    if principal.role is TokenRole.PARTICIPANT:
        if wanted not in (None, principal.participant_id):
            raise AuthError("FORBIDDEN", "a participant token follows only its own participant")
        wanted = principal.participant_id
    return principal.organization_id, wanted


async def stream(
    broadcaster: Broadcaster,
    *,
    organization_id: int,
    participant_id: int | None,
    types: list[str],
    after: int | None,
) -> AsyncGenerator[dict, None]:
    """Every matching committed event after `after` (or from now), in id order, exactly once.

    The queue is opened before the replay reads the database, so an event committed after the replay's
    read is on the queue, and one committed before it is in the replay: no gap. Ids already yielded are
    skipped: no duplicate. The process's Feed publishes every committed event in id order, so live
    messages are used as they come; only a queue that overflowed re-reads the database.
    """
    queue = broadcaster.subscribe()
    try:
        cursor = after if after is not None else await latest_id()

        async def replay() -> AsyncGenerator[dict, None]:
            nonlocal cursor
            while batch := await events_after(
                cursor, organization_id=organization_id, participant_id=participant_id, types=types, limit=REPLAY_BATCH
            ):
                for event in batch:
                    cursor = event.id
                    yield as_message(event)

        async for message in replay():
            yield message
        while True:
            message = await queue.get()
            if message is RESYNC:
                async for missed in replay():
                    yield missed
            elif message["id"] > cursor:
                cursor = message["id"]
                if _matches(message, organization_id, participant_id, types):
                    yield message
    finally:
        broadcaster.unsubscribe(queue)


def _matches(message: dict, organization_id: int, participant_id: int | None, types: list[str]) -> bool:
    return (
        message["organization_id"] == organization_id
        and message["type"] in types
        and (participant_id is None or message["participant_id"] == participant_id)
    )


def _broadcaster(info: Info) -> Broadcaster:
    return info.context.request.app.state.broadcaster


def _after(value: strawberry.ID | None) -> int | None:
    if value is None:
        return None
    if not EVENT_CURSOR.match(str(value)):
        raise InputError(f"after must be an event cursor, got {str(value)[:40]!r}")
    return int(str(value))


Change = TypeVar("Change", StandingChange, BadgeChange, CaseChange, NudgeEvent)
_payloads: OrderedDict[tuple[type, int], Any] = OrderedDict()
PAYLOADS_KEPT = 1024


def _payload_of(payload: type[Change], message: dict) -> Change:
    """One payload object per event, for all its subscribers: the same event is made once, not 2,000 times."""
    key = (payload, message["id"])
    made = _payloads.get(key)
    if made is None:
        made = _payloads[key] = payload.from_message(message)
        if len(_payloads) > PAYLOADS_KEPT:
            _payloads.popitem(last=False)
    return made


async def _changes(
    info: Info,
    organization_id: strawberry.ID | None,
    participant_id: strawberry.ID | None,
    after: strawberry.ID | None,
    event_types: tuple[str, ...],
    payload: type[Change],
) -> AsyncGenerator[Change, None]:
    """One type of event in the caller's scope, replayed from `after`, then live."""
    org, participant = _scope(info, organization_id, participant_id)
    try:  # one token holds a bounded number of subscriptions, however many sockets it opens
        release = info.context.request.app.state.sockets.hold_subscription(principal_of(info).token_id)
    except TooManySubscriptions as refused:
        raise AuthError("TOO_MANY_SUBSCRIPTIONS", str(refused)) from None
    try:
        async for event in stream(
            _broadcaster(info),
            organization_id=org,
            participant_id=participant,
            types=list(event_types),
            after=_after(after),
        ):
            yield _payload_of(payload, event)
    finally:
        release()


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Standing transitions in your organization (optionally one participant), "
        "replayed from `after`, then live."
    )
    async def standing_changed(
        self,
        info: Info,
        organization_id: strawberry.ID | None = None,
        participant_id: strawberry.ID | None = None,
        after: strawberry.ID | None = None,
    ) -> AsyncGenerator[StandingChange, None]:
        async for event in _changes(info, organization_id, participant_id, after, (STANDING_CHANGED,), StandingChange):
            yield event

    @strawberry.subscription(description="Badge awards and revocations, replayed from `after`, then live.")
    async def badge_changed(
        self,
        info: Info,
        organization_id: strawberry.ID | None = None,
        participant_id: strawberry.ID | None = None,
        after: strawberry.ID | None = None,
    ) -> AsyncGenerator[BadgeChange, None]:
        async for event in _changes(info, organization_id, participant_id, after, (BADGE_CHANGED,), BadgeChange):
            yield event

    @strawberry.subscription(description="Nudges, replayed from `after`, then live.")
    async def nudge_created(
        self,
        info: Info,
        organization_id: strawberry.ID | None = None,
        participant_id: strawberry.ID | None = None,
        after: strawberry.ID | None = None,
    ) -> AsyncGenerator[NudgeEvent, None]:
        async for event in _changes(info, organization_id, participant_id, after, (NUDGE_CREATED,), NudgeEvent):
            yield event

    @strawberry.subscription(
        description="Cases opened, assigned, decided, closed and overdue (admins only), "
        "replayed from `after`, then live. No reporter, no note text."
    )
    async def case_changed(
        self, info: Info, participant_id: strawberry.ID | None = None, after: strawberry.ID | None = None
    ) -> AsyncGenerator[CaseChange, None]:
        admin_of(info)
        async for event in _changes(info, None, participant_id, after, CASE_EVENT_TYPES, CaseChange):
            yield event
