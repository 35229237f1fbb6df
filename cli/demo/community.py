"""Mentor circles, trainings and webinars attended."""

from __future__ import annotations

from functools import partial

from cli.demo.engine import Engine
from cli.demo.people import Mentor
from domain.activity.community import RecordCommunityEvent
from domain.models import CommunityEventKind

COMMUNITY_EVENTS = [
    (CommunityEventKind.MENTOR_CIRCLE, "Mentor circle: feedback that lands"),
    (CommunityEventKind.MENTOR_CIRCLE, "Mentor circle: celebrating small wins"),
    (CommunityEventKind.TRAINING, "Training: inclusive language in mentorship"),
    (CommunityEventKind.TRAINING, "Training: setting SMART goals together"),
    (CommunityEventKind.WEBINAR, "Webinar: cultural sensitivity across time zones"),
    (CommunityEventKind.WEBINAR, "Webinar: privacy and confidentiality for mentors"),
]


class Community(Engine):
    """A mentor's community events, every few weeks."""

    async def community(self, m: Mentor) -> None:
        now = self.clock.now()
        if m.lapsed(now) or not m.community_every:
            return
        if m.visible(now):
            kind, title = self.rng.choice(COMMUNITY_EVENTS)
            await self.record(RecordCommunityEvent(participant_id=m.id, kind=kind, title=title), "community_event")
        self.at(self.office(self.later(*m.community_every), 12, 18), partial(self.community, m))
