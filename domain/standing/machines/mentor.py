"""Mentor standing — Mentor Code of Conduct, "Violations & Review".

good → first_notice (written reminder, support offered) → suspended (profile hidden until an end
time) → removed (off the platform). The ways back are an admin's: lift a suspension, clear a
notice, undo a mistaken removal within the grace period. The system may lift a suspension once
its end time has passed and clear a notice once it has decayed.
"""

from __future__ import annotations

from datetime import datetime

from statemachine import State

from domain.kernel.roles import Role
from domain.standing.machines.base import StandingMachine, validator
from domain.standing.machines.context import TransitionContext


class MentorStanding(StandingMachine):
    role = Role.MENTOR
    hidden_states = frozenset({"suspended", "removed"})
    event_params = {"suspend": frozenset({"until"})}

    good = State("Good standing", initial=True)
    first_notice = State("First notice")
    suspended = State("Suspended")
    removed = State("Removed")

    issue_notice = good.to(first_notice, cond="actor_is_admin")
    suspend = first_notice.to(suspended, cond="actor_is_admin", validators=["until_in_future", "until_within_limit"])
    remove = first_notice.to(removed, cond="actor_is_admin") | suspended.to(removed, cond="actor_is_admin")
    lift_suspension = suspended.to(first_notice, cond="admin_or_suspension_over")
    clear_notice = first_notice.to(good, cond="admin_or_notice_decayed")
    undo_removal = removed.to(first_notice, cond=["actor_is_admin", "within_undo_grace"])

    @validator(field="until")
    def until_in_future(self, ctx: TransitionContext) -> bool:
        """the suspension's end time must be in the future"""
        until: datetime | None = ctx.params.get("until")
        return until is not None and until > ctx.now

    @validator(field="until")
    def until_within_limit(self, ctx: TransitionContext) -> bool:
        """the suspension may last at most the policy's maximum"""
        until: datetime | None = ctx.params.get("until")
        return until is not None and until <= ctx.now + ctx.policy.max_suspension.value

    def admin_or_suspension_over(self, ctx: TransitionContext) -> bool:
        """only an admin may lift a suspension before its end time"""
        until = self.model.suspended_until
        return ctx.actor.is_admin or (until is not None and ctx.now >= until)

    def admin_or_notice_decayed(self, ctx: TransitionContext) -> bool:
        """only an admin may clear a notice before it decays"""
        since = self.model.standing_since
        return ctx.actor.is_admin or ctx.now >= since + ctx.policy.notice_decay.value

    def within_undo_grace(self, ctx: TransitionContext) -> bool:
        """a removal can only be undone within the policy's grace period, or by deciding its appeal"""
        return ctx.overrules is not None or ctx.now <= self.model.standing_since + ctx.policy.removal_undo_grace.value
