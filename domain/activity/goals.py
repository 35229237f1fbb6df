"""SMART goals and their progress (Protégé Code 2, Mentor Code 2 and 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.activity.acting import Acting, first_problem, member, text_problem
from domain.kernel.clock import Clock
from domain.kernel.instants import date_problem
from domain.kernel.rejections import ActivityRejection, InvalidInput, NotFound, NotPermitted
from domain.kernel.roles import Role
from domain.models import Goal, GoalProgress, GoalStatus, Participant


@dataclass(frozen=True)
class SmartGoal:
    specific: str
    measurable: str
    achievable: str
    relevant: str
    due_on: date


@dataclass(frozen=True)
class CreateGoal:
    protege_id: int
    goal: SmartGoal
    mentor_id: int | None = None


@dataclass(frozen=True)
class SetGoalStatus:
    goal_id: int
    status: GoalStatus


@dataclass(frozen=True)
class LogGoalProgress:
    goal_id: int
    note: str
    percent_complete: int | None = None
    author_id: int | None = None


async def create_goal(acting: Acting, cmd: CreateGoal, clock: Clock) -> Goal | ActivityRejection:
    now, goal = clock.now(), cmd.goal
    problem = first_problem(
        text_problem(goal.specific, "specific"),
        text_problem(goal.measurable, "measurable"),
        text_problem(goal.achievable, "achievable", 2000),
        text_problem(goal.relevant, "relevant", 2000),
        date_problem(goal.due_on, "dueOn"),
        InvalidInput("dueOn", "a time-bound goal is due in the future") if goal.due_on <= now.date() else None,
    )
    if problem:
        return problem
    protege = await member(acting, cmd.protege_id, Role.PROTEGE, "protegeId")
    if not isinstance(protege, Participant):
        return protege
    if cmd.mentor_id is not None:
        mentor = await member(acting, cmd.mentor_id, Role.MENTOR, "mentorId")
        if not isinstance(mentor, Participant):
            return mentor
    if not acting.may_act_for(cmd.protege_id):
        return NotPermitted("a goal is the protégé's own: only they, or an admin, create it")
    return await Goal.create(
        organization_id=acting.organization_id,
        protege_id=cmd.protege_id,
        mentor_id=cmd.mentor_id,
        specific=goal.specific.strip(),
        measurable=goal.measurable.strip(),
        achievable=goal.achievable.strip(),
        relevant=goal.relevant.strip(),
        due_on=goal.due_on,
        status=GoalStatus.ACTIVE,
        created_at=now,
        updated_at=now,
    )


async def _goal(acting: Acting, goal_id: int) -> Goal | ActivityRejection:
    goal = await Goal.filter(id=goal_id, organization_id=acting.organization_id).first()
    if goal is None:
        return NotFound("Goal", str(goal_id))
    if not (acting.may_act_for(goal.protege_id) or (goal.mentor_id and acting.may_act_for(goal.mentor_id))):
        return NotFound("Goal", str(goal_id))
    return goal


async def set_goal_status(acting: Acting, cmd: SetGoalStatus, clock: Clock) -> Goal | ActivityRejection:
    goal = await _goal(acting, cmd.goal_id)
    if not isinstance(goal, Goal):
        return goal
    goal.status, goal.updated_at = cmd.status, clock.now()
    await goal.save(update_fields=["status", "updated_at"])
    return goal


async def log_goal_progress(acting: Acting, cmd: LogGoalProgress, clock: Clock) -> GoalProgress | ActivityRejection:
    if problem := text_problem(cmd.note, "note", 5000):
        return problem
    if cmd.percent_complete is not None and not 0 <= cmd.percent_complete <= 100:
        return InvalidInput("percentComplete", "must be between 0 and 100")
    goal = await _goal(acting, cmd.goal_id)
    if not isinstance(goal, Goal):
        return goal
    author = acting.as_participant or cmd.author_id or goal.protege_id
    if author not in {goal.protege_id, goal.mentor_id}:
        return InvalidInput("authorId", "progress is logged by the goal's protégé or mentor")
    return await GoalProgress.create(
        goal_id=goal.id,
        author_id=author,
        note=cmd.note.strip(),
        percent_complete=cmd.percent_complete,
        created_at=clock.now(),
    )
