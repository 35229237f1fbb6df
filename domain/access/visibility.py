"""The visibility rule, written once: a token sees its organization's participants, a participant
token only itself. Contact details are for admins and the participant themself."""

from __future__ import annotations

import functools
from typing import Any

from tortoise.queryset import QuerySet

from domain.access.principals import Principal, TokenRole
from domain.infra.snapshots import ParticipantSnapshot, parameterized_sql, snapshot
from domain.models import Participant

MAX_ID = 2**31  # ids are 32-bit integers: no row has a larger one


def visible_participants(principal: Principal) -> QuerySet[Participant]:
    """Every participant this principal may read: its organization, or only itself."""
    query = Participant.filter(organization_id=principal.organization_id)
    if principal.role is TokenRole.PARTICIPANT:
        query = query.filter(id=principal.participant_id)
    return query


# Stand-ins for the values of one request, so the rule's SQL can be built once and filled in per request.
_ORGANIZATION, _SELF, _WANTED = -7_000_001, -7_000_002, -7_000_003


@functools.cache
def _one_row_statement(dialect: str, role: TokenRole) -> tuple[str, tuple[Any, ...]]:
    """`visible_participants(p).filter(id=...).first()` as SQL, built by the query builder from the rule
    above, with a slot per parameter naming which request value fills it."""
    stand_in = Principal(0, role, _ORGANIZATION, _SELF if role is TokenRole.PARTICIPANT else None)
    sql, params = parameterized_sql(visible_participants(stand_in).filter(id=_WANTED).limit(1))
    return sql, tuple(params)


async def visible_participant(principal: Principal, participant_id: int) -> ParticipantSnapshot | None:
    """One participant this principal may read, or None: the API's hottest read, as one statement whose
    SQL is built once per dialect and token role rather than on every request."""
    if not 0 < participant_id < MAX_ID:
        return None
    client = Participant._meta.db
    sql, slots = _one_row_statement(client.capabilities.dialect, principal.role)
    values = {_ORGANIZATION: principal.organization_id, _SELF: principal.participant_id, _WANTED: participant_id}
    _, rows = await client.execute_query(sql, [values.get(slot, slot) for slot in slots])
    return snapshot(rows[0]) if rows else None


def can_read(principal: Principal, participant: Any) -> bool:
    if participant.organization_id != principal.organization_id:
        return False
    return principal.role is not TokenRole.PARTICIPANT or participant.id == principal.participant_id


def can_see_contact(principal: Principal, participant: Any) -> bool:
    """Contact details are for admins and the participant themself; partners never see them."""
    if not can_read(principal, participant):
        return False
    return principal.role is TokenRole.ADMIN or participant.id == principal.participant_id


def can_update_profile(principal: Principal, participant_id: int) -> bool:
    return principal.is_admin or principal.participant_id == participant_id
