"""Partner subscriptions: replay from a cursor, then live, with no gap and no duplicate where they meet."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.access import TokenRole
from domain.outbox import BADGE_CHANGED, NUDGE_CREATED, STANDING_CHANGED, events_after, latest_id
from domain.models import OutboxEvent
from schema.context import principal_of
from schema.errors import AuthError
from schema.ids import parse_participant_id
from workers.realtime import RESYNC, Broadcaster

REPLAY_BATCH = 500


@strawberry.type(description="A committed change. `cursor` is what to pass as `after` to resume.")
class ChangeEvent:
    cursor: strawberry.ID
    type: str
    organization_id: strawberry.ID
    participant_id: strawberry.ID
    machine: str | None
    event: str | None
    from_state: str | None
    to_state: str | None
    reason_code: str
    occurred_at: datetime

    @classmethod
    def from_row(cls, row: OutboxEvent) -> "ChangeEvent":
        return cls(
            cursor=strawberry.ID(str(row.id)), type=row.type, organization_id=strawberry.ID(str(row.organization_id)),
            participant_id=strawberry.ID(str(row.participant_id)), machine=row.machine, event=row.event,
            from_state=row.from_state, to_state=row.to_state, reason_code=row.reason_code, occurred_at=row.occurred_at,
        )


def _scope(info: Info, organization_id: strawberry.ID | None, participant_id: strawberry.ID | None) -> tuple[int, int | None]:
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
    broadcaster: Broadcaster, *, organization_id: int, participant_id: int | None, types: list[str], after: int | None,
) -> AsyncGenerator[OutboxEvent, None]:
    """Every matching committed event after `after` (or from now), in id order, exactly once."""
    queue = broadcaster.subscribe()  # first, so nothing committed during the replay is missed
    try:
        cursor = after if after is not None else await latest_id()

        async def replay() -> AsyncGenerator[OutboxEvent, None]:
            nonlocal cursor
            while batch := await events_after(cursor, organization_id=organization_id, participant_id=participant_id,
                                              types=types, limit=REPLAY_BATCH):
                for event in batch:
                    cursor = event.id
                    yield event

        async for event in replay():
            yield event
        while True:
            message = await queue.get()
            if message is RESYNC or message["id"] > cursor:
                # The live message says "something newer is committed": read it (and anything a lost
                # message would have carried) from the database, from our own cursor.
                async for event in replay():
                    yield event
    finally:
        broadcaster.unsubscribe(queue)


def _broadcaster(info: Info) -> Broadcaster:
    return info.context.request.app.state.broadcaster


def _after(value: strawberry.ID | None) -> int | None:
    if value is None:
        return None
    if not str(value).isdigit():
        raise AuthError("BAD_USER_INPUT", f"after must be an event cursor, got {value!r}")
    return int(value)


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Standing transitions in your organization (optionally one participant), "
                                         "replayed from `after`, then live.")
    async def standing_changed(
        self, info: Info, organization_id: strawberry.ID | None = None, participant_id: strawberry.ID | None = None,
        after: strawberry.ID | None = None,
    ) -> AsyncGenerator[ChangeEvent, None]:
        org, participant = _scope(info, organization_id, participant_id)
        async for event in stream(_broadcaster(info), organization_id=org, participant_id=participant,
                                  types=[STANDING_CHANGED], after=_after(after)):
            yield ChangeEvent.from_row(event)

    @strawberry.subscription(description="Badge awards and revocations, replayed from `after`, then live.")
    async def badge_changed(
        self, info: Info, organization_id: strawberry.ID | None = None, participant_id: strawberry.ID | None = None,
        after: strawberry.ID | None = None,
    ) -> AsyncGenerator[ChangeEvent, None]:
        org, participant = _scope(info, organization_id, participant_id)
        async for event in stream(_broadcaster(info), organization_id=org, participant_id=participant,
                                  types=[BADGE_CHANGED], after=_after(after)):
            yield ChangeEvent.from_row(event)

    @strawberry.subscription(description="Nudges, replayed from `after`, then live.")
    async def nudge_created(
        self, info: Info, organization_id: strawberry.ID | None = None, participant_id: strawberry.ID | None = None,
        after: strawberry.ID | None = None,
    ) -> AsyncGenerator[ChangeEvent, None]:
        org, participant = _scope(info, organization_id, participant_id)
        async for event in stream(_broadcaster(info), organization_id=org, participant_id=participant,
                                  types=[NUDGE_CREATED], after=_after(after)):
            yield ChangeEvent.from_row(event)
