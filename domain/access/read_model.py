"""The read model: each process's copy of what the hottest reads show of a participant, kept current by the
database's change notifications, and trusted only while it provably is.

What it holds, per organization: every participant's id, role, display name, standing (with its `since`)
and badge state, in id order. The single read and the page of 100 (schema/persisted.py) answer from it
instead of the database when it is trusted; otherwise they read the database as before.

How it stays current (PostgreSQL; migration 0014): a trigger on the participant and badge tables sends
the participant's id on the channel CHANGES in the writing transaction, and PostgreSQL delivers it when,
and only if, that transaction commits. The process's listener (workers/read_model_listener.py) marks the
id dirty; the next read that needs the model first reads every dirty row again, in one query.

Why it can be trusted, and for how long: PostgreSQL delivers notifications in commit order. The listener
sends a heartbeat notification of its own every HEARTBEAT_SECONDS; when heartbeat n comes back, every
change committed before n was sent has already been marked. `fresh_as_of` is that send time. The model
answers only while `fresh_as_of` is at most STALENESS_BOUND seconds old, and, for a client (a token), only
once it is later than that client's latest commit here (`committed`), so a client reads its own change on its
next request here, and every process shows any committed change within the bound. Losing the listener's connection forgets everything.

Tokens are not held here: every request still authenticates its token (domain/access/tokens.py) and is
answered under the one visibility rule (`can_read`). The listener also tells the token cache of every
token revoked elsewhere, so revocation reaches this process as fast as a change does.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.access.principals import Principal, TokenRole
from domain.access.tokens import ACTING
from domain.access.visibility import can_read
from domain.models import BadgeRecord, Participant
from domain.models.participant import StandingFacts

CHANGES = "standing_read_model"  # the channel the triggers and the heartbeats share
HEARTBEAT_SECONDS = 0.2
STALENESS_BOUND = 1.0  # the freshness target: every process shows a committed change within 1 s
REFRESH_BATCH = 5_000  # dirty ids read again per statement
HEARTBEAT, TOKEN = "h:", "t:"  # payload prefixes; a bare integer is a participant's id


class StandingRow(StandingFacts):
    """A participant as the hottest reads show it. Immutable: a change replaces the row, so a view may keep
    what it derived from a row for as long as it holds that very object."""

    __slots__ = ("id", "organization_id", "role", "display_name", "standing", "standing_since", "badge_state")

    def __init__(
        self,
        id: int,
        organization_id: int,
        role: Any,
        display_name: str,
        standing: str,
        standing_since: datetime,
        badge_state: str | None,
    ) -> None:
        self.id, self.organization_id, self.role, self.display_name = id, organization_id, role, display_name
        self.standing, self.standing_since, self.badge_state = standing, standing_since, badge_state


@dataclass
class _Organization:
    rows: dict[int, StandingRow] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)  # sorted: the order of `visible_participants(...).order_by("id")`

    def put(self, row: StandingRow) -> None:
        if row.id not in self.rows:
            bisect.insort(self.ids, row.id)
        self.rows[row.id] = row

    def drop(self, participant_id: int) -> None:
        if self.rows.pop(participant_id, None) is not None:
            self.ids.pop(bisect.bisect_left(self.ids, participant_id))


_COLUMNS = ("id", "organization_id", "role", "display_name", "standing", "standing_since")


async def _read_rows(**filters: Any) -> list[StandingRow]:
    """Participants and their badge states, in two statements whatever their number."""
    people = await Participant.filter(**filters).values_list(*_COLUMNS)
    badges = dict(
        await BadgeRecord.filter(participant_id__in=[p[0] for p in people]).values_list("participant_id", "state")
    )
    return [StandingRow(p[0], p[1], p[2], p[3], p[4], p[5], badges.get(p[0])) for p in people]


class ReadModel:
    """See the module's docstring. `now` is a monotonic clock in seconds (tests inject their own)."""

    def __init__(self, *, bound: float = STALENESS_BOUND, now: Callable[[], float] = time.monotonic) -> None:
        self.bound, self.now = bound, now
        self.fresh_as_of: float | None = None  # None: not listening, nothing is trusted
        self.wrote = float("-inf")  # when this process last committed a transaction no client made
        self._wrote_by: dict[int, float] = {}  # token -> when its client last committed here, until heard
        self.on_write: Callable[[], None] = lambda: None  # the listener's cue to send a heartbeat now
        self._organizations: dict[int, _Organization] = {}
        # Participants heard of and not yet read again, each with the number of the mark: a row stays dirty
        # until the read that covers its latest mark has been applied, so no reader takes the old row meanwhile.
        self._dirty: dict[int, int] = {}
        self._marks = itertools.count(1)
        self._lock = asyncio.Lock()
        self._generation = 0  # counts `forget`s, so that a load that straddles one is not kept

    # What the listener tells the model.
    def changed(self, participant_ids: Iterable[int]) -> None:
        for participant_id in participant_ids:
            self._dirty[participant_id] = next(self._marks)

    def heard(self, sent_at: float) -> None:
        """A heartbeat sent at `sent_at` came back: every change committed before then has been marked."""
        if self.fresh_as_of is None or sent_at > self.fresh_as_of:
            self.fresh_as_of = sent_at
            if self._wrote_by:  # the clients whose commits this heartbeat covers need no fence any more
                self._wrote_by = {token: at for token, at in self._wrote_by.items() if at >= sent_at}

    def changed_all(self) -> None:
        """Any row may have changed (a TRUNCATE): everything is read again when next needed."""
        self._generation += 1
        self._organizations.clear()
        self._dirty.clear()

    def forget(self) -> None:
        """The listener lost (or has not yet got) its connection: changes may be missed, so nothing is kept."""
        self.fresh_as_of = None
        self.changed_all()

    def committed(self) -> None:
        """This process committed a transaction: until a heartbeat sent after now returns, the reads of the client
        that made it (its token), or of everyone when no client did (a timer), go to the database."""
        token_id, now = ACTING.get(), self.now()
        if token_id is None:
            self.wrote = now
        else:
            self._wrote_by[token_id] = now
        self.on_write()

    def trusted(self, token_id: int | None = None) -> bool:
        """Whether reads may be answered from the model: for the client with this token, or (None) in general."""
        fresh = self.fresh_as_of
        # Strictly later: a heartbeat stamped at the very reading of the clock the commit got may have gone first.
        if fresh is None or fresh <= self.wrote or self.now() - fresh > self.bound:
            return False
        return token_id is None or fresh > self._wrote_by.get(token_id, float("-inf"))

    # What the reads ask. Callers check `trusted()` first; answers reflect every change committed before it.
    async def one(self, principal: Principal, participant_id: int) -> StandingRow | None:
        """The participant this principal may read, or None; as `visible_participant`."""
        organization = await self._current(principal.organization_id)
        row = organization.rows.get(participant_id)
        return row if row is not None and can_read(principal, row) else None

    async def page(self, principal: Principal, start: int, count: int) -> list[StandingRow]:
        """`visible_participants(principal).order_by("id")[start : start + count]`."""
        organization = await self._current(principal.organization_id)
        if principal.role is TokenRole.PARTICIPANT:
            mine = organization.rows.get(principal.participant_id or 0)
            return [mine][start : start + count] if mine is not None and can_read(principal, mine) else []
        rows = organization.rows
        return [rows[i] for i in organization.ids[start : start + count]]

    async def _current(self, organization_id: int) -> _Organization:
        organization = self._organizations.get(organization_id)
        if organization is not None and not self._dirty:
            return organization
        async with self._lock:  # one reader loads or refreshes; the others wait and find it done
            while True:
                generation = self._generation
                if organization_id not in self._organizations:
                    loaded = _Organization()
                    for row in await _read_rows(organization_id=organization_id):
                        loaded.put(row)
                    if generation != self._generation:
                        continue
                    self._organizations[organization_id] = loaded
                while self._dirty and generation == self._generation:
                    await self._refresh()
                if generation == self._generation:  # else forgotten meanwhile: what was read may be incomplete
                    return self._organizations[organization_id]

    async def _refresh(self) -> None:
        batch = dict(itertools.islice(self._dirty.items(), REFRESH_BATCH))
        found = {row.id: row for row in await _read_rows(id__in=list(batch))}
        for participant_id, mark in batch.items():
            row = found.get(participant_id)
            for organization_id, organization in self._organizations.items():
                if row is None or organization_id != row.organization_id:
                    organization.drop(participant_id)
            if row is not None and (home := self._organizations.get(row.organization_id)) is not None:
                home.put(row)
            if self._dirty.get(participant_id) == mark:  # marked again meanwhile: read once more
                del self._dirty[participant_id]


READ_MODEL = ReadModel()
