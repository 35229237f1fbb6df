"""What a participant needs to do to earn or keep the badge, and by when.

For each criterion that is unmet or about to lapse, one piece of advice, e.g. "Your 3rd attended
session in 60 days ages out on 12 May: attend another session by then to keep the badge." Advice never
presents an unmet criterion as met, and its `due_by` is a future time or absent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from domain.badges.criteria.base import Criterion
    from domain.badges.policy import BadgePolicy

ABOUT_TO_LAPSE = timedelta(days=14)


@dataclass(frozen=True)
class Advice:
    criterion: str
    message: str
    due_by: datetime | None


class AdviceKind(Protocol):
    async def advise(
        self, participant_id: int, criterion: Criterion, item: dict[str, Any], now: datetime
    ) -> Advice | None: ...


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _future(when: datetime | None, now: datetime) -> datetime | None:
    return when if when is not None and when > now else None


@dataclass(frozen=True)
class CountInWindow:
    """A count over a rolling window: say when the counted thing that keeps it met ages out."""

    noun: str  # what is counted, e.g. "attended session"
    action: str  # what to do, e.g. "attend another session"
    times: Callable[[int, datetime, datetime], Awaitable[list[datetime]]]  # (participant, since, now), newest first

    async def advise(self, participant_id: int, c: Criterion, item: dict[str, Any], now: datetime) -> Advice | None:
        assert c.window is not None
        times = await self.times(participant_id, now - c.window, now)
        needed, span = int(c.threshold), c.window.days
        if item["met"] and len(times) >= needed:
            lapses_at = times[needed - 1] + c.window
            if lapses_at - now > ABOUT_TO_LAPSE:
                return None
            return Advice(
                c.key,
                f"Your {_ordinal(needed)} {self.noun} in {span} days ages out on "
                f"{lapses_at:%d %B}: {self.action} by then to keep the badge.",
                _future(lapses_at, now),
            )
        if item["met"]:
            return None
        missing = max(needed - len(times), 1)
        return Advice(
            c.key,
            f"You have {len(times)} of {needed} {self.noun}s in the last {span} days: "
            f"{self.action}" + (f" ({missing} more)" if missing > 1 else "") + ".",
            None,
        )


@dataclass(frozen=True)
class RateOnTime:
    """A rate of things done on time: point at the next thing falling due."""

    action: str
    pending: Callable[[int, datetime], Awaitable[list[datetime]]]  # due times still ahead, soonest first

    async def advise(self, participant_id: int, c: Criterion, item: dict[str, Any], now: datetime) -> Advice | None:
        if item["met"]:
            return None
        upcoming = await self.pending(participant_id, now)
        return Advice(
            c.key,
            f"{self.action.capitalize()} ({c.shown(item.get('value'))}).",
            _future(upcoming[0] if upcoming else None, now),
        )


@dataclass(frozen=True)
class CountOverall:
    """A count with no window: say what to do and how far there is to go."""

    action: str

    async def advise(self, participant_id: int, c: Criterion, item: dict[str, Any], now: datetime) -> Advice | None:
        if item["met"]:
            return None
        return Advice(c.key, f"{self.action.capitalize()} ({c.shown(item.get('value'))}).", None)


async def advise(
    participant_id: int,
    policy: BadgePolicy,
    evidence: list[dict[str, Any]],
    now: datetime,
    cure_by: datetime | None = None,
) -> list[Advice]:
    """Advice for every criterion of the policy that the latest evidence shows unmet or about to lapse. For an
    at-risk badge, each unmet criterion is due by the cure date."""
    advice = await _advise(participant_id, policy, evidence, now)
    if cure_by is None or cure_by <= now:
        return advice
    unmet = {item["key"] for item in evidence if not item["met"]}
    return [
        replace(a, message=f"{a.message[:-1]} by {cure_by:%-d %B} to keep the badge.", due_by=cure_by)
        if a.criterion in unmet
        else a
        for a in advice
    ]


async def _advise(
    participant_id: int, policy: BadgePolicy, evidence: list[dict[str, Any]], now: datetime
) -> list[Advice]:
    by_key = {item["key"]: item for item in evidence}
    advice: list[Advice] = []
    for criterion in policy.criteria:
        item = by_key.get(criterion.key)
        if item is None:
            continue
        if item.get("note") and criterion.requires:  # a requirement is missing: no count makes up for it
            advice.append(
                Advice(
                    criterion.key, f"{item['note'][0].upper()}{item['note'][1:]}: {criterion.requires.remedy}.", None
                )
            )
            continue
        if (piece := await criterion.advice.advise(participant_id, criterion, item, now)) is not None:
            advice.append(piece)
    return advice
