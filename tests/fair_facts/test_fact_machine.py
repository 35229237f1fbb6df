"""The fact machine, checked against an independent table written from the issue: either party disputes
within the window; the other side concedes; an admin upholds or rejects; the window closes an undisputed
fact; the counterpart or an admin withdraws a fact nobody disputes."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from domain.facts.machine import FactContext, FactMachine
from domain.infra.stepping import allowed
from domain.kernel.actors import Actor, ActorKind

SUBJECT, COUNTERPART, STRANGER = 1, 2, 3
UNTIL = datetime(2026, 3, 4, tzinfo=UTC)
ACTORS = {
    "subject": (Actor(ActorKind.PARTICIPANT, "participant:1"), SUBJECT),
    "counterpart": (Actor(ActorKind.PARTICIPANT, "participant:2"), COUNTERPART),
    "stranger": (Actor(ActorKind.PARTICIPANT, "participant:3"), STRANGER),
    "admin": (Actor.admin(7), None),
    "system": (Actor.system("fact_window_closes"), None),
}
STATES = ("provisional", "disputed", "confirmed", "withdrawn")


def expected(state: str, actor: str, in_window: bool, disputed_by: int | None) -> set[str]:
    parties = {"subject", "counterpart"}
    if state == "provisional":
        events = set()
        if actor in parties and in_window:
            events.add("dispute")
        if actor == "system" and not in_window:
            events.add("close_window")
        if actor in {"counterpart", "admin"}:
            events.add("withdraw")
        return events
    if state == "disputed":
        other = {"subject": SUBJECT, "counterpart": COUNTERPART}.get(actor)
        if actor == "admin":
            return {"uphold", "reject"}
        return {"concede"} if other is not None and other != disputed_by else set()
    if state == "confirmed":
        return {"withdraw"} if actor in {"counterpart", "admin"} else set()
    return set()


CASES = list(itertools.product(STATES, ACTORS, (True, False), (SUBJECT, COUNTERPART)))


@pytest.mark.parametrize(("state", "actor", "in_window", "disputed_by"), CASES)
def test_the_machine_allows_what_the_table_allows(state, actor, in_window, disputed_by):
    who, person = ACTORS[actor]
    now = UNTIL - timedelta(seconds=1) if in_window else UNTIL + timedelta(seconds=1)
    ctx = FactContext(who, person, SUBJECT, COUNTERPART, disputed_by if state == "disputed" else None, now, UNTIL)
    assert set(allowed(FactMachine, state, ctx=ctx)) == expected(state, actor, in_window, disputed_by)


def test_the_table_covers_every_state():
    assert set(STATES) == set(FactMachine.state_ids())
