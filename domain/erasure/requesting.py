"""Starting, cancelling and reading erasure requests. Each is one transaction; the window's end is a deadline."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from domain.deadlines.schedule import deadline_key, schedule
from domain.erasure.erasing import plan, pseudonym_for
from domain.erasure.policy import ERASURE_POLICY
from domain.infra.db import Refused, atomically
from domain.kernel.actors import Actor
from domain.kernel.clock import Clock
from domain.kernel.rejections import NotFound, NotPermitted
from domain.kernel.text import free_text_problem
from domain.models import Deadline, DeadlineKind, ErasureRequest, Participant


@dataclass(frozen=True)
class ErasureChange:
    request: ErasureRequest


async def request_erasure(
    *, organization_id: int, participant_id: int, reason: str, by: Actor, clock: Clock
) -> ErasureChange | Any:
    """Start an erasure: cancellable until the window ends, carried out by the erasure deadline then."""
    now = clock.now()
    if (problem := free_text_problem(reason, "reason", limit=ERASURE_POLICY.max_reason)) is not None:
        return problem

    async def start(conn: Any) -> ErasureChange:
        participant = (
            await Participant.filter(id=participant_id, organization_id=organization_id)
            .select_for_update(no_key=True)
            .using_db(conn)
            .first()
        )
        if participant is None:
            raise Refused(NotFound("Participant", str(participant_id)))
        current = (
            await ErasureRequest.filter(participant_id=participant_id, status__in=("pending", "done"))
            .using_db(conn)
            .first()
        )
        if current is not None:
            raise Refused(NotPermitted(f"an erasure of participant {participant_id} is already {current.status}"))
        tag = secrets.token_hex(4)
        receipt = await plan(participant, tag, conn)
        request = await ErasureRequest.create(
            using_db=conn,
            organization_id=organization_id,
            participant_id=participant_id,
            status="pending",
            reason=reason.strip(),
            requested_by=by.id,
            requested_at=now,
            due_at=now + ERASURE_POLICY.window.value,
            policy_version=ERASURE_POLICY.version,
            pseudonym=pseudonym_for(tag),
            receipt=receipt.as_json(),
        )
        await schedule(DeadlineKind.ERASURE, participant_id, request.due_at, now, subject_id=request.id, conn=conn)
        return ErasureChange(request)

    return await atomically(start)


async def cancel_erasure(*, organization_id: int, participant_id: int, by: Actor, clock: Clock) -> ErasureChange | Any:
    """Cancel a pending erasure within its window; nothing else changes. After the window it is too late."""
    now = clock.now()

    async def cancel(conn: Any) -> ErasureChange:
        request = (
            await ErasureRequest.filter(organization_id=organization_id, participant_id=participant_id)
            .exclude(status="cancelled")
            .order_by("-id")
            .select_for_update(no_key=True)
            .using_db(conn)
            .first()
        )
        if request is None:
            raise Refused(NotFound("ErasureRequest", str(participant_id)))
        if request.status != "pending" or now >= request.due_at:
            raise Refused(
                NotPermitted(
                    f"the erasure's window ended on {request.due_at.isoformat()}: it can no longer be cancelled"
                )
            )
        await (
            ErasureRequest.filter(id=request.id)
            .using_db(conn)
            .update(status="cancelled", cancelled_at=now, cancelled_by=by.id)
        )
        key = deadline_key(DeadlineKind.ERASURE, participant_id, request.id)
        await Deadline.filter(key=key, fired_at=None).using_db(conn).update(fired_at=now, outcome="erasure cancelled")
        return ErasureChange(await ErasureRequest.filter(id=request.id).using_db(conn).get())

    return await atomically(cancel)


async def latest_erasure(organization_id: int, participant_id: int) -> ErasureRequest | None:
    """The participant's most recent erasure request, whatever its status."""
    return (
        await ErasureRequest.filter(organization_id=organization_id, participant_id=participant_id)
        .order_by("-id")
        .first()
    )
