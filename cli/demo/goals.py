"""Protégés' SMART goals: created, progressed and achieved."""

from __future__ import annotations

from functools import partial

from cli.demo.engine import Engine
from cli.demo.options import DAY
from cli.demo.people import Protege
from domain.activity.goals import CreateGoal, LogGoalProgress, SetGoalStatus, SmartGoal
from domain.models import GoalStatus

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


class Goals(Engine):
    """Goals and their progress updates."""

    async def new_goal(self, p: Protege) -> None:
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

    async def achieve_every_goal(self, p: Protege) -> None:
        """No active goal is left: the badge's first criterion lapses, and the badge is at risk, not gone."""
        for goal_id in sorted(p.goals):
            await self.record(SetGoalStatus(goal_id=goal_id, status=GoalStatus.ACHIEVED), "goal_status")
        p.goals.clear()

    async def log_progress(self, p: Protege, once: bool = False) -> None:
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
