"""Erasure over GraphQL (admins): start an erasure that can be cancelled for a window, cancel it, read its receipt."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain.erasure.receipt import Receipt, ReceiptLine
from domain.erasure.requesting import cancel_erasure, latest_erasure, request_erasure
from domain.kernel.rejections import is_rejection
from domain.models import ErasureRequest as ErasureRow
from schema.context import admin_of
from schema.errors import InvalidInputError, NotFoundError, NotPermittedError, to_graphql
from schema.ids import any_id


@strawberry.enum(description="Where an erasure request is: cancellable while pending, then done or cancelled.")
class ErasureStatus(Enum):
    PENDING = "pending"
    CANCELLED = "cancelled"
    DONE = "done"


@strawberry.type(description="Rows of one table an erasure deleted, pseudonymized or kept, and why.")
class ErasureReceiptLine:
    table: str
    columns: list[str]
    rows: int = strawberry.field(description="How many rows; 0 for a kind of record kept whole.")
    why: str

    @classmethod
    def of(cls, line: ReceiptLine) -> ErasureReceiptLine:
        return cls(table=line.table, columns=list(line.columns), rows=line.rows, why=line.why)


@strawberry.type(
    description="What an erasure deleted, what it pseudonymized and what it kept; while the request "
    "is pending, what it will do."
)
class ErasureReceipt:
    pseudonym: str
    deleted: list[ErasureReceiptLine]
    pseudonymized: list[ErasureReceiptLine]
    kept: list[ErasureReceiptLine]


@strawberry.type(description="An admin's request to erase a participant's personal data, and its receipt.")
class ErasureRequest:
    id: strawberry.ID
    participant_id: strawberry.ID
    status: ErasureStatus
    reason: str
    requested_by: str
    requested_at: datetime
    due_at: datetime = strawberry.field(description="The end of the window: cancellable until then, erased after.")
    policy_version: str
    pseudonym: str
    cancelled_at: datetime | None
    completed_at: datetime | None
    receipt: ErasureReceipt | None

    @classmethod
    def from_row(cls, row: ErasureRow) -> ErasureRequest:
        receipt = Receipt.from_json(row.receipt) if row.receipt else None
        return cls(
            id=strawberry.ID(str(row.id)),
            participant_id=strawberry.ID(str(row.participant_id)),
            status=ErasureStatus(row.status),
            reason=row.reason,
            requested_by=row.requested_by,
            requested_at=row.requested_at,
            due_at=row.due_at,
            policy_version=row.policy_version,
            pseudonym=row.pseudonym,
            cancelled_at=row.cancelled_at,
            completed_at=row.completed_at,
            receipt=ErasureReceipt(
                pseudonym=receipt.pseudonym,
                deleted=[ErasureReceiptLine.of(line) for line in receipt.deleted],
                pseudonymized=[ErasureReceiptLine.of(line) for line in receipt.pseudonymized],
                kept=[ErasureReceiptLine.of(line) for line in receipt.kept],
            )
            if receipt
            else None,
        )


@strawberry.type
class ErasurePayload:
    erasure: ErasureRequest


ErasureResult = Annotated[
    ErasurePayload | NotFoundError | InvalidInputError | NotPermittedError, strawberry.union("ErasureResult")
]


def _payload(result: Any) -> Any:
    return (
        to_graphql(result) if is_rejection(result) else ErasurePayload(erasure=ErasureRequest.from_row(result.request))
    )


@strawberry.type
class ErasureMutations:
    @strawberry.mutation(
        description="Start erasing a participant's personal data (admins). It can be cancelled until its window "
        "ends (ERASURE_POLICY, 7 days); then the name, the email and the free text they wrote go, and the record "
        "stays under a pseudonym. The receipt says what will be deleted and kept."
    )
    async def erase_participant(self, info: Info, id: strawberry.ID, reason: str) -> ErasureResult:
        principal = admin_of(info)
        result = await request_erasure(
            organization_id=principal.organization_id,
            participant_id=any_id(id),
            reason=reason,
            by=principal.actor,
            clock=info.context.clock,
        )
        return _payload(result)  # type: ignore[no-any-return]

    @strawberry.mutation(
        description="Cancel a participant's pending erasure within its window; nothing changes. After the window "
        "it is refused (NotPermittedError)."
    )
    async def cancel_erasure(self, info: Info, id: strawberry.ID) -> ErasureResult:
        principal = admin_of(info)
        result = await cancel_erasure(
            organization_id=principal.organization_id,
            participant_id=any_id(id),
            by=principal.actor,
            clock=info.context.clock,
        )
        return _payload(result)  # type: ignore[no-any-return]


@strawberry.type
class ErasureQueries:
    @strawberry.field(description="A participant's latest erasure request and its receipt (admins).")
    async def erasure(self, info: Info, participant_id: strawberry.ID) -> ErasureRequest | None:
        principal = admin_of(info)
        row = await latest_erasure(principal.organization_id, any_id(participant_id))
        return ErasureRequest.from_row(row) if row else None
