"""No-contact orders: an admin orders two participants of one organization apart until a time, with a reason
(the Django and Contributor Covenant enforcement manuals' "no contact for a period"). While it is in force,
booking and messaging between the two are refused; the refusal names the order only to the participant who
asked for it (and to admins). It ends by itself at its `until`, to the second."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import Q

from domain.infra.db import Refused, atomically
from domain.kernel.actors import Actor
from domain.kernel.clock import Clock
from domain.kernel.rejections import InvalidInput, NotFound, NotPermitted
from domain.kernel.text import reason_problem
from domain.models import NoContactOrder, Participant
from domain.protection.policy import PROTECTION_POLICY

UNDISCLOSED = "this is not possible right now; the program admins can tell you more"


@dataclass(frozen=True)
class NoContact:
    organization_id: int
    party_a: int
    party_b: int
    until: datetime
    reason: str
    requested_by: int | None = None  # one of the two, if they asked for it


async def order_no_contact(cmd: NoContact, *, by: Actor, clock: Clock) -> NoContactOrder | Any:
    now = clock.now()
    if cmd.party_a == cmd.party_b:
        return InvalidInput("participantB", "an order keeps two different people apart")
    if (problem := reason_problem(cmd.reason, required=True)) is not None:
        return problem
    if cmd.until <= now:
        return InvalidInput("until", "an order ends in the future")
    if cmd.until - now > PROTECTION_POLICY.max_no_contact.value:
        return InvalidInput("until", "an order lasts at most a year")
    if cmd.requested_by is not None and cmd.requested_by not in (cmd.party_a, cmd.party_b):
        return InvalidInput("requestedBy", "the one who asked is one of the two")

    async def order(conn: Any) -> NoContactOrder:
        for party in (cmd.party_a, cmd.party_b):  # both in the admin's organization, or no order at all
            if not await Participant.filter(id=party, organization_id=cmd.organization_id).using_db(conn).exists():
                raise Refused(NotFound("Participant", str(party)))
        return await NoContactOrder.create(
            using_db=conn,
            organization_id=cmd.organization_id,
            party_a_id=cmd.party_a,
            party_b_id=cmd.party_b,
            requested_by=cmd.requested_by,
            until=cmd.until,
            reason=cmd.reason.strip(),
            ordered_by=by.id,
            created_at=now,
        )

    return await atomically(order)


def _between(a: int, b: int) -> Q:
    return Q(party_a_id=a, party_b_id=b) | Q(party_a_id=b, party_b_id=a)


async def order_between(a: int, b: int, now: datetime) -> NoContactOrder | None:
    """The order in force between the two now, if any: from its creation up to, not including, its `until`."""
    return await NoContactOrder.filter(_between(a, b), created_at__lte=now, until__gt=now).order_by("-until").first()


async def barred_from(participant_id: int, now: datetime) -> set[int]:
    """Everyone an order in force keeps `participant_id` apart from."""
    rows = await NoContactOrder.filter(
        Q(party_a_id=participant_id) | Q(party_b_id=participant_id), created_at__lte=now, until__gt=now
    ).values_list("party_a_id", "party_b_id")
    return {b if a == participant_id else a for a, b in rows}


async def contact_refusal(a: int, b: int, asking: int | None, now: datetime) -> NotPermitted | None:
    """Why `asking` (a participant, or None for an admin) may not put these two in contact now, or None."""
    order = await order_between(a, b, now)
    if order is None:
        return None
    if asking is None or asking == order.requested_by:
        return NotPermitted(f"a no-contact order between the two is in force until {order.until:%-d %B %Y %H:%M} UTC")
    return NotPermitted(UNDISCLOSED)
