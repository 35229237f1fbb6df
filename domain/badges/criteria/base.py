"""What one badge criterion owns: its threshold and window, how it is measured, what it advises, and
the section of the Code it comes from. Its description is derived from the values in force, so an
organization's override reads right everywhere (policy, evidence, certificate)."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING

from domain.badges.metrics import Population

if TYPE_CHECKING:
    from domain.badges.advice import AdviceKind


class Measure(str, Enum):
    COUNT = "count"  # at least `threshold` things in the window
    RATE = "rate"  # at least `threshold` (0..1) of the due things done on time


Metric = Callable[["Criterion", Population, datetime], Awaitable[dict[int, float]]]


@dataclass(frozen=True)
class Requirement:
    """A precondition that fails the criterion whatever its value, e.g. active availability."""

    note: str  # why the criterion fails without it, e.g. "no active availability on the calendar"
    remedy: str  # what to do, e.g. "add availability to your calendar"
    holders: Callable[[Population, datetime], Awaitable[set[int]]]


def percent(rate: float) -> str:
    """A rate as a percentage, truncated to a tenth so that an unmet 94.96 % never reads as 95 %."""
    tenths = math.floor(round(rate * 1000, 6)) / 10
    return f"{tenths:g}%"


def count_of(n: float, noun: str) -> str:
    """'1 session', '3 sessions'."""
    return f"{n:g} {noun}{'' if n == 1 else 's'}"


def days(window: timedelta | None) -> str:
    return f"{window.days} days" if window else "no window"


@dataclass(frozen=True)
class Criterion:
    key: str
    section: str  # where it comes from, e.g. "Mentor badge, Responsiveness"
    measure: Measure
    threshold: float
    window: timedelta | None
    describe: Callable[[Criterion], str]
    metric: Metric
    advice: AdviceKind
    requires: Requirement | None = None
    window_choice: str = ""  # why the window is what it is, where the Code names none

    @property
    def description(self) -> str:
        return self.describe(self)

    @property
    def source(self) -> str:
        return self.section + (f"; {self.window_choice}" if self.window_choice else "")

    def met(self, value: float | None) -> bool:
        # A rate with nothing due is met: nobody was left waiting.
        return True if value is None else value >= self.threshold

    def shown(self, value: float | None) -> str:
        """The measured value against the threshold, as advice words it."""
        if value is None:
            return "nothing due yet"
        if self.measure is Measure.RATE:
            return f"{percent(value)} against {percent(self.threshold)}"
        return f"{value:g} of {self.threshold:g}"
