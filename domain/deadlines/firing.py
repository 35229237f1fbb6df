"""What a rule did (or, in a dry run, would do) when its deadline fell due."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from domain.models import Deadline, Participant


@dataclass(frozen=True)
class Firing:
    outcome: str
    transition: str | None = None  # the standing event applied, if any
    held_until: datetime | None = None  # a lock or an open appeal held the step: the deadline waits until then


# A deadline's rule: (the deadline, its participant, now, dry run) -> what it did.
DeadlineRule = Callable[[Deadline, Participant, datetime, bool], Awaitable[Firing]]
