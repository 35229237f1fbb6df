"""The Accountability Badge machine: none → awarded ⇄ revoked.

A badge is awarded when every criterion is met and standing allows it, and revoked when a criterion
lapses, or at once when a protégé becomes ineligible (Protégé Code, Ineligibility). The machine alone
says which event an evaluation leads to and which state it ends in.
"""

from __future__ import annotations

import functools

from statemachine import State, StateMachine


class BadgeMachine(StateMachine):
    none = State("No badge", initial=True)
    awarded = State("Awarded")
    revoked = State("Revoked")

    award = none.to(awarded, cond="eligible") | revoked.to(awarded, cond="eligible")
    revoke = awarded.to(revoked, unless="eligible")

    def eligible(self, eligible: bool) -> bool:
        """every criterion is met and standing allows a badge"""
        return eligible


class _Holder:
    def __init__(self, state: str) -> None:
        self.state = state


@functools.cache  # the answer depends only on its arguments; building a machine per badge is not free
def decide(state: str, eligible: bool) -> tuple[str, str] | None:
    """(event, new state) that an evaluation leads to from `state`, or None when the badge stays as it is."""
    holder = _Holder(state)
    machine = BadgeMachine(model=holder, state_field="state")
    enabled = [event.id for event in machine.enabled_events(eligible=eligible)]
    if not enabled:
        return None
    machine.send(enabled[0], eligible=eligible)
    return enabled[0], holder.state


BADGE_STATES = [state.id for state in BadgeMachine.states]
