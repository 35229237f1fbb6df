"""Mentors' offerings and calendars, kept open four weeks at a time."""

from __future__ import annotations

from functools import partial

from cli.demo.engine import Engine
from cli.demo.options import DAY
from cli.demo.people import Mentor
from domain.activity.calendar import AddAvailability

OFFERINGS = [
    ("Career switch planning", "A 1:1 plan for moving into tech, with milestones.", 60),
    ("Portfolio review", "Honest, actionable feedback on your portfolio.", 45),
    ("Mock interview", "A behavioural or technical mock interview with written feedback.", 60),
    ("Resume and LinkedIn clinic", "Make your experience legible to recruiters.", 30),
    ("System design basics", "Whiteboard common architectures together.", 90),
    ("Product management 101", "From problem discovery to roadmaps.", 60),
    ("Public speaking practice", "Rehearse a talk and get feedback on delivery.", 45),
    ("Grant writing workshop", "Structure and polish a funding proposal.", 60),
]


class Availability(Engine):
    """A mentor's calendar, renewed until they lapse."""

    async def open_calendar(self, m: Mentor) -> None:
        """Mentor Code 3 and 8: keep an updated calendar. Renewed every four weeks, five weeks ahead."""
        now = self.clock.now()
        if m.lapsed(now):
            return  # a lapsing mentor lets the calendar run out
        if m.calendar_ends_at and now >= m.calendar_ends_at:
            return
        if m.visible(now):
            starts = self.office(now + DAY, 8, 9)
            ends = min(starts + 35 * DAY, m.calendar_ends_at) if m.calendar_ends_at else starts + 35 * DAY
            await self.record(AddAvailability(mentor_id=m.id, starts_at=starts, ends_at=ends), "availability")
        self.at(now + 28 * DAY, partial(self.open_calendar, m))
