"""Times and dates the API accepts: with a UTC offset, and within years a mentorship program can mean.

A time without an offset names no instant (is 09:00 Oslo's or UTC's?), and year 1 or 9999 is a typo that
overflows the first deadline added to it. Both are refused where they enter, with a message saying why.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.kernel.rejections import InvalidInput

EARLIEST_YEAR = 2000  # backfilled history starts no earlier
LATEST_YEAR = 2199  # leaves room for every window added to a time (at most a few years)
EARLIEST = datetime(EARLIEST_YEAR, 1, 1, tzinfo=UTC)
AFTER_LATEST = datetime(LATEST_YEAR + 1, 1, 1, tzinfo=UTC)
YEARS = f"between the years {EARLIEST_YEAR} and {LATEST_YEAR}"


def instant_problem(value: datetime, field: str) -> InvalidInput | None:
    """Why `value` cannot be stored as an instant, or None."""
    if value.tzinfo is None or value.utcoffset() is None:
        return InvalidInput(field, "needs a UTC offset, e.g. 2030-01-31T09:00:00Z or 2030-01-31T10:00:00+01:00")
    if not EARLIEST <= value < AFTER_LATEST:
        return InvalidInput(field, f"must fall {YEARS}")
    return None


def date_problem(value: date, field: str) -> InvalidInput | None:
    """Why `value` cannot be stored as a calendar date, or None."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return InvalidInput(field, f"must fall {YEARS}")
    return None
