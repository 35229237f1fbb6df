"""What the console reads that the API gained for it: the organization at a glance, and whether a case got past
each stage (the queue lists a case while a stage is still ahead of it)."""

from __future__ import annotations

import pytest

from domain.kernel.actors import Actor
from domain.kernel.roles import Role
from domain.models import BadgeRecord
from domain.standing.apply import StandingCommand, apply_event

OVERVIEW = """{ organizationOverview { organization { name slug }
  standings { role state count } badges { role status count } } }"""
REPORT = """mutation($id: ID!) { reportConcern(input: {subjectId: $id, category: COMMUNICATION,
  codeSection: "Mentor Code 6", description: "Unanswered for a week"}) { ... on ReportReceipt { caseReference } } }"""
STAGES = "query($id: ID!) { case(id: $id) { id state stages { stage reached } } }"
TRIAGE = """mutation($id: ID!) { triageCase(input: {caseId: $id, reason: "Looked at it"}) { __typename } }"""


async def test_the_overview_counts_every_state_and_status_zeros_included(gql, world, clock):
    await world.participant(Role.MENTOR, "Second Mentor")
    await apply_event(StandingCommand(world.mentor.id, "issue_notice", Actor.admin(1), "late twice"), clock=clock)
    await BadgeRecord.create(
        participant_id=world.protege.id,
        state="awarded",
        since=clock.now(),
        policy_version="v",
        evaluated_at=clock.now(),
    )
    data = (await gql.data(OVERVIEW, token=world.partner))["organizationOverview"]
    assert data["organization"] == {"name": "demo", "slug": "demo"}
    standings = {(t["role"], t["state"]): t["count"] for t in data["standings"]}
    assert standings == {
        ("MENTOR", "GOOD"): 1,
        ("MENTOR", "FIRST_NOTICE"): 1,
        ("MENTOR", "SUSPENDED"): 0,
        ("MENTOR", "REMOVED"): 0,
        ("PROTEGE", "GOOD"): 1,
        ("PROTEGE", "REMINDER"): 0,
        ("PROTEGE", "WARNING"): 0,
        ("PROTEGE", "INELIGIBLE"): 0,
    }
    badges = {(t["role"], t["status"]): t["count"] for t in data["badges"]}
    assert badges[("MENTOR", "NONE")] == 2 and badges[("PROTEGE", "AWARDED")] == 1 and badges[("PROTEGE", "NONE")] == 0
    assert sum(badges.values()) == sum(standings.values()) == 3
    other = (await gql.data(OVERVIEW, token=world.other_admin))["organizationOverview"]
    assert sum(t["count"] for t in other["standings"]) == 0  # another organization counts only its own


@pytest.mark.parametrize("who", ["mentor_token", "protege_token"])
async def test_participants_do_not_read_the_overview(gql, world, who):
    body = await gql.execute(OVERVIEW, token=getattr(world, who))
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_stage_is_reached_once_the_case_gets_past_it(gql, world):
    reference = (await gql.data(REPORT, {"id": str(world.mentor.id)}, token=world.admin))["reportConcern"][
        "caseReference"
    ]
    case = (await gql.data(STAGES, {"id": reference}, token=world.admin))["case"]
    assert {s["stage"]: s["reached"] for s in case["stages"]} == {
        "acknowledge": False,
        "triage": False,
        "decide": False,
    }
    assert (await gql.data(TRIAGE, {"id": case["id"]}, token=world.admin))["triageCase"]["__typename"] == "CasePayload"
    stages = (await gql.data(STAGES, {"id": reference}, token=world.admin))["case"]["stages"]
    assert {s["stage"]: s["reached"] for s in stages} == {"acknowledge": True, "triage": True, "decide": False}
