"""`standing demo`: a realistic organization, simulated through the real use cases.

Six months of a mentorship program are replayed on a FixedClock that ends at `now`, so the data
looks current. Every row is written the way production writes it: activity through
`record_activity`, admin decisions through `apply_event`, time-based rules by
`sweep` (in the hour each deadline falls due, and every night) and badges by `evaluate_badges`
(every two simulated weeks, and once at the end). Nothing is inserted behind the rules' back: a protégé is in `warning` because the sweep
found 60 days without activity, a mentor's notice is cleared because it decayed.

Participants follow stories (an engaged protégé, one who drifts away, one who misses sessions, a
mentor who is suspended...) so that every standing state of both machines and every badge status
is present at the end. A fixed seed makes the organization reproducible. The whole run is one
transaction: it is there completely, or not at all.
"""

from __future__ import annotations

import heapq
import itertools
import random
import unicodedata
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import partial
from typing import Any

from tortoise.functions import Count

from domain.access.organizations import get_or_create_organization
from domain.access.principals import TokenRole
from domain.access.tokens import create_token
from domain.activity.acting import Acting
from domain.activity.calendar import AddAvailability, CreateServiceOffering
from domain.activity.community import RecordCommunityEvent
from domain.activity.goals import CreateGoal, LogGoalProgress, SetGoalStatus, SmartGoal
from domain.activity.messages import RespondToMessage, SendMessage
from domain.activity.record import ActivityCommand, record_activity
from domain.activity.sessions import BookSession, RecordSessionOutcome, SubmitSessionFeedback, SubmitSessionNote
from domain.badges.evaluation import evaluate_badges
from domain.deadlines.leave import grant_leave
from domain.deadlines.schedule import on_scheduled
from domain.deadlines.sweep import sweep
from domain.facts.policy import FACT_POLICY
from domain.infra.db import transaction
from domain.kernel.actors import Actor
from domain.kernel.clock import FixedClock
from domain.kernel.rejections import InvalidInput, NotFound, NotPermitted
from domain.kernel.roles import Role
from domain.models import (
    Absentee,
    AvailabilityWindow,
    BadgeRecord,
    CommunityAttendance,
    CommunityEventKind,
    Deadline,
    ExcusedLeave,
    Goal,
    GoalProgress,
    GoalStatus,
    MentorshipSession,
    Message,
    Nudge,
    Organization,
    Participant,
    ServiceOffering,
    SessionFeedback,
    SessionNote,
    SessionStatus,
    TransitionRecord,
)
from domain.participants.registration import ProfileInput, register_participant
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event
from domain.standing.machines import MACHINES

DAY, HOUR = timedelta(days=1), timedelta(hours=1)
DAYS = 183  # about six months: long enough for a first notice to decay (180 days) inside the story
EMAIL_DOMAIN = "demo.example.org"  # marks the demo's participants, so a second run can refuse
DEFAULT_SEED = 2026
DEMO_SLUG, DEMO_NAME = "demo-academy", "Demo Academy"  # never the quick start's `demo`: the demo has its own
BADGE_EVERY = 14 * DAY  # the worker evaluates nightly; every two weeks keeps the demo fast


class DemoRefused(Exception):
    """The demo will not run: the organization already has demo data, or the size is too small."""


@dataclass(frozen=True)
class DemoSize:
    mentors: int = 120
    proteges: int = 280

    def problem(self) -> str | None:
        if self.mentors < MIN_MENTORS:
            return f"the demo needs at least {MIN_MENTORS} mentors to tell every mentor story"
        if self.proteges < MIN_PROTEGES:
            return f"the demo needs at least {MIN_PROTEGES} protégés to tell every protégé story"
        return None


@dataclass
class DemoResult:
    organization: Organization
    admin_token: str
    standings: dict[tuple[str, str], int]  # (role, state) -> participants
    badges: dict[tuple[str, str], int]  # (role, badge status) -> participants
    rows: dict[str, int]  # what was recorded, by kind
    rejected: Counter = field(
        default_factory=Counter
    )  # activity the use cases refused (e.g. booking a suspended mentor)

    def summary(self) -> list[str]:
        lines = [
            f"organization '{self.organization.slug}' ({self.organization.name}, id {self.organization.id}): "
            f"{self.rows['mentors']} mentors, {self.rows['proteges']} protégés"
        ]
        for role in Role:
            states = ", ".join(
                f"{state} {self.standings.get((role.value, state), 0)}" for state in MACHINES[role].state_ids()
            )
            badges = ", ".join(
                f"{status} {self.badges.get((role.value, status), 0)}"
                for status in ("none", "awarded", "at_risk", "revoked")
            )
            lines.append(f"  {role.value} standing: {states}; badge: {badges}")
        activity_rows = ", ".join(
            f"{n} {kind.replace('_', ' ')}" for kind, n in self.rows.items() if kind not in {"mentors", "proteges"}
        )
        lines.append(f"  recorded: {activity_rows}")
        return lines


# --- the cast ----------------------------------------------------------------------------------

FIRST_NAMES = [
    "Amara",
    "Bjørn",
    "Chen",
    "Dalia",
    "Emeka",
    "Farah",
    "Gabriel",
    "Hana",
    "Ines",
    "Jonas",
    "Kavya",
    "Lars",
    "Mei",
    "Nadia",
    "Oluwaseun",
    "Priya",
    "Quentin",
    "Rosa",
    "Sipho",
    "Tomás",
    "Uma",
    "Viktor",
    "Wanjiru",
    "Ximena",
    "Yusuf",
    "Zofia",
    "Aiko",
    "Bruno",
    "Camille",
    "Diego",
    "Elif",
    "Femi",
    "Grace",
    "Hamid",
    "Ingrid",
    "Jamal",
    "Keiko",
    "Leila",
    "Mateo",
    "Noor",
    "Olga",
    "Pedro",
    "Rania",
    "Sofia",
    "Tariq",
    "Valentina",
    "Wei",
    "Yara",
    "Zainab",
    "Arjun",
    "Beatriz",
    "Cyrus",
    "Dmitri",
    "Esther",
    "Fatima",
    "Kwame",
]
LAST_NAMES = [
    "Adeyemi",
    "Berg",
    "Chowdhury",
    "Dubois",
    "Eriksen",
    "Fernández",
    "García",
    "Haddad",
    "Ivanova",
    "Johansson",
    "Kim",
    "López",
    "Mensah",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Qureshi",
    "Rossi",
    "Silva",
    "Tanaka",
    "Usman",
    "Varga",
    "Wójcik",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Andersen",
    "Banerjee",
    "Costa",
    "Diallo",
    "Estrada",
    "Fischer",
    "Gupta",
    "Hansen",
    "Ibrahim",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nguyen",
    "Osei",
    "Park",
]
TIMEZONES = [
    "Europe/Oslo",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Toronto",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Manila",
    "Asia/Tokyo",
    "Australia/Sydney",
]
GOALS = [
    (
        "Land a junior data analyst role",
        "3 applications a week and 2 interviews by the due date",
        "5 hours a week next to my current job",
        "Moving from retail management into analytics",
    ),
    (
        "Publish a UX portfolio site",
        "3 case studies online with outcomes and metrics",
        "10 hours a week, reviewed every session",
        "Needed for every design application I send",
    ),
    (
        "Pass the AWS Cloud Practitioner exam",
        "80% or more on two full practice exams",
        "An hour a day with the official course",
        "My team is moving to the cloud this year",
    ),
    (
        "Give a talk at a local meetup",
        "A 20-minute talk delivered, with slides shared",
        "One rehearsal a week with my mentor",
        "Building confidence and visibility in the community",
    ),
    (
        "Ship a budgeting app in React",
        "Deployed with login, budgets and monthly reports",
        "Weekends, one feature at a time",
        "A portfolio project for front-end roles",
    ),
    (
        "Negotiate a promotion to team lead",
        "A written case and a meeting with my manager",
        "Gather evidence of impact every week",
        "The next step in my engineering career",
    ),
    (
        "Finish a product management course",
        "All 8 modules and the capstone project done",
        "Two evenings a week",
        "Switching from support into product",
    ),
    (
        "Write a grant proposal for my nonprofit",
        "A complete proposal submitted to one funder",
        "A section a week, reviewed by my mentor",
        "Funding for our youth coding program",
    ),
    (
        "Learn SQL for reporting",
        "Rebuild our 5 monthly reports with SQL queries",
        "30 minutes a day of practice",
        "Automating reporting in my current job",
    ),
    (
        "Grow my freelance design client base",
        "3 new paying clients",
        "Outreach to 5 prospects a week",
        "Going full-time freelance next year",
    ),
    (
        "Prepare for system design interviews",
        "6 mock interviews rated 'hire' by my mentor",
        "One design problem every other day",
        "Applying for senior backend roles",
    ),
    (
        "Improve my public writing",
        "6 blog posts published, one every two weeks",
        "Drafts on Sundays, edits midweek",
        "Showing my expertise in accessibility",
    ),
]
PROGRESS_NOTES = [
    "Finished the first draft and shared it for review",
    "Completed two practice exercises this week",
    "Sent out applications and got one reply",
    "Rewrote the introduction after feedback",
    "Halfway through the course modules",
    "Rehearsed once and timed it: 24 minutes, needs trimming",
    "Deployed a first version and asked friends to test it",
    "Collected evidence of impact from last quarter",
    "Blocked out study time in my calendar and kept to it",
    "Reached the milestone we set last session",
]
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
COMMUNITY_EVENTS = [
    (CommunityEventKind.MENTOR_CIRCLE, "Mentor circle: feedback that lands"),
    (CommunityEventKind.MENTOR_CIRCLE, "Mentor circle: celebrating small wins"),
    (CommunityEventKind.TRAINING, "Training: inclusive language in mentorship"),
    (CommunityEventKind.TRAINING, "Training: setting SMART goals together"),
    (CommunityEventKind.WEBINAR, "Webinar: cultural sensitivity across time zones"),
    (CommunityEventKind.WEBINAR, "Webinar: privacy and confidentiality for mentors"),
]
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


@dataclass(eq=False)
class _Mentor:
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
class _Protege:
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
    mentor: _Mentor | None = None
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

Action = Callable[[], Awaitable[None]]


class _Simulation:
    def __init__(
        self,
        organization: Organization,
        admin: Actor,
        size: DemoSize,
        seed: int,
        start: datetime,
        end: datetime,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.rng = random.Random(seed)
        self.organization, self.admin, self.size = organization, admin, size
        self.start, self.end, self.progress = start, end, progress
        self.clock = FixedClock(start)
        self.acting = Acting(organization.id)
        self.queue: list[tuple[datetime, int, Action]] = []
        self.order = itertools.count()
        self.rejected: Counter = Counter()
        self.mentors: list[_Mentor] = []
        self.proteges: list[_Protege] = []
        self.by_id: dict[int, _Mentor | _Protege] = {}
        self.due: dict[int, datetime] = {}  # deadline id -> the hour whose sweep fires it, as last scheduled
        self.hours: dict[datetime, set[int]] = {}  # and the other way round
        self.days = (end - start).days + 1

    # --- the engine ----------------------------------------------------------------------------

    def at(self, when: datetime, action: Action) -> None:
        """Run `action` at `when`; anything due after the end of the story is left for the real clock."""
        when = max(when, self.clock.now())
        if when <= self.end:
            heapq.heappush(self.queue, (when, next(self.order), action))

    def later(self, lo: float, hi: float, unit: timedelta = DAY) -> datetime:
        return self.clock.now() + unit * self.rng.uniform(lo, hi)

    def office(self, when: datetime, first: int = 8, last: int = 19) -> datetime:
        """`when`'s day, at a round quarter hour in the working day."""
        hour, minute = self.rng.randint(first, last - 1), self.rng.choice((0, 15, 30, 45))
        return datetime.combine(when.date(), time(hour, minute), tzinfo=UTC)

    def days_before_end(self, lo: float, hi: float) -> datetime:
        return self.office(self.end - DAY * self.rng.uniform(lo, hi))

    async def run(self) -> None:
        self.cast()
        for day in range(self.days):
            self.at(self.start + day * DAY, partial(self.tick, day))
            self.at(self.start + day * DAY + 23 * HOUR + 59 * timedelta(minutes=1), self.sweep)  # the catch-up sweep
        evaluation = self.start + BADGE_EVERY + 3 * HOUR  # when the worker's nightly job runs
        while evaluation <= self.end:
            self.at(evaluation, self.evaluate)
            evaluation += BADGE_EVERY
        unregister = on_scheduled(self.deadline_scheduled)
        try:
            while self.queue:
                when, _, action = heapq.heappop(self.queue)
                self.clock.set(when)
                await action()
        finally:
            unregister()
        self.clock.set(self.end)
        await sweep(self.clock)
        await evaluate_badges(clock=self.clock, organization_id=self.organization.id)
        if self.progress:
            self.progress(self.days, self.days)

    async def deadline_scheduled(self, deadline: Deadline) -> None:
        """A sweep at the top of the hour after a deadline falls due, like a coarse worker cron.

        Only hours with something due get a sweep; a deadline moved later (the inactivity horizon
        moves with every activity) leaves its old hour without one.
        """
        hour = deadline.due_at.replace(minute=0, second=0, microsecond=0) + HOUR
        if (before := self.due.get(deadline.id)) is not None:
            self.hours[before].discard(deadline.id)
        self.due[deadline.id] = hour
        if hour not in self.hours:
            self.hours[hour] = set()
            self.at(hour, partial(self.sweep_hour, hour))
        self.hours[hour].add(deadline.id)

    async def sweep_hour(self, hour: datetime) -> None:
        fired = self.hours.pop(hour, set())
        for deadline_id in fired:
            del self.due[deadline_id]
        if fired:
            await sweep(self.clock)

    async def sweep(self) -> None:
        await sweep(self.clock)

    async def tick(self, day: int) -> None:
        if self.progress:
            self.progress(day, self.days)

    async def evaluate(self) -> None:
        await evaluate_badges(clock=self.clock, participant_ids=[p.id for p in self.everyone() if p.id])

    def everyone(self) -> list[_Mentor | _Protege]:
        return [*self.mentors, *self.proteges]

    async def record(self, command: ActivityCommand, kind: str) -> Any:
        """Record an activity through the one activity use case (badges are evaluated on their own schedule),
        or count its refusal; returns the row or None."""
        result = await record_activity(self.acting, command, clock=self.clock, evaluate=False)
        if isinstance(result, (InvalidInput, NotFound, NotPermitted)):
            self.rejected[(kind, type(result).__name__)] += 1
            return None
        return result

    async def decide(
        self, participant_id: int, event: str, reason: str, evidence: dict | None = None, **params: Any
    ) -> bool:
        """An admin decision, through the one use case every standing change goes through."""
        result = await apply_event(
            StandingCommand(
                participant_id,
                event,
                self.admin,
                reason,
                evidence=evidence or {},
                params=params,
                organization_id=self.organization.id,
            ),
            clock=self.clock,
        )
        if not isinstance(result, TransitionApplied):
            self.rejected[(event, type(result).__name__)] += 1
        return isinstance(result, TransitionApplied)

    # --- casting: who joins when, and what their story is ---------------------------------------

    def cast(self) -> None:
        rng, n = self.rng, self.size.mentors
        stories = [script for script in MENTOR_SCRIPTS for _ in range(max(1, round(n * 0.015)))]
        lapsing = max(1, round(n * 0.10))
        slipping = max(1, round(n * 0.04))
        steady = max(1, min(round(n * 0.30), n - len(stories) - lapsing - slipping - 2))
        stories += ["lapsing"] * lapsing + ["slipping"] * slipping + ["steady"] * steady
        stories += ["exemplary"] * (n - len(stories))
        rng.shuffle(stories)
        for index, story in enumerate(stories):
            # A quarter of the mentors (and those who will lapse) are there from the start; the rest
            # join over the first six weeks.
            early = index < max(3, n // 4) or story in {"lapsing", "slipping"}
            joined = self.start + DAY * (rng.uniform(0, 2) if early else rng.uniform(2, 45))
            self.mentors.append(self.mentor_story(story, self.office(joined)))

        m = self.size.proteges
        stories = [story for story, share, least in PROTEGE_STORIES for _ in range(max(least, round(m * share)))]
        stories += ["engaged"] * (m - len(stories))
        rng.shuffle(stories)
        for story in stories:
            self.proteges.append(self.protege_story(story))
        for person in sorted(self.everyone(), key=lambda p: p.joined):
            self.at(person.joined, partial(self.register, person))

    def mentor_story(self, story: str, joined: datetime) -> _Mentor:
        rng = self.rng
        mentor = _Mentor(story, joined, weight=WEIGHTS.get(story, 1.0))
        if story == "steady":  # good, with one weakness that keeps the badge out of reach now and then
            weakness = rng.choice(("community", "notes", "replies"))
            mentor.community_every = None if weakness == "community" else (60, 120)
            mentor.notes_on_time = 0.7 if weakness == "notes" else 0.95
            mentor.replies_on_time = 0.8 if weakness == "replies" else 0.97
        elif story == "lapsing":  # exemplary, until they stop keeping up
            mentor.lapses_at = self.days_before_end(50, 80)
        elif story == "slipping":  # exemplary, but lets the calendar run out days before the end: at risk
            mentor.calendar_ends_at = self.office(self.end - DAY * rng.uniform(3, 8))
        elif story in MENTOR_SCRIPTS:
            mentor.notes_on_time, mentor.replies_on_time, mentor.community_every = 0.8, 0.9, None
            first = self.script(mentor, story)
            mentor.joined = (
                min(joined, first - 20 * DAY) if story != "notice_decays" else self.office(self.start, 8, 10)
            )
            mentor.joined = max(mentor.joined, self.office(self.start, 8, 10))
        return mentor

    def script(self, m: _Mentor, story: str) -> datetime:
        """Schedule a mentor's admin decisions (the machine's ladder); returns the first one's time."""
        rng, at, end = self.rng, self.at, self.end
        notice_reasons = [
            (
                "Missed two sessions without notice (Mentor Code 3: show up on time or reschedule in advance)",
                "missed_sessions",
            ),
            ("Session summaries repeatedly later than 48 hours (Mentor Code 3)", "late_notes"),
            ("A mentee reported dismissive comments in a session (Mentor Code 1 and 6)", "report"),
        ]
        privacy = ("Posted a mentee's goal details in a public forum (Mentor Code 4: privacy)", "report")
        if story == "notice_decays":
            notice = self.office(self.start + DAY, 10, 16)  # decays 180 days later, by the system
        elif story == "notice_recent":
            notice = self.days_before_end(6, 35)
        elif story == "notice_cleared":
            notice = self.days_before_end(100, 120)
        elif story == "suspended":
            notice = self.days_before_end(50, 70)
        elif story == "suspension_served":
            notice = self.days_before_end(110, 130)
        elif story == "removed_after_suspension":
            notice = self.days_before_end(80, 100)
        elif story == "removed_recently":
            notice = self.days_before_end(25, 35)
        else:  # removal_undone
            notice = self.days_before_end(70, 90)
        reason, kind = privacy if story == "notice_decays" else rng.choice(notice_reasons)
        m.misses = (notice - 28 * DAY, notice) if kind == "missed_sessions" else None
        at(notice, partial(self.notice, m, reason, kind))
        days = lambda lo, hi, base=notice: self.office(base + DAY * rng.uniform(lo, hi))  # noqa: E731
        if story == "notice_cleared":
            at(
                days(45, 60),
                partial(
                    self.admin_step,
                    m,
                    "clear_notice",
                    "Support plan completed: two months of on-time sessions and notes since the notice",
                ),
            )
        elif story == "suspended":
            suspend = self.days_before_end(6, 25)
            at(suspend, partial(self.suspend, m, self.office(end + DAY * rng.uniform(10, 40))))
        elif story == "suspension_served":
            suspend = days(10, 20)
            at(suspend, partial(self.suspend, m, self.office(suspend + DAY * rng.uniform(14, 28))))
        elif story == "removed_after_suspension":
            suspend = days(10, 15)
            at(suspend, partial(self.suspend, m, self.office(suspend + 45 * DAY)))
            at(
                self.office(suspend + DAY * rng.uniform(10, 20)),
                partial(
                    self.remove,
                    m,
                    "Final action: a second mentee reported harassment during the suspension (Mentor Code 1)",
                ),
            )
        elif story == "removed_recently":
            at(
                days(5, 10),
                partial(
                    self.remove,
                    m,
                    "Final action: asked a mentee for payment outside the platform "
                    "(Mentor Code 1: advice not influenced by personal gain)",
                ),
            )
        elif story == "removal_undone":
            removal = days(10, 15)
            at(removal, partial(self.remove, m, "Final action: mentee's report of abusive messages"))
            at(self.office(removal + DAY * rng.uniform(3, 10)), partial(self.undo_removal, m))
        return notice

    def protege_story(self, story: str) -> _Protege:
        rng, end = self.rng, self.end
        # The program grows: more protégés joined lately than in its first months.
        joined = self.start + DAY * (3 + 135 * rng.random() ** 0.45)
        p = _Protege(story, joined)
        if story == "casual":
            p.sessions_every, p.progress_every, p.feedback, p.replies_on_time = (21, 35), (20, 40), 0.5, 0.93
        elif story == "newcomer":
            p.joined = end - DAY * rng.uniform(4, 24)
        elif story in {"drifts_away", "drifts_back"}:  # engaged long enough to earn a badge, then gone
            p.joined = self.start + DAY * rng.uniform(3, 25)
            p.stops_at = p.joined + DAY * rng.uniform(45, 70)
            if story == "drifts_back":  # back a few days after the 60-day inactivity warning
                p.returns_at = self.office(p.stops_at + DAY * rng.uniform(72, 80))
        elif story in {"misses_sessions", "misses_then_approved"}:
            p.joined = self.start + DAY * rng.uniform(3, 90)
            p.misses_from, p.misses_left = end - DAY * rng.uniform(40, 50), 2
            p.approve_reminder = story == "misses_then_approved"
        elif story in {"goes_silent", "silent_then_reviewed"}:
            p.joined = self.start + DAY * rng.uniform(3, 60)
            p.silent_from = end - DAY * rng.uniform(42, 55)
            if story == "silent_then_reviewed":
                p.review_at = self.office(p.silent_from + DAY * rng.uniform(30, 36))
        elif story == "between_goals":  # engaged, until every goal is achieved a few days before the end
            p.joined = self.start + DAY * rng.uniform(3, 30)
            p.between_goals_from = self.office(end - DAY * rng.uniform(3, 8))
        elif story == "on_leave":
            p.joined = self.start + DAY * rng.uniform(3, 50)
            leave_start = self.office(end - DAY * rng.uniform(65, 75))
            p.leave = (leave_start, leave_start + DAY * rng.uniform(35, 42))
        p.joined = self.office(p.joined)
        return p

    # --- joining -------------------------------------------------------------------------------

    async def register(self, person: _Mentor | _Protege) -> None:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        index = len(self.by_id) + 1
        email = f"{_ascii(first)}.{_ascii(last)}.{index}@{EMAIL_DOMAIN}".lower()
        role = Role.MENTOR if isinstance(person, _Mentor) else Role.PROTEGE
        row = await register_participant(
            organization_id=self.organization.id,
            role=role,
            profile=ProfileInput(f"{first} {last}", email, rng.choice(TIMEZONES)),
            clock=self.clock,
        )
        assert isinstance(row, Participant), row  # generated profiles are always valid
        person.id = row.id
        self.by_id[row.id] = person
        if isinstance(person, _Mentor):
            await self.mentor_joins(person)
        else:
            await self.protege_joins(person)

    async def mentor_joins(self, m: _Mentor) -> None:
        rng = self.rng
        for title, description, minutes in rng.sample(OFFERINGS, rng.choice((1, 1, 2))):
            await self.record(
                CreateServiceOffering(mentor_id=m.id, title=title, description=description, duration_minutes=minutes),
                "offering",
            )
        await self.open_calendar(m)
        if m.community_every:
            self.at(self.later(3, 20), partial(self.community, m))

    async def protege_joins(self, p: _Protege) -> None:
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

    def choose_mentor(self, p: _Protege) -> _Mentor:
        now = self.clock.now()
        pool = [m for m in self.mentors if m.visible(now)] or [m for m in self.mentors if m.id]
        return self.rng.choices(pool, weights=[m.weight / (1 + m.load) for m in pool])[0]

    def mentor_for(self, p: _Protege) -> _Mentor:
        """The protégé's mentor, or a new one when theirs cannot be booked any more."""
        assert p.mentor is not None
        if not p.mentor.visible(self.clock.now()):
            p.mentor.load -= 1
            p.mentor = self.choose_mentor(p)
            p.mentor.load += 1
        return p.mentor

    # --- protégé activity ----------------------------------------------------------------------

    async def new_goal(self, p: _Protege) -> None:
        specific, measurable, achievable, relevant = self.rng.choice(GOALS)
        due_on = (self.clock.now() + DAY * self.rng.uniform(60, 150)).date()
        goal = await self.record(
            CreateGoal(
                protege_id=p.id,
                mentor_id=p.mentor.id if p.mentor else None,
                goal=SmartGoal(specific, measurable, achievable, relevant, due_on),
            ),
            "goal",
        )
        if goal:
            p.goals[goal.id] = 0

    async def achieve_every_goal(self, p: _Protege) -> None:
        """No active goal is left: the badge's first criterion lapses, and the badge is at risk, not gone."""
        for goal_id in sorted(p.goals):
            await self.record(SetGoalStatus(goal_id=goal_id, status=GoalStatus.ACHIEVED), "goal_status")
        p.goals.clear()

    async def log_progress(self, p: _Protege, once: bool = False) -> None:
        now = self.clock.now()
        if p.between_goals_from and now >= p.between_goals_from:
            return  # between goals: nothing to report progress on
        if p.active(now):
            if not p.goals:
                await self.new_goal(p)
            goal_id = self.rng.choice(sorted(p.goals))
            percent = min(100, p.goals[goal_id] + self.rng.randint(8, 25))
            update = await self.record(
                LogGoalProgress(goal_id=goal_id, note=self.rng.choice(PROGRESS_NOTES), percent_complete=percent),
                "progress",
            )
            p.goals[goal_id] = percent
            if update and percent == 100:
                await self.record(SetGoalStatus(goal_id=goal_id, status=GoalStatus.ACHIEVED), "goal_status")
                del p.goals[goal_id]
                await self.new_goal(p)
        if not once:
            self.at(self.later(*p.progress_every), partial(self.log_progress, p))

    async def plan_session(self, p: _Protege) -> None:
        now, rng = self.clock.now(), self.rng
        if not p.active(now):
            self.at(self.later(1, 3), partial(self.plan_session, p))
            return
        scheduled = self.office(self.later(1, 5), 9, 19)
        session = await self.book(p, scheduled)
        if session and rng.random() < 0.25:  # the protégé writes ahead of the session
            self.at(self.later(1, 12, HOUR), partial(self.message, p.id, session.mentor_id))
        self.at(scheduled + DAY * rng.uniform(*p.sessions_every), partial(self.plan_session, p))

    async def book(self, p: _Protege, scheduled: datetime) -> MentorshipSession | None:
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
        self, p: _Protege, m: _Mentor, scheduled: datetime
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
        p: _Protege,
        m: _Mentor,
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

    async def check_reminder(self, p: _Protege) -> None:
        standing = await Participant.filter(id=p.id).values_list("standing", flat=True)
        if standing and standing[0] == "reminder" and not p.in_reminder:
            p.in_reminder = True  # the rule sent a reminder: bookings now need an admin's approval
            if p.approve_reminder:
                self.at(self.office(self.later(2, 6)), partial(self.approve_reschedule, p))

    async def rebook(self, p: _Protege, scheduled: datetime) -> None:
        if p.active(self.clock.now()):
            await self.book(p, self.office(scheduled, 9, 19))

    def notes_time(self, m: _Mentor) -> datetime:
        notes_on_time = 0.6 if m.lapsed(self.clock.now()) else m.notes_on_time
        if self.rng.random() < notes_on_time:
            return self.later(1, 40, HOUR)
        return self.later(50, 120, HOUR)

    async def write_notes(self, m: _Mentor, session_id: int) -> None:
        if not m.removed(self.clock.now()):
            await self.record(SubmitSessionNote(session_id=session_id, body=self.rng.choice(SESSION_NOTES)), "note")

    async def give_feedback(self, p: _Protege, session_id: int) -> None:
        if p.active(self.clock.now()):
            body, rating = self.rng.choice(FEEDBACK)
            await self.record(SubmitSessionFeedback(session_id=session_id, body=body, rating=rating), "feedback")

    # --- messages ------------------------------------------------------------------------------

    async def message(self, sender_id: int, recipient_id: int) -> None:
        message = await self.record(SendMessage(sender_id=sender_id, recipient_id=recipient_id), "message")
        if message is None:
            return
        recipient = self.person(recipient_id)
        on_time = recipient.replies_on_time
        if isinstance(recipient, _Mentor) and recipient.lapsed(self.clock.now()):
            on_time = 0.85
        roll = self.rng.random()
        if roll < on_time:
            self.at(self.later(0.5, 40, HOUR), partial(self.respond, recipient, message.id))
        elif roll < on_time + (1 - on_time) * 0.7:  # late; the rest never answer
            self.at(self.later(50, 90, HOUR), partial(self.respond, recipient, message.id))

    async def respond(self, recipient: _Mentor | _Protege, message_id: int) -> None:
        now = self.clock.now()
        if recipient.active(now) if isinstance(recipient, _Protege) else not recipient.removed(now):
            await self.record(RespondToMessage(message_id=message_id), "response")

    async def check_in(self, p: _Protege) -> None:
        """A mentor writes to a protégé who has gone quiet (Protégé Code 4: respond within 48 hours)."""
        if not p.reviewed_at:
            await self.record(SendMessage(sender_id=self.mentor_for(p).id, recipient_id=p.id), "message")

    def person(self, participant_id: int) -> _Mentor | _Protege:
        return self.by_id[participant_id]

    # --- mentor activity -----------------------------------------------------------------------

    async def open_calendar(self, m: _Mentor) -> None:
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

    async def community(self, m: _Mentor) -> None:
        now = self.clock.now()
        if m.lapsed(now) or not m.community_every:
            return
        if m.visible(now):
            kind, title = self.rng.choice(COMMUNITY_EVENTS)
            await self.record(RecordCommunityEvent(participant_id=m.id, kind=kind, title=title), "community_event")
        self.at(self.office(self.later(*m.community_every), 12, 18), partial(self.community, m))

    # --- admin decisions -----------------------------------------------------------------------

    async def notice(self, m: _Mentor, reason: str, kind: str) -> None:
        evidence: dict[str, Any] = {"code_section": "Mentor Code of Conduct, Violations & Review"}
        if kind == "missed_sessions" and m.missed:
            evidence["missed_sessions"] = m.missed[-4:]
        elif kind == "late_notes":
            late = await SessionNote.filter(session__mentor_id=m.id, on_time=False).values_list("session_id", flat=True)
            evidence["late_notes_for_sessions"] = sorted(late)[-4:]
        else:
            evidence["report"] = "mentee report filed with the program admin"
        await self.decide(m.id, "issue_notice", reason, evidence)

    async def admin_step(self, m: _Mentor, event: str, reason: str) -> None:
        await self.decide(m.id, event, reason)

    async def suspend(self, m: _Mentor, until: datetime) -> None:
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

    async def remove(self, m: _Mentor, reason: str) -> None:
        if await self.decide(m.id, "remove", reason, {"code_section": "Violations & Review, Final Action"}):
            if m.hidden and m.hidden[-1][1] and m.hidden[-1][1] > self.clock.now():
                m.hidden[-1][1] = self.clock.now()
            m.hidden.append([self.clock.now(), None])
            await self.cancel_sessions(m)

    async def undo_removal(self, m: _Mentor) -> None:
        if await self.decide(
            m.id, "undo_removal", "The report concerned another mentor; removal undone, the earlier notice stays"
        ):
            m.hidden[-1][1] = self.clock.now()

    async def cancel_sessions(self, m: _Mentor) -> None:
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

    async def approve_reschedule(self, p: _Protege) -> None:
        if await self.decide(
            p.id, "approve_reschedule", "Talked it through with the protégé; rescheduling approved and sessions resume"
        ):
            p.in_reminder = False

    async def review(self, p: _Protege) -> None:
        """Protégé Code, Ineligibility: after program review, an admin restores good standing."""
        if await self.decide(
            p.id,
            "restore_good_standing",
            "Program review done: agreed a weekly check-in plan with the mentor",
            {"program_review": "completed"},
        ):
            p.reviewed_at, p.replies_on_time = self.clock.now(), 1.0
            self.at(self.later(0.2, 1), partial(self.log_progress, p, once=True))

    async def grant_leave(self, p: _Protege) -> None:
        assert p.leave
        result = await grant_leave(
            organization_id=self.organization.id,
            participant_id=p.id,
            starts_at=p.leave[0],
            ends_at=p.leave[1],
            reason="Family leave agreed with the program: clocks paused",
            granted_by=self.admin,
            clock=self.clock,
        )
        if isinstance(result, (InvalidInput, NotFound)):
            self.rejected[("leave", type(result).__name__)] += 1


def _ascii(name: str) -> str:
    name = name.replace("ø", "o").replace("Ø", "O")
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or "x"


async def build_demo(
    *,
    slug: str = DEMO_SLUG,
    name: str | None = None,
    size: DemoSize = DemoSize(),
    seed: int = DEFAULT_SEED,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """Fill organization `slug` (display name `name`) with a simulated program that ends at `now`; all or nothing.

    The demo has an organization of its own: one that already has participants is refused, so the demo never
    mixes with someone's real data, such as the quick start's. The sweep knows no organizations: overdue
    deadlines elsewhere in the database would fire at simulated times, so run the demo on a fresh
    database or on one whose deadlines are current (a running server keeps them so).
    """
    if problem := size.problem():
        raise DemoRefused(problem)
    end = now.astimezone(UTC)
    start = datetime.combine((end - DAYS * DAY).date(), time(0), tzinfo=UTC)
    async with transaction():
        organization = await Organization.filter(slug=slug).first()
        if (
            organization
            and await Participant.filter(organization_id=organization.id, email__endswith=f"@{EMAIL_DOMAIN}").exists()
        ):
            raise DemoRefused(
                f"organization '{slug}' already has the demo's participants; "
                f"pass --org with another slug to build a second one"
            )
        if organization and await Participant.filter(organization_id=organization.id).exists():
            raise DemoRefused(
                f"organization '{slug}' already has participants of its own; the demo fills an organization "
                "of its own: pass --org with a new slug"
            )
        clock = FixedClock(start)
        display_name = name or (DEMO_NAME if slug == DEMO_SLUG else slug)
        organization = organization or await get_or_create_organization(slug, clock, name=display_name)
        issued = await create_token(
            organization=organization, role=TokenRole.ADMIN, clock=clock, label="standing demo: the program admin"
        )
        assert not isinstance(issued, (InvalidInput, NotFound)), issued
        simulation = _Simulation(organization, Actor.admin(issued.token.id), size, seed, start, end, progress)
        await simulation.run()
        return DemoResult(
            organization=organization,
            admin_token=issued.secret,
            rejected=simulation.rejected,
            **await census(organization.id, end),
        )


async def census(organization_id: int, now: datetime) -> dict[str, dict]:
    """What an organization holds: standings and badge statuses by role, and its rows by kind."""
    standings: Counter = Counter()
    for row in (
        await Participant.filter(organization_id=organization_id)
        .group_by("role", "standing")
        .annotate(n=Count("id"))
        .values("role", "standing", "n")
    ):
        standings[(Role(row["role"]).value, row["standing"])] += row["n"]
    badges: Counter = Counter()
    roles = dict(await Participant.filter(organization_id=organization_id).values_list("id", "role"))
    held = dict(await BadgeRecord.filter(participant_id__in=list(roles)).values_list("participant_id", "state"))
    for participant_id, role in roles.items():
        badges[(Role(role).value, held.get(participant_id, "none"))] += 1
    mine = {"participant__organization_id": organization_id}
    sessions = {"session__organization_id": organization_id}
    now_messages = Message.filter(organization_id=organization_id)
    rows: dict[str, int] = {
        "mentors": standings_total(standings, Role.MENTOR),
        "proteges": standings_total(standings, Role.PROTEGE),
        "goals": await Goal.filter(organization_id=organization_id).count(),
        "progress_updates": await GoalProgress.filter(goal__organization_id=organization_id).count(),
        "availability_windows": await AvailabilityWindow.filter(mentor__organization_id=organization_id).count(),
        "offerings": await ServiceOffering.filter(mentor__organization_id=organization_id).count(),
    }
    for status in SessionStatus:
        rows[f"sessions_{status.value}"] = await MentorshipSession.filter(
            organization_id=organization_id, status=status
        ).count()
    rows["notes_on_time"] = await SessionNote.filter(**sessions, on_time=True).count()
    rows["notes_late"] = await SessionNote.filter(**sessions, on_time=False).count()
    rows["feedback"] = await SessionFeedback.filter(**sessions).count()
    answered = await now_messages.filter(responded_at__not_isnull=True).values_list("responded_at", "respond_by")
    rows["messages_answered_on_time"] = sum(1 for responded, due in answered if responded <= due)
    rows["messages_answered_late"] = sum(1 for responded, due in answered if responded > due)
    rows["messages_never_answered"] = await now_messages.filter(responded_at=None, respond_by__lte=now).count()
    rows["messages_awaiting_answer"] = await now_messages.filter(responded_at=None, respond_by__gt=now).count()
    rows["community_events"] = await CommunityAttendance.filter(**mine).count()
    rows["excused_leaves"] = await ExcusedLeave.filter(**mine).count()
    rows["nudges"] = await Nudge.filter(**mine).count()
    rows["deadlines"] = await Deadline.filter(**mine).count()
    rows["transitions"] = await TransitionRecord.filter(organization_id=organization_id).count()
    return {"standings": dict(standings), "badges": dict(badges), "rows": rows}


def standings_total(standings: Counter, role: Role) -> int:
    return sum(n for (r, _), n in standings.items() if r == role.value)
