"""What follows an attended session: the mentor's notes and the protégé's feedback."""

from __future__ import annotations

from datetime import datetime

from cli.demo.engine import Engine
from cli.demo.options import HOUR
from cli.demo.people import Mentor, Protege
from domain.activity.sessions import SubmitSessionFeedback, SubmitSessionNote

SESSION_NOTES = [
    "Reviewed progress against the goal and agreed next steps",
    "Worked through the draft together; two action items",
    "Mock interview done; strengths and gaps written up",
    "Goal review: milestone reached, next one set",
    "Discussed blockers; protégé will try a new study schedule",
]


FEEDBACK = [
    ("Very helpful, I know exactly what to do next", 5),
    ("Good session, the examples made it click", 5),
    ("Useful, though we ran out of time", 4),
    ("Helpful feedback on my draft", 4),
    ("A bit rushed today", 3),
]


class Feedback(Engine):
    """Session notes, on time or late, and feedback."""

    def notes_time(self, m: Mentor) -> datetime:
        notes_on_time = 0.6 if m.lapsed(self.clock.now()) else m.notes_on_time
        if self.rng.random() < notes_on_time:
            return self.later(1, 40, HOUR)
        return self.later(50, 120, HOUR)

    async def write_notes(self, m: Mentor, session_id: int) -> None:
        if not m.removed(self.clock.now()):
            await self.record(SubmitSessionNote(session_id=session_id, body=self.rng.choice(SESSION_NOTES)), "note")

    async def give_feedback(self, p: Protege, session_id: int) -> None:
        if p.active(self.clock.now()):
            body, rating = self.rng.choice(FEEDBACK)
            await self.record(SubmitSessionFeedback(session_id=session_id, body=body, rating=rating), "feedback")
