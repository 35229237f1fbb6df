"""Messages between mentors and protégés, and their answers on time, late or never."""

from __future__ import annotations

from functools import partial

from cli.demo.engine import Engine
from cli.demo.options import HOUR
from cli.demo.people import Mentor, Protege
from domain.activity.messages import RespondToMessage, SendMessage


class Messages(Engine):
    """A message sent, and its answer scheduled from the recipient's habits."""

    async def message(self, sender_id: int, recipient_id: int) -> None:
        message = await self.record(SendMessage(sender_id=sender_id, recipient_id=recipient_id), "message")
        if message is None:
            return
        recipient = self.person(recipient_id)
        on_time = recipient.replies_on_time
        if isinstance(recipient, Mentor) and recipient.lapsed(self.clock.now()):
            on_time = 0.85
        roll = self.rng.random()
        if roll < on_time:
            self.at(self.later(0.5, 40, HOUR), partial(self.respond, recipient, message.id))
        elif roll < on_time + (1 - on_time) * 0.7:  # late; the rest never answer
            self.at(self.later(50, 90, HOUR), partial(self.respond, recipient, message.id))

    async def respond(self, recipient: Mentor | Protege, message_id: int) -> None:
        now = self.clock.now()
        if recipient.active(now) if isinstance(recipient, Protege) else not recipient.removed(now):
            await self.record(RespondToMessage(message_id=message_id), "response")

    async def check_in(self, p: Protege) -> None:
        """A mentor writes to a protégé who has gone quiet (Protégé Code 4: respond within 48 hours)."""
        if not p.reviewed_at:
            await self.record(SendMessage(sender_id=self.mentor_for(p).id, recipient_id=p.id), "message")
