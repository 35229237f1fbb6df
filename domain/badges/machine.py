"""The Accountability Badge machine: none → awarded → at risk → revoked, with a way back.

A badge is awarded when every criterion is met and standing allows it. When a criterion lapses the badge is
not taken at once: it is at risk for a cure window (policy: 14 days), keeps its perks, and returns to awarded
if the criteria are met again within it. It is revoked only when the cure date passes with a criterion still
unmet, or at once when standing no longer allows a badge (Protégé Code, Ineligibility). The machine alone
says which event an evaluation leads to and which state it ends in.
"""

from __future__ import annotations

import functools

from statemachine import State, StateMachine


class BadgeMachine(StateMachine):
    none = State("No badge", initial=True)
    awarded = State("Awarded")
    at_risk = State("At risk")
    revoked = State("Revoked")

    award = none.to(awarded, cond="eligible") | revoked.to(awarded, cond="eligible")
    lapse = awarded.to(at_risk, unless=["eligible", "forbidden"])
    cure = at_risk.to(awarded, cond="eligible")
    revoke = (
        awarded.to(revoked, cond="forbidden")
        | at_risk.to(revoked, cond="forbidden")
        | at_risk.to(revoked, cond="cure_passed", unless="eligible")
    )

    def eligible(self, eligible: bool) -> bool:
        """every criterion is met and standing allows a badge"""
        return eligible

    def forbidden(self, forbidden: bool) -> bool:
        """standing no longer allows a badge (an ineligible protégé, a removed mentor)"""
        return forbidden

    def cure_passed(self, cure_passed: bool) -> bool:
        """the cure date has passed"""
        return cure_passed


class _Holder:
    def __init__(self, state: str) -> None:
        self.state = state


@functools.cache  # the answer depends only on its arguments; building a machine per badge is not free
def decide(state: str, eligible: bool, forbidden: bool = False, cure_passed: bool = False) -> tuple[str, str] | None:
    """(event, new state) that an evaluation leads to from `state`, or None when the badge stays as it is.
    `eligible` is False whenever `forbidden` is True: a badge standing forbids is never earned."""
    eligible = eligible and not forbidden
    facts = {"eligible": eligible, "forbidden": forbidden, "cure_passed": cure_passed}
    holder = _Holder(state)
    machine = BadgeMachine(model=holder, state_field="state")
    enabled = [event.id for event in machine.enabled_events(**facts)]
    if not enabled:
        return None
    machine.send(enabled[0], eligible=eligible, forbidden=forbidden, cure_passed=cure_passed)
    return enabled[0], holder.state


BADGE_STATES = [state.id for state in BadgeMachine.states]
# States in which the badge is held, with its perks and its certificate.
HELD = frozenset({"awarded", "at_risk"})
