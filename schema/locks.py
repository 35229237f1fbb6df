"""Locks over automation over GraphQL (admins): freeze one participant's automatic steps until a date."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain.kernel.rejections import is_rejection
from domain.models import StandingLock as LockRow
from domain.standing.locks import lock_standing, unlock_standing
from schema.context import admin_of
from schema.errors import InvalidInputError, NotFoundError, NotPermittedError, to_graphql
from schema.ids import any_id


@strawberry.type(description="An admin's freeze of one participant's automatic steps.")
class StandingLock:
    id: strawberry.ID
    participant_id: strawberry.ID
    until: datetime
    reason: str
    locked_by: str
    created_at: datetime
    ended_at: datetime | None = strawberry.field(description="Set when an admin lifted the lock before its end.")
    end_reason: str | None

    @classmethod
    def from_row(cls, row: LockRow) -> StandingLock:
        return cls(
            id=strawberry.ID(str(row.id)),
            participant_id=strawberry.ID(str(row.participant_id)),
            until=row.until,
            reason=row.reason,
            locked_by=row.locked_by,
            created_at=row.created_at,
            ended_at=row.ended_at,
            end_reason=row.end_reason,
        )


@strawberry.type
class StandingLockPayload:
    lock: StandingLock


@strawberry.input
class LockStandingInput:
    participant_id: strawberry.ID
    until: datetime = strawberry.field(description="When automation resumes; at most a year ahead.")
    reason: str


@strawberry.input
class UnlockStandingInput:
    lock_id: strawberry.ID
    reason: str


LockResult = Annotated[
    StandingLockPayload | NotFoundError | InvalidInputError | NotPermittedError, strawberry.union("LockResult")
]


def _payload(result: Any) -> Any:
    return to_graphql(result) if is_rejection(result) else StandingLockPayload(lock=StandingLock.from_row(result.lock))


@strawberry.type
class LockMutations:
    @strawberry.mutation(
        description="Freeze a participant's automatic steps until a date. Automation skips them, and each skip "
        "is logged with the lock as its reason. When the lock ends, the admins get a review item."
    )
    async def lock_standing(self, info: Info, input: LockStandingInput) -> LockResult:
        principal = admin_of(info)
        result = await lock_standing(
            organization_id=principal.organization_id,
            participant_id=any_id(input.participant_id),
            until=input.until,
            reason=input.reason,
            by=principal.actor,
            clock=info.context.clock,
        )
        return _payload(result)  # type: ignore[no-any-return]

    @strawberry.mutation(description="End a lock early; held steps fall due again now.")
    async def unlock_standing(self, info: Info, input: UnlockStandingInput) -> LockResult:
        principal = admin_of(info)
        result = await unlock_standing(
            organization_id=principal.organization_id,
            lock_id=any_id(input.lock_id),
            reason=input.reason,
            by=principal.actor,
            clock=info.context.clock,
        )
        return _payload(result)  # type: ignore[no-any-return]


@strawberry.type
class LockQueries:
    @strawberry.field(description="A participant's locks, newest first (admins).")
    async def standing_locks(self, info: Info, participant_id: strawberry.ID) -> list[StandingLock]:
        principal = admin_of(info)
        rows = await LockRow.filter(
            organization_id=principal.organization_id, participant_id=any_id(participant_id)
        ).order_by("-id")
        return [StandingLock.from_row(r) for r in rows]
