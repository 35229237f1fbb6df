"""Registration: a participant joins with a generated profile and starts their routine."""

from __future__ import annotations

import unicodedata
from functools import partial

from cli.demo.availability import OFFERINGS, Availability
from cli.demo.community import Community
from cli.demo.leave import Leave
from cli.demo.names import FIRST_NAMES, LAST_NAMES, TIMEZONES
from cli.demo.options import DAY, EMAIL_DOMAIN
from cli.demo.people import Mentor, Protege
from cli.demo.sessions import Sessions
from domain.activity.calendar import CreateServiceOffering
from domain.kernel.roles import Role
from domain.models import Participant
from domain.participants.registration import ProfileInput, register_participant


class Joining(Sessions, Availability, Community, Leave):
    """Joining, and the first steps scheduled for each kind of participant."""

    async def register(self, person: Mentor | Protege) -> None:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        index = len(self.by_id) + 1
        email = f"{_ascii(first)}.{_ascii(last)}.{index}@{EMAIL_DOMAIN}".lower()
        role = Role.MENTOR if isinstance(person, Mentor) else Role.PROTEGE
        row = await register_participant(
            organization_id=self.organization.id,
            role=role,
            profile=ProfileInput(f"{first} {last}", email, rng.choice(TIMEZONES)),
            clock=self.clock,
        )
        assert isinstance(row, Participant), row  # generated profiles are always valid
        person.id = row.id
        self.by_id[row.id] = person
        if isinstance(person, Mentor):
            await self.mentor_joins(person)
        else:
            await self.protege_joins(person)

    async def mentor_joins(self, m: Mentor) -> None:
        rng = self.rng
        for title, description, minutes in rng.sample(OFFERINGS, rng.choice((1, 1, 2))):
            await self.record(
                CreateServiceOffering(mentor_id=m.id, title=title, description=description, duration_minutes=minutes),
                "offering",
            )
        await self.open_calendar(m)
        if m.community_every:
            self.at(self.later(3, 20), partial(self.community, m))

    async def protege_joins(self, p: Protege) -> None:
        p.mentor = self.choose_mentor(p)
        p.mentor.load += 1
        for _ in range(2 if p.story != "casual" and self.rng.random() < 0.5 else 1):
            await self.new_goal(p)
        self.at(self.later(0.5, 4), partial(self.plan_session, p))
        self.at(self.later(3, 10), partial(self.log_progress, p))
        if p.leave:
            self.at(p.leave[0] - DAY * self.rng.uniform(1, 4), partial(self.grant_leave, p))
        if p.silent_from:
            for offset in (2, 9, 16, 23):  # the mentor checks in; nobody answers
                self.at(self.office(p.silent_from + offset * DAY), partial(self.check_in, p))
        if p.review_at:
            self.at(p.review_at, partial(self.review, p))
        if p.returns_at:
            self.at(p.returns_at, partial(self.log_progress, p, once=True))
        if p.between_goals_from:
            self.at(p.between_goals_from, partial(self.achieve_every_goal, p))


def _ascii(name: str) -> str:
    name = name.replace("ø", "o").replace("Ø", "O")
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or "x"
