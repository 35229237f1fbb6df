"""The cast: mentors and protégés with the parameters of their stories, and the stories told."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(eq=False)
class Mentor:
    story: str
    joined: datetime
    notes_on_time: float = 0.97
    replies_on_time: float = 0.985
    community_every: tuple[int, int] | None = (30, 80)
    lapses_at: datetime | None = None
    calendar_ends_at: datetime | None = None  # the last day their calendar is kept open
    misses: tuple[datetime, datetime] | None = None  # a stretch in which they miss sessions
    id: int = 0
    weight: float = 3.0
    load: int = 0
    hidden: list[list[datetime | None]] = field(default_factory=list)  # suspended or removed: [from, until]
    booked: dict[int, datetime] = field(default_factory=dict)  # session id -> scheduled at
    missed: list[int] = field(default_factory=list)

    def visible(self, t: datetime) -> bool:
        return (
            bool(self.id)
            and self.joined <= t
            and not any(start is not None and start <= t and (end is None or t < end) for start, end in self.hidden)
        )

    def lapsed(self, t: datetime) -> bool:
        return self.lapses_at is not None and t >= self.lapses_at

    def removed(self, t: datetime) -> bool:
        return any(start is not None and start <= t and end is None for start, end in self.hidden)


@dataclass(eq=False)
class Protege:
    story: str
    joined: datetime
    sessions_every: tuple[int, int] = (14, 21)
    progress_every: tuple[int, int] = (14, 28)
    feedback: float = 0.75
    replies_on_time: float = 0.985
    stops_at: datetime | None = None  # drifts away
    returns_at: datetime | None = None  # ... and comes back
    silent_from: datetime | None = None  # stops answering messages
    review_at: datetime | None = None  # an admin's program review restores them
    reviewed_at: datetime | None = None
    leave: tuple[datetime, datetime] | None = None
    misses_from: datetime | None = None
    misses_left: int = 0
    approve_reminder: bool = True
    between_goals_from: datetime | None = None  # achieved every goal and has not set the next one yet
    id: int = 0
    mentor: Mentor | None = None
    goals: dict[int, int] = field(default_factory=dict)  # active goal id -> percent complete
    in_reminder: bool = False

    def active(self, t: datetime) -> bool:
        if t < self.joined or not self.id:
            return False
        if self.stops_at and t >= self.stops_at and not (self.returns_at and t >= self.returns_at):
            return False
        if self.silent_from and t >= self.silent_from and not (self.reviewed_at and t >= self.reviewed_at):
            return False
        return not (self.leave and self.leave[0] <= t < self.leave[1])


MENTOR_SCRIPTS = (
    "notice_recent",
    "notice_decays",
    "notice_cleared",
    "suspended",
    "suspension_served",
    "removed_after_suspension",
    "removed_recently",
    "removal_undone",
)


# (story, share of protégés, at least); everyone else is "engaged".
PROTEGE_STORIES = (
    ("drifts_away", 0.04, 1),
    ("drifts_back", 0.04, 1),
    ("misses_sessions", 0.03, 1),
    ("misses_then_approved", 0.03, 1),
    ("goes_silent", 0.03, 1),
    ("silent_then_reviewed", 0.02, 1),
    ("on_leave", 0.015, 1),
    ("newcomer", 0.07, 1),
    ("casual", 0.25, 1),
    ("between_goals", 0.03, 1),
)


MIN_MENTORS = len(MENTOR_SCRIPTS) + 4  # every script, a lapsing and a steady mentor, two exemplary ones


MIN_PROTEGES = sum(least for _, _, least in PROTEGE_STORIES) + 3


WEIGHTS = {
    "exemplary": 3.0,
    "steady": 2.0,
    "lapsing": 4.0,
    "slipping": 4.0,
}  # how many protégés a mentor draws; scripts 1.0
