"""Mentorship sessions: planned, booked, held or missed, and what each outcome sets off."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from cli.demo.decisions import Decisions
from cli.demo.feedback import Feedback
from cli.demo.messages import Messages
from cli.demo.options import DAY, HOUR
from cli.demo.people import Mentor, Protege
from domain.activity.sessions import BookSession, RecordSessionOutcome
from domain.facts.policy import FACT_POLICY
from domain.models import Absentee, MentorshipSession, Participant, SessionStatus


class Sessions(Messages, Feedback, Decisions):
    """A protégé's sessions, from booking to outcome."""

    async def plan_session(self, p: Protege) -> None:
        now, rng = self.clock.now(), self.rng
        if not p.active(now):
            self.at(self.later(1, 3), partial(self.plan_session, p))
            return
        scheduled = self.office(self.later(1, 5), 9, 19)
        session = await self.book(p, scheduled)
        if session and rng.random() < 0.25:  # the protégé writes ahead of the session
            self.at(self.later(1, 12, HOUR), partial(self.message, p.id, session.mentor_id))
        self.at(scheduled + DAY * rng.uniform(*p.sessions_every), partial(self.plan_session, p))

    async def book(self, p: Protege, scheduled: datetime) -> MentorshipSession | None:
        if not p.goals:
            await self.new_goal(p)
        mentor = self.mentor_for(p)
        session = await self.record(
            BookSession(
                mentor_id=mentor.id,
                protege_id=p.id,
                goal_id=self.rng.choice(sorted(p.goals)),
                scheduled_at=scheduled,
                admin_approved=p.in_reminder,
            ),
            "session",
        )
        if session is None:
            return None
        mentor.booked[session.id] = scheduled
        outcome, absentee, notice = self.outcome(p, mentor, scheduled)
        if notice is not None:
            notice = min(notice, (scheduled - self.clock.now()) / HOUR - 1)
            self.at(
                scheduled - notice * HOUR,
                partial(self.end_session, p, mentor, session.id, outcome, None, round(notice, 1)),
            )
        else:
            self.at(
                scheduled + session.duration_minutes * timedelta(minutes=1),
                partial(self.end_session, p, mentor, session.id, outcome, absentee, None),
            )
        return session

    def outcome(
        self, p: Protege, m: Mentor, scheduled: datetime
    ) -> tuple[SessionStatus, Absentee | None, float | None]:
        roll = self.rng.random()
        if p.misses_from and scheduled >= p.misses_from and p.misses_left:
            p.misses_left -= 1
            return SessionStatus.NO_SHOW, Absentee.PROTEGE, None
        if m.misses and m.misses[0] <= scheduled < m.misses[1] and roll < 0.6:
            return SessionStatus.NO_SHOW, Absentee.MENTOR, None
        if roll < 0.06:
            return SessionStatus.RESCHEDULED, None, self.rng.uniform(24, 72)
        if roll < 0.09:
            return SessionStatus.CANCELLED, None, self.rng.uniform(6, 96)
        if roll < 0.10 and p.story in {"engaged", "casual"}:
            return SessionStatus.NO_SHOW, self.rng.choice((Absentee.PROTEGE, Absentee.MENTOR, Absentee.BOTH)), None
        return SessionStatus.ATTENDED, None, None

    async def end_session(
        self,
        p: Protege,
        m: Mentor,
        session_id: int,
        outcome: SessionStatus,
        absentee: Absentee | None,
        notice: float | None,
    ) -> None:
        rng = self.rng
        m.booked.pop(session_id, None)
        if outcome is SessionStatus.ATTENDED and not p.active(self.clock.now()):
            outcome, notice = SessionStatus.CANCELLED, 0.0  # they drifted away or went quiet meanwhile
        session = await self.record(
            RecordSessionOutcome(session_id=session_id, outcome=outcome, absentee=absentee, notice_hours=notice),
            "session_outcome",
        )
        if session is None:
            return  # cancelled already, when the mentor was suspended or removed
        if outcome is SessionStatus.ATTENDED:
            self.at(self.notes_time(m), partial(self.write_notes, m, session_id))
            if rng.random() < p.feedback:
                self.at(self.later(1, 30, HOUR), partial(self.give_feedback, p, session_id))
            if rng.random() < 0.25:  # the mentor follows up
                self.at(self.later(2, 20, HOUR), partial(self.message, m.id, p.id))
        elif outcome is SessionStatus.RESCHEDULED:
            self.at(self.later(0.1, 1), partial(self.rebook, p, session.scheduled_at + DAY * rng.uniform(2, 7)))
        elif outcome is SessionStatus.NO_SHOW and absentee is Absentee.MENTOR:
            m.missed.append(session_id)
        elif outcome is SessionStatus.NO_SHOW:
            # The no-show counts once its 72-hour dispute window closes: look again a day after (past the catch-up sweep).
            self.at(self.clock.now() + FACT_POLICY.dispute_window.value + DAY, partial(self.check_reminder, p))

    async def check_reminder(self, p: Protege) -> None:
        standing = await Participant.filter(id=p.id).values_list("standing", flat=True)
        if standing and standing[0] == "reminder" and not p.in_reminder:
            p.in_reminder = True  # the rule sent a reminder: bookings now need an admin's approval
            if p.approve_reminder:
                self.at(self.office(self.later(2, 6)), partial(self.approve_reschedule, p))

    async def rebook(self, p: Protege, scheduled: datetime) -> None:
        if p.active(self.clock.now()):
            await self.book(p, self.office(scheduled, 9, 19))
