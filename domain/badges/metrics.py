"""Set-based measurement: one SQL statement per criterion for a whole population.

A population is either an organization's participants of one role, or a list of participant ids
(the on-demand evaluation after an activity). No Python loop over participants runs a query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.models import Model
from tortoise.queryset import QuerySet

from domain.kernel.roles import Role


@dataclass(frozen=True)
class Population:
    role: Role
    organization_id: int | None = None
    participant_ids: tuple[int, ...] | None = None

    def q(self, path: str) -> Q:
        """Filter rows whose participant at `path` (e.g. "mentor") belongs to this population."""
        if self.participant_ids is not None:
            return Q(**{f"{path}_id__in": list(self.participant_ids)})  # type: ignore[arg-type]
        return Q(**{f"{path}__organization_id": self.organization_id, f"{path}__role": self.role})  # type: ignore[arg-type]


async def times(query: QuerySet[Any], field: str, *, newest_first: bool = True) -> list[datetime]:
    """One datetime column of the query's rows, newest (or soonest) first."""
    ordered = query.order_by(f"-{field}" if newest_first else field)
    return cast("list[datetime]", await ordered.values_list(field, flat=True))


async def ids(query: QuerySet[Any], field: str) -> set[int]:
    """One id column of the query's rows."""
    return set(cast("list[int]", await query.values_list(field, flat=True)))


def window_start(window: timedelta | None, now: datetime) -> datetime | None:
    return now - window if window else None


async def counts(model: type[Model], path: str, population: Population, *conditions: Q, **filters) -> dict[int, float]:
    """How many rows each member has."""
    key = f"{path}_id"
    rows = await (
        model.filter(population.q(path), *conditions, **filters).group_by(key).annotate(n=Count("id")).values(key, "n")
    )
    return {row[key]: row["n"] for row in rows}


async def distinct_counts(
    model: type[Model], path: str, column: str, population: Population, **filters
) -> dict[int, float]:
    """How many distinct values of `column` each member's rows hold."""
    key = f"{path}_id"
    rows = await (
        model.filter(population.q(path), **filters)
        .group_by(key)
        .annotate(n=Count(column, distinct=True))
        .values(key, "n")
    )
    return {row[key]: row["n"] for row in rows}


async def rates(
    model: type[Model], path: str, population: Population, on_time: Q, *conditions: Q, **filters
) -> dict[int, float]:
    """The share of each member's due rows that were done on time; members with nothing due are absent."""
    key = f"{path}_id"
    rows = await (
        model.filter(population.q(path), *conditions, **filters)
        .group_by(key)
        .annotate(total=Count("id"), done=Count("id", _filter=on_time))
        .values(key, "total", "done")
    )
    return {row[key]: row["done"] / row["total"] for row in rows if row["total"]}
