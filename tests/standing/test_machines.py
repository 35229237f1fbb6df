"""Every transition, guard and rejection of both standing machines, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from statemachine import State
from statemachine.exceptions import TransitionNotAllowed

from domain.kernel.actors import Actor, ActorKind
from domain.kernel.roles import Role
from domain.standing.machines import (
    EventInputInvalid,
    MentorStanding,
    ProtegeStanding,
    StandingMachine,
    TransitionContext,
    all_event_ids,
    all_state_ids,
    bind,
    is_hidden,
    needs_booking_approval,
)
from domain.standing.machines.base import GENERIC_REFUSAL
from domain.standing.policy import STANDING_POLICY

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
ADMIN = Actor.admin(1)
SYSTEM = Actor.system("test")
PARTICIPANT = Actor(ActorKind.PARTICIPANT, "participant:1")


def row(role: str, standing: str, *, since: datetime = NOW, suspended_until: datetime | None = None):
    return SimpleNamespace(role=role, standing=standing, standing_since=since, suspended_until=suspended_until)


def ctx(actor: Actor = ADMIN, now: datetime = NOW, **params) -> TransitionContext:
    return TransitionContext(actor=actor, now=now, policy=STANDING_POLICY, params=params)


MENTOR_TRANSITIONS = [
    ("good", "issue_notice", {}, "first_notice"),
    ("first_notice", "suspend", {"until": NOW + timedelta(days=14)}, "suspended"),
    ("first_notice", "remove", {}, "removed"),
    ("first_notice", "clear_notice", {}, "good"),
    ("suspended", "remove", {}, "removed"),
    ("suspended", "lift_suspension", {}, "first_notice"),
    ("removed", "undo_removal", {}, "first_notice"),
]
PROTEGE_TRANSITIONS = [
    ("good", "send_reminder", "reminder"),
    ("good", "issue_warning", "warning"),
    ("good", "mark_ineligible", "ineligible"),
    ("reminder", "approve_reschedule", "good"),
    ("reminder", "issue_warning", "warning"),
    ("reminder", "mark_ineligible", "ineligible"),
    ("warning", "mark_ineligible", "ineligible"),
    ("warning", "restore_good_standing", "good"),
    ("ineligible", "restore_good_standing", "good"),
]


@pytest.mark.parametrize(("source", "event", "params", "target"), MENTOR_TRANSITIONS)
def test_admin_moves_mentor_along_every_transition(source, event, params, target):
    mentor = row("mentor", source)
    bind(mentor).send(event, ctx=ctx(**params))
    assert mentor.standing == target


@pytest.mark.parametrize(("source", "event", "target"), PROTEGE_TRANSITIONS)
def test_admin_moves_protege_along_every_transition(source, event, target):
    protege = row("protege", source)
    bind(protege).send(event, ctx=ctx())
    assert protege.standing == target


def _structurally_refused(machine, transitions):
    allowed = {(t[0], t[1]) for t in transitions}
    return [(s, e) for s in machine.state_ids() for e in machine.event_ids() if (s, e) not in allowed]


@pytest.mark.parametrize(("source", "event"), _structurally_refused(MentorStanding, MENTOR_TRANSITIONS))
def test_mentor_machine_refuses_every_other_pair(source, event):
    mentor = row("mentor", source, suspended_until=NOW + timedelta(days=1))
    with pytest.raises(TransitionNotAllowed):
        bind(mentor).send(event, ctx=ctx(until=NOW + timedelta(days=1)))
    assert mentor.standing == source


@pytest.mark.parametrize(("source", "event"), _structurally_refused(ProtegeStanding, PROTEGE_TRANSITIONS))
def test_protege_machine_refuses_every_other_pair(source, event):
    protege = row("protege", source)
    with pytest.raises(TransitionNotAllowed):
        bind(protege).send(event, ctx=ctx())
    assert protege.standing == source


def test_suspension_needs_an_end_time_in_the_future():
    for until in (None, NOW, NOW - timedelta(seconds=1)):
        mentor = row("mentor", "first_notice")
        with pytest.raises(EventInputInvalid) as refused:
            bind(mentor).send("suspend", ctx=ctx(until=until))
        assert (refused.value.field, refused.value.problem) == (
            "until",
            "the suspension's end time must be in the future",
        )
        assert mentor.standing == "first_notice"


def test_suspension_may_not_exceed_the_policy_maximum():
    limit = STANDING_POLICY.max_suspension.value
    mentor = row("mentor", "first_notice")
    with pytest.raises(EventInputInvalid):
        bind(mentor).send("suspend", ctx=ctx(until=NOW + limit + timedelta(seconds=1)))
    bind(mentor).send("suspend", ctx=ctx(until=NOW + limit))
    assert mentor.standing == "suspended"


def test_removed_mentor_accepts_no_event_but_the_undo():
    machine = bind(row("mentor", "removed"))
    assert machine.allowed_event_ids(ctx()) == ["undo_removal"]


def test_removal_can_be_undone_only_within_the_grace_period():
    grace = STANDING_POLICY.removal_undo_grace.value
    on_time = row("mentor", "removed", since=NOW - grace)
    bind(on_time).send("undo_removal", ctx=ctx())
    assert on_time.standing == "first_notice"
    too_late = row("mentor", "removed", since=NOW - grace - timedelta(seconds=1))
    with pytest.raises(TransitionNotAllowed):
        bind(too_late).send("undo_removal", ctx=ctx())


def test_system_lifts_a_suspension_only_once_it_has_ended():
    until = NOW + timedelta(days=3)
    early = row("mentor", "suspended", suspended_until=until)
    with pytest.raises(TransitionNotAllowed):
        bind(early).send("lift_suspension", ctx=ctx(SYSTEM, now=until - timedelta(seconds=1)))
    due = row("mentor", "suspended", suspended_until=until)
    bind(due).send("lift_suspension", ctx=ctx(SYSTEM, now=until))
    assert due.standing == "first_notice"


def test_system_clears_a_notice_only_after_it_decays():
    decay = STANDING_POLICY.notice_decay.value
    fresh = row("mentor", "first_notice", since=NOW - decay + timedelta(seconds=1))
    with pytest.raises(TransitionNotAllowed):
        bind(fresh).send("clear_notice", ctx=ctx(SYSTEM))
    decayed = row("mentor", "first_notice", since=NOW - decay)
    bind(decayed).send("clear_notice", ctx=ctx(SYSTEM))
    assert decayed.standing == "good"


@pytest.mark.parametrize("event", ["issue_notice"])
def test_only_admins_issue_mentor_notices(event):
    for actor in (SYSTEM, PARTICIPANT):
        with pytest.raises(TransitionNotAllowed):
            bind(row("mentor", "good")).send(event, ctx=ctx(actor))


def test_only_an_admin_restores_an_ineligible_protege():
    with pytest.raises(TransitionNotAllowed):
        bind(row("protege", "ineligible")).send("restore_good_standing", ctx=ctx(SYSTEM))
    recovered = row("protege", "warning")
    bind(recovered).send("restore_good_standing", ctx=ctx(SYSTEM))
    assert recovered.standing == "good"


@pytest.mark.parametrize("event", ["send_reminder", "issue_warning", "mark_ineligible"])
def test_a_participant_never_takes_a_punitive_step_on_anyone(event):
    with pytest.raises(TransitionNotAllowed):
        bind(row("protege", "good")).send(event, ctx=ctx(PARTICIPANT))


def test_only_an_admin_approves_a_reschedule():
    with pytest.raises(TransitionNotAllowed):
        bind(row("protege", "reminder")).send("approve_reschedule", ctx=ctx(SYSTEM))


def test_consequences_are_derived_from_the_machines():
    assert [s for s in MentorStanding.state_ids() if is_hidden("mentor", s)] == ["suspended", "removed"]
    assert [s for s in ProtegeStanding.state_ids() if is_hidden("protege", s)] == ["warning", "ineligible"]
    assert [s for s in ProtegeStanding.state_ids() if needs_booking_approval("protege", s)] == ["reminder"]
    assert not any(needs_booking_approval("mentor", s) for s in MentorStanding.state_ids())


def test_every_state_and_event_is_listed_once():
    assert sorted(all_state_ids()) == sorted(set(MentorStanding.state_ids()) | set(ProtegeStanding.state_ids()))
    assert len(all_event_ids()) == len(set(all_event_ids())) == 11


# --- guards the explanation must understand: `unless=` and boolean expressions ------------------------


class Watchlist(StandingMachine):
    """A machine built only to exercise guard shapes the standing machines may grow into."""

    role = Role.MENTOR
    good = State("Good", initial=True)
    watched = State("Watched")

    watch = good.to(watched, unless="actor_is_admin")  # only automation puts someone on the watchlist
    release = watched.to(good, cond="actor_is_admin and by_admin_or_system")  # a boolean expression


def test_allowed_events_and_refusals_understand_unless_guards_and_expressions():
    holder = row("mentor", "good")
    machine = Watchlist(model=holder, state_field="standing")
    as_admin, as_system = ctx(), TransitionContext(actor=Actor.system("rule"), now=NOW, policy=STANDING_POLICY)
    assert machine.allowed_event_ids(as_admin) == []
    assert machine.allowed_event_ids(as_system) == ["watch"]
    assert machine.refusal_reasons("watch", as_admin) == ["only an admin may take this step"]
    machine.send("watch", ctx=as_system)
    assert machine.allowed_event_ids(as_system) == [] and machine.allowed_event_ids(as_admin) == ["release"]
    assert machine.refusal_reasons("release", as_system) == [GENERIC_REFUSAL]
