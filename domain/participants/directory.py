"""The directory each role sees of the other, and the listings' filters: hidden standings and priority."""

from __future__ import annotations

from tortoise.expressions import Case, Q, Subquery, Value, When
from tortoise.queryset import QuerySet

from domain.badges.machine import HELD
from domain.kernel.roles import Role
from domain.models import BadgeRecord, Participant
from domain.standing.machines import machine_class


def directory(organization_id: int, role: Role) -> QuerySet[Participant]:
    """Profiles of `role` that the other role may see: hidden standings are left out."""
    return Participant.filter(organization_id=organization_id, role=role).exclude(
        standing__in=sorted(machine_class(role).hidden_states)
    )


def visibility_filter(query: QuerySet[Participant], visible: bool) -> QuerySet[Participant]:
    """Filter on derived profile visibility, by translating it into each role's hidden states."""
    hidden = Q(
        *(Q(role=role, standing__in=sorted(machine_class(role).hidden_states)) for role in Role),
        join_type="OR",
    )
    return query.exclude(hidden) if visible else query.filter(hidden)


def badge_holders_first(query: QuerySet[Participant]) -> QuerySet[Participant]:
    """Priority listing, a badge perk: holders of an awarded badge first, then registration order."""
    holders = Subquery(BadgeRecord.filter(state__in=HELD).values("participant_id"))
    # Text sort keys: asyncpg types an untyped CASE parameter as text.
    first = When(id__in=holders, then=Value("0"))  # type: ignore[arg-type]  # Tortoise's stubs omit Value
    return query.annotate(listing=Case(first, default=Value("1"))).order_by("listing", "id")  # type: ignore[arg-type]
