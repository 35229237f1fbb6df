"""Participant rows read for display only, without building ORM instances.

A page of 100 participants cost 1.8 ms of CPU to turn into Tortoise model instances and 0.34 ms to
read as driver records (bench/api.py profile, PostgreSQL). A listing only reads attributes, so it
gets snapshots: objects with the model's column attributes and derived facts, converted with the
model's own field conversions where the driver's value is not already the Python value (SQLite
hands back text for datetimes and integers for booleans; asyncpg already returns both). Snapshots
are never saved; writes go through the model and the use cases.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

from tortoise import fields as tortoise_fields
from tortoise.queryset import QuerySet

from domain.models import Participant
from domain.models.participant import StandingFacts


class ParticipantSnapshot(StandingFacts):
    """A participant as read at one moment: the model's column attributes, read-only by convention."""

    # The participant table's columns (tests/api/test_snapshots.py keeps this list equal to the model's).
    id: int
    organization_id: int
    display_name: str
    email: str
    timezone: str
    standing_since: datetime
    suspended_until: datetime | None
    version: int
    program_review: bool
    needs_rematch: bool
    created_at: datetime
    updated_at: datetime

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return f"ParticipantSnapshot(id={self.id!r}, role={self.role!r}, standing={self.standing!r})"


# What read paths hand to views: an ORM instance or a snapshot of one.
ParticipantRead = Participant | ParticipantSnapshot


def _converter(field: tortoise_fields.Field) -> Callable[[Any], Any]:
    """The field's to_python_value, skipped when the driver already returned the Python value."""
    convert = field.to_python_value
    if isinstance(field, tortoise_fields.DatetimeField):
        return lambda v: v if v is None or (type(v) is datetime and v.tzinfo is not None) else convert(v)
    if isinstance(field, tortoise_fields.BooleanField):
        return lambda v: v if v is None or type(v) is bool else convert(v)
    if isinstance(field, (tortoise_fields.IntField, tortoise_fields.CharField)) and not hasattr(field, "enum_type"):
        return lambda v: v
    return convert


@functools.cache  # the models are registered by the time the first snapshot is made
def _columns() -> list[tuple[str, str, Callable[[Any], Any]]]:
    """(column in the record, attribute name, conversion) for every column of the participant table."""
    meta = Participant._meta
    return [(column, name, _converter(meta.fields_map[name])) for name, column in meta.fields_db_projection.items()]


def snapshot(record: Any) -> ParticipantSnapshot:
    return ParticipantSnapshot(**{name: convert(record[column]) for column, name, convert in _columns()})


class Snapshots:
    """A participant QuerySet that reads snapshots: slicing narrows it (LIMIT/OFFSET), iterating runs it.

    Strawberry's ListConnection slices what the resolver returns and iterates the slice, so the filters,
    ordering and pagination stay the QuerySet's; only the last step, turning records into objects, changes.
    """

    def __init__(self, query: QuerySet[Participant]) -> None:
        self.query = query

    def __getitem__(self, window: slice) -> Snapshots:
        return Snapshots(self.query[window])

    def __aiter__(self) -> AsyncIterator[ParticipantSnapshot]:
        return self._read()

    async def _read(self) -> AsyncIterator[ParticipantSnapshot]:
        for record in await read_records(self.query):
            yield snapshot(record)

    async def all(self) -> list[ParticipantSnapshot]:
        return [snapshot(record) for record in await read_records(self.query)]


def parameterized_sql(query: QuerySet[Any]) -> tuple[str, list[Any]]:
    """The query's own SQL and parameters, as Tortoise would send them (what QuerySet.sql() shows)."""
    query._choose_db_if_not_chosen()  # Tortoise's own steps before executing a query (QuerySet.sql)
    query._make_query()
    sql, params = query.query.get_parameterized_sql()
    return sql, list(params)


async def read_records(query: QuerySet[Participant]) -> list[Any]:
    """The driver's records for the query's own SQL and parameters."""
    sql, params = parameterized_sql(query)
    _, records = await query._db.execute_query(sql, params)
    return list(records)
