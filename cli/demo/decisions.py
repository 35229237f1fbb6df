"""Admin decisions on reports and cases: notices, suspensions, removals, approvals and reviews."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from cli.demo.goals import Goals
from cli.demo.options import HOUR
from cli.demo.people import Mentor, Protege
from domain.activity.sessions import RecordSessionOutcome
from domain.models import SessionNote, SessionStatus


class Decisions(Goals):
    """The admin's steps on the standing ladder, with their reasons and evidence."""

    async def notice(self, m: Mentor, reason: str, kind: str) -> None:
        evidence: dict[str, Any] = {"code_section": "Mentor Code of Conduct, Violations & Review"}
        if kind == "missed_sessions" and m.missed:
            evidence["missed_sessions"] = m.missed[-4:]
        elif kind == "late_notes":
            late = await SessionNote.filter(session__mentor_id=m.id, on_time=False).values_list("session_id", flat=True)
            evidence["late_notes_for_sessions"] = sorted(late)[-4:]
        else:
            evidence["report"] = "mentee report filed with the program admin"
        await self.decide(m.id, "issue_notice", reason, evidence)

    async def admin_step(self, m: Mentor, event: str, reason: str) -> None:
        await self.decide(m.id, event, reason)

    async def suspend(self, m: Mentor, until: datetime) -> None:
        reason = self.rng.choice(
            (
                "Second notice: shared a mentee's contact details outside the platform (Mentor Code 4)",
                "Second notice: missed sessions again after the first notice (Mentor Code 3)",
            )
        )
        if await self.decide(
            m.id, "suspend", reason, {"code_section": "Violations & Review, Second Notice"}, until=until
        ):
            m.hidden.append([self.clock.now(), until + HOUR])  # the hourly sweep lifts it
            await self.cancel_sessions(m)

    async def remove(self, m: Mentor, reason: str) -> None:
        if await self.decide(m.id, "remove", reason, {"code_section": "Violations & Review, Final Action"}):
            if m.hidden and m.hidden[-1][1] and m.hidden[-1][1] > self.clock.now():
                m.hidden[-1][1] = self.clock.now()
            m.hidden.append([self.clock.now(), None])
            await self.cancel_sessions(m)

    async def undo_removal(self, m: Mentor) -> None:
        if await self.decide(
            m.id, "undo_removal", "The report concerned another mentor; removal undone, the earlier notice stays"
        ):
            m.hidden[-1][1] = self.clock.now()

    async def cancel_sessions(self, m: Mentor) -> None:
        """A hidden mentor's upcoming sessions are cancelled by the platform, with the notice given."""
        now = self.clock.now()
        for session_id, scheduled in sorted(m.booked.items()):
            if scheduled > now:
                await self.record(
                    RecordSessionOutcome(
                        session_id=session_id,
                        outcome=SessionStatus.CANCELLED,
                        notice_hours=round((scheduled - now) / HOUR, 1),
                    ),
                    "session_outcome",
                )
                del m.booked[session_id]

    async def approve_reschedule(self, p: Protege) -> None:
        if await self.decide(
            p.id, "approve_reschedule", "Talked it through with the protégé; rescheduling approved and sessions resume"
        ):
            p.in_reminder = False

    async def review(self, p: Protege) -> None:
        """Protégé Code, Ineligibility: after program review, an admin restores good standing."""
        if await self.decide(
            p.id,
            "restore_good_standing",
            "Program review done: agreed a weekly check-in plan with the mentor",
            {"program_review": "completed"},
        ):
            p.reviewed_at, p.replies_on_time = self.clock.now(), 1.0
            self.at(self.later(0.2, 1), partial(self.log_progress, p, once=True))
