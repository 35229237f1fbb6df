"""The badge machine decides every evaluation's outcome, checked against an independent table."""

from __future__ import annotations

import itertools

import pytest

from domain.badges.machine import BADGE_STATES, decide

STATES = ("none", "awarded", "at_risk", "revoked")


def expected(state: str, met: bool, forbidden: bool, cure_passed: bool) -> tuple[str, str] | None:
    """Written from the Code and the grace rule, not from the machine: a badge is earned when every criterion
    is met and standing allows it; a lapse puts a held badge at risk; meeting the criteria again within the
    cure window cures it; it is revoked when the cure date passes unmet, or at once when standing forbids it."""
    held = state in ("awarded", "at_risk")
    if forbidden:
        return ("revoke", "revoked") if held else None
    if state in ("none", "revoked"):
        return ("award", "awarded") if met else None
    if state == "awarded":
        return None if met else ("lapse", "at_risk")
    if met:
        return ("cure", "awarded")
    return ("revoke", "revoked") if cure_passed else None


CASES = list(itertools.product(STATES, (True, False), (True, False), (True, False)))


@pytest.mark.parametrize(("state", "met", "forbidden", "cure_passed"), CASES)
def test_the_machine_decides_each_evaluation_as_the_table_says(state, met, forbidden, cure_passed):
    assert decide(state, met, forbidden, cure_passed) == expected(state, met, forbidden, cure_passed)


def test_the_table_covers_every_state_of_the_machine():
    assert set(STATES) == set(BADGE_STATES)
