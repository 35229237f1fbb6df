"""The badge machine decides every evaluation's outcome, checked against an independent table."""

from __future__ import annotations

import pytest

from domain.badges.machine import BADGE_STATES, decide

# (state, eligible) -> (event, new state) or None, written from the Code: award when every criterion is
# met, revoke when one lapses, nothing otherwise.
EXPECTED = {
    ("none", True): ("award", "awarded"),
    ("none", False): None,
    ("awarded", True): None,
    ("awarded", False): ("revoke", "revoked"),
    ("revoked", True): ("award", "awarded"),
    ("revoked", False): None,
}


@pytest.mark.parametrize(("state", "eligible"), list(EXPECTED))
def test_the_machine_decides_each_evaluation_as_the_table_says(state, eligible):
    assert decide(state, eligible) == EXPECTED[(state, eligible)]


def test_the_table_covers_every_state_of_the_machine():
    assert {state for state, _ in EXPECTED} == set(BADGE_STATES)
