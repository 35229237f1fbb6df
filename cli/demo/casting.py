"""Casting: who joins when, and the story each participant follows."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from cli.demo.joining import Joining
from cli.demo.options import DAY
from cli.demo.people import MENTOR_SCRIPTS, PROTEGE_STORIES, WEIGHTS, Mentor, Protege


class Casting(Joining):
    """Stories dealt out by share, and each mentor script's admin decisions scheduled."""

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

    def mentor_story(self, story: str, joined: datetime) -> Mentor:
        rng = self.rng
        mentor = Mentor(story, joined, weight=WEIGHTS.get(story, 1.0))
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

    def script(self, m: Mentor, story: str) -> datetime:
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

    def protege_story(self, story: str) -> Protege:
        rng, end = self.rng, self.end
        # The program grows: more protégés joined lately than in its first months.
        joined = self.start + DAY * (3 + 135 * rng.random() ** 0.45)
        p = Protege(story, joined)
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
