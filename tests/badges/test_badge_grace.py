"""Badge grace instead of flapping: a lapsing criterion puts the badge at risk for 14 days, with its perks and
with advice due by the cure date. Met again within the window, the badge is awarded again; still unmet when
the cure date passes, it is revoked by the cure deadline, fired by the worker and by the embedded sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.activity.acting import Acting
from domain.activity.goals import CreateGoal, SetGoalStatus
from domain.activity.record import record_activity
from domain.badges.policy import PROTEGE_BADGE_POLICY
from domain.kernel.actors import Actor
from domain.models import BadgeRecord, Goal, GoalStatus, TransitionRecord
from domain.standing.apply import StandingCommand, apply_event
from tests.support.activity import exemplary_pair, smart

SECOND = timedelta(seconds=1)
CURE = PROTEGE_BADGE_POLICY.cure_window
BADGE = """query($id: ID!) { participant(id: $id) { badge { status cureBy
  perks { priorityListing certificateUrl } advice { criterion message dueBy } } } }"""


@pytest.fixture
async def at_risk(world, clock):
    """A protégé's badge, at risk since they achieved every goal and have set no new one."""
    acting = Acting(world.org_id)
    await exemplary_pair(acting, world.mentor, world.protege, clock)
    assert (await BadgeRecord.get(participant_id=world.protege.id)).state == "awarded"
    for goal in await Goal.filter(protege_id=world.protege.id, status=GoalStatus.ACTIVE):
        await record_activity(acting, SetGoalStatus(goal_id=goal.id, status=GoalStatus.ACHIEVED), clock=clock)
    return acting


async def test_a_lapsed_criterion_puts_the_badge_at_risk_with_its_perks_and_a_cure_date(gql, world, clock, at_risk):
    record = await BadgeRecord.get(participant_id=world.protege.id)
    assert record.state == "at_risk" and record.cure_by == clock.now() + CURE
    lapse = await TransitionRecord.get(participant_id=world.protege.id, event="lapse")
    assert (lapse.from_state, lapse.to_state) == ("awarded", "at_risk")
    assert lapse.evidence["cure_window"] == {
        "from": clock.now().isoformat(),
        "until": record.cure_by.isoformat(),
        "days": 14,
    }
    assert not {c["key"]: c for c in lapse.evidence["criteria"]}["active_goal"]["met"]
    badge = (await gql.data(BADGE, {"id": str(world.protege.id)}, token=world.protege_token))["participant"]["badge"]
    assert badge["status"] == "AT_RISK" and badge["cureBy"] == record.cure_by.isoformat()
    assert badge["perks"]["priorityListing"] and badge["perks"]["certificateUrl"]  # kept through the window
    [advice] = [a for a in badge["advice"] if a["criterion"] == "active_goal"]
    assert advice["dueBy"] == record.cure_by.isoformat() and "to keep the badge" in advice["message"]


async def test_meeting_the_criterion_within_the_window_restores_the_badge(world, clock, at_risk, fire):
    clock.advance(CURE - SECOND)
    await record_activity(at_risk, CreateGoal(protege_id=world.protege.id, goal=smart(clock=clock)), clock=clock)
    record = await BadgeRecord.get(participant_id=world.protege.id)
    assert record.state == "awarded" and record.cure_by is None
    events = (
        await TransitionRecord.filter(participant_id=world.protege.id).order_by("id").values_list("event", flat=True)
    )
    assert events == ["award", "lapse", "cure"]
    clock.advance(2 * SECOND)
    await fire()  # the cure deadline finds nothing at risk
    assert (await BadgeRecord.get(participant_id=world.protege.id)).state == "awarded"


async def test_the_badge_is_revoked_when_the_cure_date_passes_unmet(world, clock, at_risk, fire):
    cure_by = (await BadgeRecord.get(participant_id=world.protege.id)).cure_by
    clock.set(cure_by - SECOND)
    await fire()
    assert (await BadgeRecord.get(participant_id=world.protege.id)).state == "at_risk"
    clock.set(cure_by)
    await fire()
    record = await BadgeRecord.get(participant_id=world.protege.id)
    assert record.state == "revoked" and record.cure_by is None
    revoke = await TransitionRecord.get(participant_id=world.protege.id, event="revoke")
    assert (revoke.from_state, revoke.actor_kind) == ("at_risk", "system")
    assert revoke.evidence["cure_window"]["until"] == cure_by.isoformat()
    assert "cure date passed" in revoke.reason


async def test_ineligibility_revokes_an_at_risk_badge_at_once(world, clock, at_risk):
    await apply_event(
        StandingCommand(world.protege.id, "mark_ineligible", Actor.admin(1), "program review"), clock=clock
    )
    record = await BadgeRecord.get(participant_id=world.protege.id)
    assert record.state == "revoked" and record.cure_by is None
