"""A policy value and where it comes from: every threshold and window carries its section of the Code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Threshold:
    value: timedelta
    source: str  # where in the Code of Conduct (or in our documented decision) the value comes from


@dataclass(frozen=True)
class CountRule:
    """At least `count` things within `window`."""

    count: int
    window: Threshold


# "Beyond 60 days" starts one second after the 60th day.
BEYOND = timedelta(seconds=1)
