"""What both standing machines share: guards and input validators that read a TransitionContext.

Guards (`cond=`) decide whether a step may be taken now; their docstrings are the reasons a refused
user reads. Validators (`validators=`) check an event's input, such as a suspension's `until`, and
raise `EventInputInvalid`, which the use case returns as bad input. `allowedEvents` is the library's
`enabled_events`: every guard evaluated, no input checked, since input is not known before it is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from statemachine import StateMachine

from domain.kernel.actors import ActorKind
from domain.kernel.roles import Role
from domain.standing.machines.context import TransitionContext

GENERIC_REFUSAL = "a condition of this step is not met"


class EventInputInvalid(Exception):
    """An event's input breaks a rule of the step, e.g. a suspension that ends in the past."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


def validator(field: str) -> Callable[[Callable[..., bool]], Callable[..., None]]:
    """Turn a predicate on the context into a validator that raises with the predicate's docstring."""

    def wrap(predicate: Callable[..., bool]) -> Callable[..., None]:
        def validate(self: Any, ctx: TransitionContext) -> None:
            if not predicate(self, ctx):
                raise EventInputInvalid(field, predicate.__doc__ or "invalid")

        validate.__name__, validate.__doc__ = predicate.__name__, predicate.__doc__
        return validate

    return wrap


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

    def actor_is_admin(self, ctx: TransitionContext) -> bool:
        """only an admin may take this step"""
        return ctx.actor.is_admin

    def admin_or_reversal(self, ctx: TransitionContext) -> bool:
        """only an admin may take this step, unless the system reverses a step whose fact was withdrawn"""
        return ctx.actor.is_admin or (ctx.actor.kind is ActorKind.SYSTEM and ctx.overrules is not None)

    def by_admin_or_system(self, ctx: TransitionContext) -> bool:
        """a participant's own activity never takes a punitive step"""
        return ctx.actor.kind in (ActorKind.ADMIN, ActorKind.SYSTEM)

    @classmethod
    def state_ids(cls) -> list[str]:
        return [state.id for state in cls.states]

    @classmethod
    def event_ids(cls) -> list[str]:
        return [event.id for event in cls.events]  # type: ignore[attr-defined]  # a class-level list of events

    @classmethod
    def events_from(cls, state_id: str) -> list[str]:
        """Every event with a transition out of `state_id`, whoever sends it."""
        state = next(s for s in cls.states if s.id == state_id)
        return list(dict.fromkeys(event for t in state.transitions for event in t.events))

    def allowed_event_ids(self, ctx: TransitionContext) -> list[str]:
        """Events this actor may send now, before event input is checked: what `allowedEvents` shows."""
        return [event.id for event in self.enabled_events(ctx=ctx)]

    def refusal_reasons(self, event: str, ctx: TransitionContext) -> list[str]:
        """Why `event` is refused now: the docstring of each guard that holds it back."""
        reasons: list[str] = []
        for transition in (t for state in self.configuration for t in state.transitions):
            if not transition.match(event):
                continue
            for spec in transition.cond:
                guard = getattr(self, spec.attr_name, None)
                if not callable(guard):
                    continue  # an expression or a plain value: the library evaluates it, we cannot name it
                if bool(guard(ctx)) is (spec.expected_value is False):  # `unless=` guards expect False
                    reasons.append(guard.__doc__ or spec.attr_name)
        return list(dict.fromkeys(reasons)) or [GENERIC_REFUSAL]
