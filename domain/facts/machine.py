"""The fact machine: provisional → confirmed | disputed | withdrawn.

A fact is provisional for its dispute window. Either party disputes it within the window; the other side
may concede the dispute (the fact is withdrawn), or an admin resolves it: upheld or withdrawn. Undisputed,
it is confirmed when the window closes. The counterpart (whose record it is) or an admin may withdraw a fact
that was not disputed, even once confirmed: a withdrawn fact that had caused a step reverses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from statemachine import State, StateMachine

from domain.kernel.actors import Actor, ActorKind


@dataclass(frozen=True)
class FactContext:
    actor: Actor
    person: int | None  # the participant acting, if a participant (or an admin linked to one)
    subject_id: int
    counterpart_id: int
    disputed_by: int | None
    now: datetime
    dispute_until: datetime


class FactMachine(StateMachine):
    provisional = State("Provisional", initial=True)
    disputed = State("Disputed")
    confirmed = State("Confirmed")
    withdrawn = State("Withdrawn", final=True)

    dispute = provisional.to(disputed, cond=["actor_is_a_party", "within_the_window"])
    close_window = provisional.to(confirmed, cond=["actor_is_the_system", "window_closed"])
    concede = disputed.to(withdrawn, cond="actor_is_the_other_side")
    uphold = disputed.to(confirmed, cond="actor_is_admin")
    reject = disputed.to(withdrawn, cond="actor_is_admin")
    withdraw = provisional.to(withdrawn, cond="counterpart_or_admin") | confirmed.to(
        withdrawn, cond="counterpart_or_admin"
    )

    def actor_is_a_party(self, ctx: FactContext) -> bool:
        """only the two parties to a fact may dispute it"""
        return ctx.actor.kind is ActorKind.PARTICIPANT and ctx.person in (ctx.subject_id, ctx.counterpart_id)

    def within_the_window(self, ctx: FactContext) -> bool:
        """a fact is disputed within its dispute window"""
        return ctx.now <= ctx.dispute_until

    def actor_is_the_system(self, ctx: FactContext) -> bool:
        """only the fact's own deadline closes its window"""
        return ctx.actor.kind is ActorKind.SYSTEM

    def window_closed(self, ctx: FactContext) -> bool:
        """the dispute window has closed"""
        return ctx.now > ctx.dispute_until

    def actor_is_the_other_side(self, ctx: FactContext) -> bool:
        """only the party who did not dispute may concede the dispute"""
        parties = {ctx.subject_id, ctx.counterpart_id}
        return ctx.actor.kind is ActorKind.PARTICIPANT and ctx.person in parties - {ctx.disputed_by}

    def actor_is_admin(self, ctx: FactContext) -> bool:
        """an admin resolves a dispute"""
        return ctx.actor.is_admin

    def counterpart_or_admin(self, ctx: FactContext) -> bool:
        """a fact is withdrawn by the party whose record it is, or by an admin"""
        return ctx.actor.is_admin or (ctx.actor.kind is ActorKind.PARTICIPANT and ctx.person == ctx.counterpart_id)

    @classmethod
    def state_ids(cls) -> list[str]:
        return [state.id for state in cls.states]

    @classmethod
    def event_ids(cls) -> list[str]:
        return [event.id for event in cls.events]  # type: ignore[attr-defined]


# The states in which a fact counts toward the rules and the metrics.
COUNTING = frozenset({"confirmed"})
NOT_COUNTING = frozenset(FactMachine.state_ids()) - COUNTING


class _Holder:
    def __init__(self, state: str) -> None:
        self.state = state


def bind_fact(state: str) -> tuple[FactMachine, _Holder]:
    holder = _Holder(state)
    return FactMachine(model=holder, state_field="state"), holder
