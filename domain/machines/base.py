"""What both standing machines share: guards that read a TransitionContext, and derived facts."""

from __future__ import annotations

from typing import Callable, ClassVar

from statemachine import StateMachine

from domain.actors import ActorKind
from domain.machines.context import TransitionContext
from domain.roles import Role


def guard(*, field: str | None = None) -> Callable[[Callable], Callable]:
    """Mark a guard method; `field` names the input it checks, so a failure is reported as bad input."""

    def mark(method: Callable) -> Callable:
        method.guard_field = field  # type: ignore[attr-defined]
        return method

    return mark


class StandingMachine(StateMachine):
    """Base for one role's standing machine, bound to a participant row's `standing` column."""

    _abstract = True
    role: ClassVar[Role]
    # States in which the participant's profile is hidden from the other role's listings.
    hidden_states: ClassVar[frozenset[str]] = frozenset()
    # States in which a protégé must get an admin's approval before booking.
    approval_states: ClassVar[frozenset[str]] = frozenset()
    # Event-specific inputs, e.g. {"suspend": {"until"}}; everything else takes only a reason.
    event_params: ClassVar[dict[str, frozenset[str]]] = {}

    @guard()
    def actor_is_admin(self, ctx: TransitionContext) -> bool:
        """only an admin may take this step"""
        return ctx.actor.is_admin

    @classmethod
    def state_ids(cls) -> list[str]:
        return [state.id for state in cls.states]

    @classmethod
    def event_ids(cls) -> list[str]:
        return [event.id for event in cls.events]

    @guard()
    def by_admin_or_system(self, ctx: TransitionContext) -> bool:
        """a participant's own activity never takes a punitive step"""
        return ctx.actor.kind is not ActorKind.PARTICIPANT

    def failed_guards(
        self, event: str, ctx: TransitionContext, *, include_input: bool = True
    ) -> list[Callable]:
        """The guards that stop `event` from the current state, in declaration order.

        With `include_input=False`, guards on event input (like a suspension's `until`) are
        skipped: the input is not known yet when a client asks what it may do.
        """
        failed: list[Callable] = []
        for transition in self.transitions_from(self.current_state_id):
            if transition.event != event:
                continue
            for name in (str(spec) for spec in transition.cond):
                method = getattr(self, name)
                if not include_input and method.guard_field is not None:
                    continue
                if not method(ctx):
                    failed.append(method)
        return failed

    def available_event_ids(self, ctx: TransitionContext) -> list[str]:
        """Events this actor may send now, before event input is checked: what `allowedEvents` shows."""
        events = dict.fromkeys(t.event for t in self.transitions_from(self.current_state_id))
        return [e for e in events if not self.failed_guards(e, ctx, include_input=False)]

    @property
    def current_state_id(self) -> str:
        return getattr(self.model, self.state_field)

    @classmethod
    def transitions_from(cls, state_id: str) -> list:
        state = next(s for s in cls.states if s.id == state_id)
        return list(state.transitions)
