"""The appeal machine: open → upheld | reduced | overturned | expired | withdrawn.

Only the appellant withdraws; only an admin who did not take the appealed step decides; only the appeal's
own deadline expires it.
"""

from __future__ import annotations

from dataclasses import dataclass

from statemachine import State, StateMachine

from domain.kernel.actors import Actor, ActorKind


@dataclass(frozen=True)
class AppealContext:
    actor: Actor
    appellant_id: int  # the participant who appealed
    step_taken_by: str  # the actor id of the appealed step


class AppealMachine(StateMachine):
    open = State("Open", initial=True)
    upheld = State("Upheld", final=True)
    reduced = State("Reduced", final=True)
    overturned = State("Overturned", final=True)
    expired = State("Expired", final=True)
    withdrawn = State("Withdrawn", final=True)

    uphold = open.to(upheld, cond=["actor_is_admin", "did_not_take_the_step"])
    reduce = open.to(reduced, cond=["actor_is_admin", "did_not_take_the_step"])
    overturn = open.to(overturned, cond=["actor_is_admin", "did_not_take_the_step"])
    expire = open.to(expired, cond="actor_is_the_system")
    withdraw = open.to(withdrawn, cond="actor_is_the_appellant")

    def actor_is_admin(self, ctx: AppealContext) -> bool:
        """only an admin decides an appeal"""
        return ctx.actor.is_admin

    def did_not_take_the_step(self, ctx: AppealContext) -> bool:
        """an appeal is decided by an admin who did not take the step appealed"""
        return ctx.actor.id != ctx.step_taken_by

    def actor_is_the_system(self, ctx: AppealContext) -> bool:
        """only the appeal's own deadline expires it"""
        return ctx.actor.kind is ActorKind.SYSTEM

    def actor_is_the_appellant(self, ctx: AppealContext) -> bool:
        """only the participant who appealed may withdraw the appeal"""
        return ctx.actor.kind is ActorKind.PARTICIPANT and ctx.actor.id == f"participant:{ctx.appellant_id}"

    @classmethod
    def state_ids(cls) -> list[str]:
        return [state.id for state in cls.states]

    @classmethod
    def event_ids(cls) -> list[str]:
        return [event.id for event in cls.events]  # type: ignore[attr-defined]


DECISIONS = ("uphold", "reduce", "overturn")


class _Holder:
    def __init__(self, state: str) -> None:
        self.state = state


def bind_appeal(state: str) -> tuple[AppealMachine, _Holder]:
    holder = _Holder(state)
    return AppealMachine(model=holder, state_field="state"), holder
