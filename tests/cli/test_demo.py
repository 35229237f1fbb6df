"""`standing demo`: a simulated organization with participants in every standing state and badge
status, reached through the real rules, current as of the end of the run, and visible over GraphQL."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cli.demo import DemoRefused, DemoSize, build_demo
from domain.access.organizations import get_or_create_organization
from domain.access.principals import TokenRole
from domain.access.tokens import authenticate
from domain.cases.machine import ACTIVE_STATES
from domain.cases.policy import CASE_POLICY
from domain.infra import db
from domain.kernel.clock import FixedClock
from domain.kernel.roles import Role
from domain.models import (
    AdminNudge,
    Appeal,
    AvailabilityWindow,
    BadgeRecord,
    Case,
    CaseDecision,
    CommunityAttendance,
    ExcusedLeave,
    GoalProgress,
    MentorshipSession,
    Message,
    Notice,
    Nudge,
    Organization,
    Participant,
    ServiceOffering,
    SessionFeedback,
    SessionNote,
    SessionStatus,
    TransitionRecord,
)
from domain.participants.registration import ProfileInput, register_participant
from domain.standing.machines import MACHINES

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
SMALL = DemoSize(mentors=12, proteges=24)  # the smallest cast that still tells every story
BADGE_STATUSES = ("none", "awarded", "at_risk", "revoked")


@pytest.fixture
def clock() -> FixedClock:
    """The API's clock stands where the demo ended, as a server started right after it would."""
    return FixedClock(NOW)


def every_state() -> list[tuple[Role, str]]:
    return [(role, state) for role, machine in MACHINES.items() for state in machine.state_ids()]


async def test_every_standing_state_and_badge_status_is_reached_through_the_rules(orm):
    result = await build_demo(size=SMALL, now=NOW)
    org = result.organization
    for role, state in every_state():
        assert await Participant.filter(organization_id=org.id, role=role, standing=state).exists(), (role, state)
    ids = {
        role: await Participant.filter(organization_id=org.id, role=role).values_list("id", flat=True) for role in Role
    }
    for role in Role:
        statuses = set(await BadgeRecord.filter(participant_id__in=ids[role]).values_list("state", flat=True))
        assert statuses == set(BADGE_STATUSES), (role, statuses)
        assert await BadgeRecord.filter(participant_id__in=ids[role]).count() == len(ids[role])

    # Each state was reached by the one who may take that step: the rules of the Code, or an admin.
    log = await TransitionRecord.filter(organization_id=org.id).order_by("id")
    steps = {(r.event, r.actor_kind, r.actor_id if r.actor_kind == "system" else r.actor_kind) for r in log}
    for step in [
        ("clear_notice", "system", "notice_decays"),
        ("lift_suspension", "system", "suspension_ends"),
        ("issue_warning", "system", "inactivity_warning"),
        ("send_reminder", "system", "missed_sessions_reminder"),
        ("mark_ineligible", "system", "non_responsiveness"),
        ("restore_good_standing", "participant", "participant"),
        ("award", "system", "badge_evaluation"),
        ("revoke", "system", "badge_evaluation"),
        ("issue_notice", "admin", "admin"),
        ("suspend", "admin", "admin"),
        ("remove", "admin", "admin"),
        ("undo_removal", "admin", "admin"),
        ("clear_notice", "admin", "admin"),
        ("approve_reschedule", "admin", "admin"),
        ("restore_good_standing", "admin", "admin"),
    ]:
        assert step in steps, step
    assert all(r.reason.strip() for r in log if r.actor_kind == "admin")

    # The log and the rows agree: every participant's standing is where its chain of transitions ends.
    for participant in await Participant.filter(organization_id=org.id):
        chain = [r for r in log if r.participant_id == participant.id and r.machine.endswith("_standing")]
        states = [MACHINES[Role(participant.role)].initial_state.id] + [r.to_state for r in chain]
        assert [r.from_state for r in chain] == states[:-1], participant.id
        assert states[-1] == participant.standing

    assert result.standings == {
        (role.value, state): await Participant.filter(organization_id=org.id, role=role, standing=state).count()
        for role, state in every_state()
    }
    assert not [kind for kind in result.rejected if kind[1] == "InvalidInput"], result.rejected


async def test_months_of_every_kind_of_activity_ending_now(orm):
    result = await build_demo(size=SMALL, now=NOW)
    org = result.organization.id
    sessions = MentorshipSession.filter(organization_id=org)
    for status in SessionStatus:
        assert await sessions.filter(status=status).exists(), status
    assert await sessions.filter(status=SessionStatus.BOOKED, scheduled_at__gt=NOW).exists()  # upcoming ones
    assert await SessionNote.filter(session__organization_id=org, on_time=True).exists()
    assert await SessionNote.filter(session__organization_id=org, on_time=False).exists()
    assert await SessionFeedback.filter(session__organization_id=org).exists()
    messages = Message.filter(organization_id=org)
    answered = await messages.filter(responded_at__not_isnull=True).values_list("responded_at", "respond_by")
    assert any(at <= due for at, due in answered) and any(at > due for at, due in answered)
    assert await messages.filter(responded_at=None, respond_by__lt=NOW).exists()
    for model in (GoalProgress, AvailabilityWindow, ServiceOffering, CommunityAttendance, Nudge, ExcusedLeave):
        path = {
            "GoalProgress": "goal__organization_id",
            "AvailabilityWindow": "mentor__organization_id",
            "ServiceOffering": "mentor__organization_id",
        }.get(model.__name__, "participant__organization_id")
        assert await model.filter(**{path: org}).exists(), model.__name__

    # Six months, the last of them days ago: nothing recorded after the end, and plenty right before it.
    first = await Participant.filter(organization_id=org).order_by("created_at").first()
    assert NOW - timedelta(days=185) <= first.created_at <= NOW - timedelta(days=180)
    assert not await TransitionRecord.filter(organization_id=org, occurred_at__gt=NOW).exists()
    assert not await messages.filter(sent_at__gt=NOW).exists()
    assert not await sessions.filter(booked_at__gt=NOW).exists()
    assert await sessions.filter(status=SessionStatus.ATTENDED, outcome_at__gte=NOW - timedelta(days=7)).exists()
    assert await messages.filter(sent_at__gte=NOW - timedelta(days=7)).exists()
    assert await GoalProgress.filter(goal__organization_id=org, created_at__gte=NOW - timedelta(days=7)).exists()
    assert await BadgeRecord.filter(participant__organization_id=org, evaluated_at=NOW).count() == sum(
        result.badges.values()
    )
    assert result.rows["sessions_attended"] == await sessions.filter(status=SessionStatus.ATTENDED).count()


async def test_concerns_leave_the_console_queue_open_cases_an_overdue_one_and_an_open_appeal(orm):
    """Concerns reported through the cases' use cases: some decided (one with a notice, appealed), and at the end
    open cases (one past a stage, with the admins nudged; one reported hours ago) and the open appeal."""
    result = await build_demo(size=SMALL, now=NOW)
    org = result.organization.id
    cases = Case.filter(organization_id=org)
    open_cases = await cases.filter(state__in=sorted(ACTIVE_STATES))
    assert len(open_cases) > 0 and result.rows["cases_open"] == len(open_cases)
    appeals = await Appeal.filter(organization_id=org, state="open")
    assert len(appeals) > 0 and result.rows["appeals_open"] == len(appeals)
    assert all(a.decide_by > NOW for a in appeals)
    assert len({c.category for c in await cases}) >= 4  # different kinds of concern
    overdue = [c for c in open_cases if NOW - c.opened_at > CASE_POLICY.decide.value]
    assert overdue and await AdminNudge.filter(case_id__in=[c.id for c in overdue], kind="case_decide").exists()
    assert [c for c in open_cases if NOW - c.opened_at < CASE_POLICY.acknowledge.value]  # a fresh one
    noticed = await CaseDecision.filter(case__organization_id=org, standing_event="issue_notice")
    assert len(noticed) == 1 and noticed[0].transition_id in [a.transition_id for a in appeals]
    assert await Notice.filter(transition_id=noticed[0].transition_id).exists()  # the sanction's written notice
    assert await CaseDecision.filter(case__organization_id=org, standing_event=None).exists()


PARTICIPANTS = """
query($role: Role, $standing: StandingState, $first: Int, $after: String) {
  participants(role: $role, standing: $standing, first: $first, after: $after) {
    edges { node { id displayName standing { state allowedEvents } badge { status } } }
    pageInfo { hasNextPage endCursor }
  }
}"""

BADGE = """
query($id: ID!) {
  participant(id: $id) { displayName badge { status criteria { key met } advice { criterion message dueBy } } }
}"""


async def test_graphiql_finds_someone_in_every_state_and_badge_status(orm, gql):
    token = (await build_demo(size=SMALL, now=NOW)).admin_token
    for role, state in every_state():
        data = await gql.data(PARTICIPANTS, {"role": role.name, "standing": state.upper(), "first": 1}, token=token)
        assert data["participants"]["edges"], (role, state)

    everyone, after = [], None
    while True:
        page = (await gql.data(PARTICIPANTS, {"first": 100, "after": after}, token=token))["participants"]
        everyone += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(everyone) == SMALL.mentors + SMALL.proteges
    assert {node["badge"]["status"] for node in everyone} == {status.upper() for status in BADGE_STATUSES}

    # The demo ends now: a removal from two weeks ago can still be undone, an older one cannot.
    removed = [n["standing"]["allowedEvents"] for n in everyone if n["standing"]["state"] == "REMOVED"]
    assert ["UNDO_REMOVAL"] in removed and [] in removed

    revoked = next(n for n in everyone if n["badge"]["status"] == "REVOKED")
    badge = (await gql.data(BADGE, {"id": revoked["id"]}, token=token))["participant"]["badge"]
    unmet = {c["key"] for c in badge["criteria"] if not c["met"]}
    assert unmet and {a["criterion"] for a in badge["advice"]} >= unmet


async def test_the_demo_has_an_organization_of_its_own_apart_from_the_quick_starts(orm):
    # Someone followed the README's first query into "demo" before running the demo: the demo stays apart.
    quick_start = await get_or_create_organization("demo", FixedClock(NOW))
    ada = await register_participant(
        organization_id=quick_start.id,
        role=Role.MENTOR,
        profile=ProfileInput("Ada", "ada@example.org"),
        clock=FixedClock(NOW),
    )
    result = await build_demo(size=SMALL, now=NOW)
    assert (result.organization.slug, result.organization.name) == ("demo-academy", "Demo Academy")
    assert result.organization.id != quick_start.id
    assert await Participant.filter(organization_id=quick_start.id).count() == 1  # Ada alone, still good
    assert (await Participant.get(id=ada.id)).standing == "good"
    assert "organization 'demo-academy' (Demo Academy, id" in result.summary()[0]
    with pytest.raises(DemoRefused, match="already has participants of its own"):
        await build_demo(slug="demo", size=SMALL, now=NOW)
    assert await Participant.filter(organization_id=quick_start.id).count() == 1


async def test_the_same_seed_tells_the_same_story_and_a_second_run_refuses(orm):
    first = await build_demo(size=SMALL, now=NOW)
    with pytest.raises(DemoRefused, match="already has the demo's participants"):
        await build_demo(size=SMALL, now=NOW)
    assert await Participant.filter(organization_id=first.organization.id).count() == SMALL.mentors + SMALL.proteges

    second = await build_demo(slug="demo-2", name="Second Academy", size=SMALL, now=NOW)
    assert second.organization.name == "Second Academy"
    assert second.standings == first.standings and second.badges == first.badges
    assert {k: v for k, v in second.rows.items()} == {k: v for k, v in first.rows.items()}

    with pytest.raises(DemoRefused, match="at least"):
        await build_demo(slug="tiny", size=DemoSize(mentors=3, proteges=5), now=NOW)


def _standing(args: list[str], database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "STANDING_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    )


def test_standing_demo_prints_an_admin_token_last_and_refuses_a_second_run(database_url):
    command = ["demo", "--mentors", str(SMALL.mentors), "--proteges", str(SMALL.proteges)]
    result = _standing(command, database_url)
    assert result.returncode == 0, result.stderr
    assert "[" + "#" * 30 + "]" in result.stderr  # the progress bar ran to its end
    assert re.search(r"mentor standing: good \d+, first_notice \d+, suspended \d+, removed \d+", result.stdout)
    secret = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"stk_[A-Za-z0-9_-]{43}", secret)

    async def principal():
        await db.connect(database_url)
        try:
            found = await authenticate(secret)
            return found, await Organization.get(id=found.organization_id) if found else None
        finally:
            await db.disconnect()

    found, organization = asyncio.run(principal())
    assert found.role is TokenRole.ADMIN and (organization.slug, organization.name) == ("demo-academy", "Demo Academy")
    assert "organization 'demo-academy' (Demo Academy, id" in result.stdout

    again = _standing(command, database_url)
    assert again.returncode == 2 and "already has the demo's participants" in again.stderr
    assert "usage: standing demo" in _standing(["demo", "--help"], database_url).stdout
