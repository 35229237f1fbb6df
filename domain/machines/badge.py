"""The Accountability Badge machine: none → awarded ⇄ revoked.

A badge is awarded when every criterion is met and standing allows it, and revoked when a
criterion lapses, or at once when a protégé becomes ineligible (Protégé Code, Ineligibility).
"""

from __future__ import annotations

from statemachine import State, StateMachine


class BadgeMachine(StateMachine):
    none = State("No badge", initial=True)
    awarded = State("Awarded")
    revoked = State("Revoked")

    award = none.to(awarded, cond="eligible") | revoked.to(awarded, cond="eligible")
    revoke = awarded.to(revoked, unless="eligible")

    def eligible(self, eligible: bool) -> bool:
        return eligible


def badge_event(state: str, eligible: bool) -> str | None:
    """The event an evaluation leads to from `state`, or None when the badge stays as it is."""
    machine = BadgeMachine(model=_Holder(state), state_field="state")
    for event in ("award", "revoke"):
        if event in {e.id for e in machine.enabled_events(eligible=eligible)}:
            return event
    return None


class _Holder:
    def __init__(self, state: str) -> None:
        self.state = state
