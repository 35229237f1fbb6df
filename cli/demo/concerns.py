"""Concerns reported, handled to decisions (one sanction and its appeal) or left open, overdue or fresh."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import partial
from typing import Any

from cli.demo.engine import Engine
from cli.demo.options import DAY, HOUR
from cli.demo.people import MENTOR_SCRIPTS, Mentor, Protege
from domain.access.principals import TokenRole
from domain.access.tokens import IssuedToken, create_token
from domain.appeals.filing import AppealFiled, appeal_sanction
from domain.cases.decisions import CaseDecided, DecideCase, Outcome, decide_case
from domain.cases.handling import CaseActor, CaseStepped, assign_case, step_case
from domain.cases.reporting import ConcernFiled, ConcernReport, Evidence, Reporter, report_concern
from domain.models import ConcernCategory, MentorshipSession, Message, Participant, ReporterKind


@dataclass(frozen=True)
class Report:
    """One concern: who reports whom, about what, and how its case is handled."""

    reporter_role: str  # "protege" reports their mentor, "mentor" their protégé
    category: ConcernCategory
    code_section: str
    description: str
    handling: str  # no_violation | guidance | dismiss | sanction | overdue | fresh
    reason: str = ""  # the decision's (or the dismissal's) reason


EARLY = [
    Report(
        "protege",
        ConcernCategory.RESPECT_AND_INCLUSION,
        "Mentor Code 1 and 6",
        "My questions about changing careers were brushed aside in our last session.",
        "no_violation",
        "Read the session notes and spoke with both: a misunderstanding about the session's agenda",
    ),
    Report(
        "mentor",
        ConcernCategory.PRIVACY_AND_CONFIDENTIALITY,
        "Protégé Code 5",
        "A screenshot of our session chat, with my phone number in it, was posted in a public channel.",
        "guidance",
        "Talked it through with the protégé: the post is down, and they know what stays between us",
    ),
    Report(
        "mentor",
        ConcernCategory.PROFESSIONAL_RESPONSIBILITY,
        "Protégé Code 1",
        "Asked me to write their job application letters for them, twice.",
        "dismiss",
        "Asking for help with applications is what the program is for; not a matter for the Code",
    ),
    Report(
        "protege",
        ConcernCategory.RELIABILITY_AND_ATTENDANCE,
        "Mentor Code 3",
        "The session started twenty minutes late, with no message beforehand.",
        "no_violation",
        "One late start in months of sessions on time; the mentor apologised to the protégé",
    ),
]
SANCTION = Report(
    "protege",
    ConcernCategory.RELIABILITY_AND_ATTENDANCE,
    "Mentor Code 3",
    "Two sessions cancelled at an hour's notice and the last one missed without a word.",
    "sanction",
    "The session records bear the report out: a first notice under Mentor Code 3, with a support plan",
)
OVERDUE = Report(
    "mentor",
    ConcernCategory.COMMUNICATION,
    "Protégé Code 4",
    "Four check-ins over three weeks and no answer to any of them.",
    "overdue",
)
FRESH = Report(
    "mentor",
    ConcernCategory.SAFETY,
    "Mentor Code 4",
    "In our last session the protégé said things about their workplace that worry me for their safety.",
    "fresh",
)
APPEAL_STATEMENT = (
    "Both cancellations were for a family emergency, and I wrote to my protégé each time; the messages are on the "
    "platform. I ask that the notice be lifted."
)


class Concerns(Engine):
    """A handful of concerns over the six months, through the cases', decisions' and appeals' own use cases."""

    def report_concerns(self) -> None:
        """Schedule the concerns: early ones handled to a decision (more in a bigger program), a sanction whose
        notice is appealed and still open at the end, a case left overdue and one just reported."""
        rng = self.concern_rng = random.Random(f"{self.seed}:concerns")
        self.case_subjects: set[int] = set()
        self.tokens: dict[int, int] = {}
        early = len(EARLY) // 2 + round(self.size.proteges / 140)
        for index in range(early):
            when = self.start + DAY * (30 + (self.days - 75) * (index + rng.random()) / early)
            self.at(self.in_office(when), partial(self.report, EARLY[index % len(EARLY)]))
        self.at(self.in_office(self.end - DAY * rng.uniform(20, 22)), partial(self.report, SANCTION))
        self.at(self.in_office(self.end - DAY * rng.uniform(18, 22)), partial(self.report, OVERDUE))
        self.at((self.end - HOUR * rng.uniform(3, 16)).replace(second=0, microsecond=0), partial(self.report, FRESH))

    def in_office(self, when: datetime) -> datetime:
        rng = self.concern_rng
        return datetime.combine(when.date(), time(rng.randint(9, 17), rng.choice((0, 15, 30, 45))), tzinfo=UTC)

    def soon(self, lo: float, hi: float, unit: timedelta = HOUR) -> datetime:
        """Some time later, in an admin's working day: a step due at night waits for the next morning."""
        when = self.clock.now() + unit * self.concern_rng.uniform(lo, hi)
        if 9 <= when.hour < 18:
            return when.replace(second=0, microsecond=0)
        return self.in_office(when + DAY if when.hour >= 18 else when)

    @property
    def case_admin(self) -> CaseActor:
        return CaseActor(self.admin, int(self.admin.id.split(":", 1)[1]), self.organization.id)

    def refused(self, kind: str, result: Any, expected: type) -> bool:
        if isinstance(result, expected):
            return False
        self.rejected[(kind, type(result).__name__)] += 1
        return True

    async def pair(self, report: Report) -> tuple[Mentor, Protege, list[int]] | None:
        """A mentor and a protégé who had sessions, neither already the subject of a case; the subject is in good
        standing, and a reported mentor has no scripted decisions of their own (a sanction goes to a steady one
        if it can). Returns them and the sessions the report cites."""
        now = self.clock.now()
        good = set(
            await Participant.filter(organization_id=self.organization.id, standing="good").values_list("id", flat=True)
        )
        mentors = [m for m in self.mentors if m.visible(now) and m.story not in MENTOR_SCRIPTS]
        proteges = [p for p in self.proteges if p.id]
        if report.reporter_role == "protege":
            mentors = [m for m in mentors if m.id in good and m.id not in self.case_subjects]
        else:
            proteges = [p for p in proteges if p.id in good and p.id not in self.case_subjects]
        sessions = (
            await MentorshipSession.filter(
                organization_id=self.organization.id,
                mentor_id__in=[m.id for m in mentors],
                protege_id__in=[p.id for p in proteges],
                scheduled_at__lte=now,
            )
            .order_by("id")
            .values_list("id", "mentor_id", "protege_id")
        )
        pairs = sorted({(mentor, protege) for _, mentor, protege in sessions})
        if report.handling == "sanction":
            steady = [(m, p) for m, p in pairs if self.person(m).story == "steady"]
            exemplary = [(m, p) for m, p in pairs if self.person(m).story == "exemplary"]
            pairs = steady or exemplary or pairs
        if not pairs:
            self.rejected[("concern", "no mentorship to report on")] += 1
            return None
        mentor_id, protege_id = self.concern_rng.choice(pairs)
        cited = [s for s, m, p in sessions if (m, p) == (mentor_id, protege_id)][-3:]
        mentor, protege = self.person(mentor_id), self.person(protege_id)
        assert isinstance(mentor, Mentor) and isinstance(protege, Protege)
        return mentor, protege, cited

    async def token_of(self, participant_id: int) -> int:
        """The reporter's own sign-in: a participant reports with their token."""
        if participant_id not in self.tokens:
            issued = await create_token(
                organization=self.organization,
                role=TokenRole.PARTICIPANT,
                clock=self.clock,
                participant_id=participant_id,
                label="standing demo: a participant's sign-in",
            )
            assert isinstance(issued, IssuedToken), issued
            self.tokens[participant_id] = issued.token.id
        return self.tokens[participant_id]

    async def report(self, report: Report) -> None:
        found = await self.pair(report)
        if found is None:
            return
        mentor, protege, sessions = found
        reporter, subject = (protege, mentor) if report.reporter_role == "protege" else (mentor, protege)
        evidence = Evidence(sessions=tuple(sessions))
        if report.handling == "overdue":  # the unanswered check-ins
            unanswered = await Message.filter(
                sender_id=reporter.id, recipient_id=subject.id, responded_at=None
            ).order_by("id")
            evidence = Evidence(sessions=tuple(sessions[-1:]), messages=tuple(m.id for m in unanswered[-4:]))
        filed = await report_concern(
            Reporter(ReporterKind.PARTICIPANT, await self.token_of(reporter.id), self.organization.id, reporter.id),
            ConcernReport(subject.id, report.category, report.code_section, report.description, evidence),
            clock=self.clock,
        )
        if self.refused("concern", filed, ConcernFiled):
            return
        self.case_subjects.add(subject.id)
        case_id = filed.case.id
        if report.handling == "fresh":
            return  # nobody has taken it yet
        # Taken within hours; the overdue one only after its acknowledgement was missed.
        assigned = self.soon(38, 46) if report.handling == "overdue" else self.soon(1, 6)
        self.at(assigned, partial(self.take, case_id, report, subject))

    async def take(self, case_id: int, report: Report, subject: Mentor | Protege) -> None:
        by = self.case_admin
        result = await assign_case(
            case_id, by=by, assignee_token_id=by.token_id, reason="Taking this one", clock=self.clock
        )
        if self.refused("assign_case", result, CaseStepped):
            return
        if report.handling == "dismiss":
            self.at(self.soon(0.5, 2, DAY), partial(self.step, case_id, "dismiss", report.reason))
            return
        self.at(self.soon(0.5, 1.5, DAY), partial(self.triage, case_id, report, subject))

    async def stepped(self, case_id: int, event: str, reason: str) -> bool:
        result = await step_case(case_id, event, by=self.case_admin, reason=reason, clock=self.clock)
        return not self.refused(f"case_{event}", result, CaseStepped)

    async def step(self, case_id: int, event: str, reason: str) -> None:
        await self.stepped(case_id, event, reason)

    async def triage(self, case_id: int, report: Report, subject: Mentor | Protege) -> None:
        if not await self.stepped(case_id, "triage", f"A {report.code_section} matter; asking both for their account"):
            return
        if report.handling == "overdue":
            return  # the accounts never come in: the decision's stage is missed, and the admins are nudged
        self.at(self.soon(1, 2, DAY), partial(self.investigate, case_id, report, subject))

    async def investigate(self, case_id: int, report: Report, subject: Mentor | Protege) -> None:
        if await self.stepped(case_id, "investigate", "Reading the sessions cited and the notes on them"):
            self.at(self.soon(4, 7, DAY), partial(self.conclude, case_id, report, subject))

    async def conclude(self, case_id: int, report: Report, subject: Mentor | Protege) -> None:
        outcome = {"sanction": Outcome.STANDING_EVENT, "guidance": Outcome.GUIDANCE}.get(
            report.handling, Outcome.NO_VIOLATION
        )
        event = "issue_notice" if outcome is Outcome.STANDING_EVENT else None
        decided = await decide_case(
            DecideCase(case_id, outcome, report.reason, event=event), by=self.case_admin, clock=self.clock
        )
        if self.refused("decide_case", decided, CaseDecided):
            return
        self.at(self.soon(1, 3, DAY), partial(self.step, case_id, "close", "Decided, and both parties told"))
        if decided.transition is not None:  # the mentor appeals the notice within days; nobody has decided it yet
            self.at(self.soon(3, 5, DAY), partial(self.appeal, subject, decided.transition.id))

    async def appeal(self, subject: Mentor | Protege, transition_id: int) -> None:
        filed = await appeal_sanction(
            organization_id=self.organization.id,
            appellant_id=subject.id,
            transition_id=transition_id,
            statement=APPEAL_STATEMENT,
            clock=self.clock,
        )
        self.refused("appeal", filed, AppealFiled)
