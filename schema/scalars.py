"""The DateTime and Date scalars, refusing what the domain cannot store (domain/kernel/instants.py): a time
without a UTC offset, or a year such as 1 or 9999. Every argument of either type, in every mutation and
query, is checked where it enters, as a coercion error that names the problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import dateutil.parser
from strawberry.types.scalar import ScalarDefinition

from domain.kernel.instants import date_problem, instant_problem
from domain.kernel.rejections import InvalidInput

MAX_TEXT = 64  # an ISO 8601 time is about 32 characters; longer text is not one


def _parser(
    kind: str, example: str, parse: Callable[[str], object], check: Callable[..., InvalidInput | None]
) -> Callable[[object], object]:
    def parse_value(value: object) -> object:
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise ValueError(f"{kind} is an ISO 8601 string, e.g. {example}")
        try:
            parsed = parse(value)
        except (ValueError, OverflowError):
            raise ValueError(f"{kind} is an ISO 8601 string, e.g. {example}") from None
        if (problem := check(parsed, kind)) is not None:
            raise ValueError(f"{kind} {problem.problem}")
        return parsed

    return parse_value


DATE_TIME = ScalarDefinition(
    name="DateTime",
    description="Date with time (isoformat)",
    specified_by_url=None,
    serialize=dt.datetime.isoformat,
    parse_value=_parser("DateTime", "2030-01-31T09:00:00Z", dateutil.parser.isoparse, instant_problem),
    parse_literal=None,
    origin=dt.datetime,
)

DATE = ScalarDefinition(
    name="Date",
    description="Date (isoformat)",
    specified_by_url=None,
    serialize=dt.date.isoformat,
    parse_value=_parser("Date", "2030-01-31", dt.date.fromisoformat, date_problem),
    parse_literal=None,
    origin=dt.date,
)

SCALARS: dict[object, ScalarDefinition] = {dt.datetime: DATE_TIME, dt.date: DATE}
