"""The activity ledger and badges through GraphQL and HTTP, as a platform and its users would use them."""

from __future__ import annotations

import io
from datetime import timedelta

import pypdf

from domain.activity.acting import Acting
from domain.badges.evaluation import evaluate_badges
from domain.models import BadgeRecord, Goal
from tests.support.activity import exemplary_pair, goal_for

BOOK = """mutation($input: BookSessionInput!) { bookSession(input: $input) {
  __typename ... on Session { id status } ... on UserError { message } ... on InvalidInputError { field } } }"""
TRANSITION = """mutation($id: ID!) { %s(input: {participantId: $id, reason: "test"}) { __typename } }"""
BADGE = """query($id: ID!) { participant(id: $id) { badge {
  status policyVersion criteria { key met value threshold windowStart windowEnd }
  advice { criterion message dueBy }
  perks { priorityListing spotlightEligible earlyAccess ambassadorEligible certificateUrl } } } }"""


async def open_calendar(gql, world, clock):
    """The mentor publishes a week of availability: their standing offer to be booked."""
    opened = await gql.data(
        "mutation($m: ID!, $s: DateTime!, $e: DateTime!) { addAvailability(mentorId: $m, startsAt: $s, endsAt: $e) "
        "{ __typename } }",
        {"m": str(world.mentor.id), "s": clock.now().isoformat(), "e": (clock.now() + timedelta(days=7)).isoformat()},
        token=world.mentor_token,
    )
    assert opened["addAvailability"]["__typename"] == "AvailabilityWindow"


async def booking(gql, token, world, goal, clock, approved=False):
    variables = {
        "input": {
            "mentorId": str(world.mentor.id),
            "protegeId": str(world.protege.id),
            "goalId": str(goal.id),
            "scheduledAt": (clock.now() + timedelta(days=2)).isoformat(),
            "adminApproved": approved,
        }
    }
    return (await gql.data(BOOK, variables, token=token))["bookSession"]


async def test_a_protege_creates_a_smart_goal_and_books_a_session(gql, world, clock):
    created = await gql.data(
        """mutation($input: CreateGoalInput!) { createGoal(input: $input) {
        __typename ... on Goal { id status dueOn protegeId mentorId } } }""",
        {
            "input": {
                "protegeId": str(world.protege.id),
                "mentorId": str(world.mentor.id),
                "specific": "Land a UX internship",
                "measurable": "5 applications a week",
                "achievable": "Portfolio ready",
                "relevant": "Career change",
                "dueOn": (clock.now().date() + timedelta(days=60)).isoformat(),
            }
        },
        token=world.protege_token,
    )
    goal = created["createGoal"]
    assert goal["__typename"] == "Goal" and goal["status"] == "ACTIVE" and goal["mentorId"] == str(world.mentor.id)
    await open_calendar(gql, world, clock)
    booked = await booking(gql, world.protege_token, world, await Goal.get(id=int(goal["id"])), clock)
    assert booked["__typename"] == "Session" and booked["status"] == "BOOKED"


async def test_a_goal_must_be_time_bound_in_the_future(gql, world, clock):
    result = await gql.data(
        """mutation($input: CreateGoalInput!) { createGoal(input: $input) {
        __typename ... on InvalidInputError { field message } } }""",
        {
            "input": {
                "protegeId": str(world.protege.id),
                "specific": "x",
                "measurable": "y",
                "achievable": "z",
                "relevant": "w",
                "dueOn": clock.now().date().isoformat(),
            }
        },
        token=world.admin,
    )
    assert result["createGoal"] == {
        "__typename": "InvalidInputError",
        "field": "dueOn",
        "message": "dueOn: a time-bound goal is due in the future",
    }


async def test_a_protege_in_reminder_books_only_with_an_admins_approval(gql, world, clock):
    goal = await goal_for(Acting(world.org_id), world.protege, world.mentor, clock)
    await gql.data(TRANSITION % "sendReminder", {"id": str(world.protege.id)}, token=world.admin)
    refused = await booking(gql, world.protege_token, world, goal, clock, approved=True)
    assert refused["__typename"] == "NotPermittedError" and "admin's approval" in refused["message"]
    assert (await booking(gql, world.admin, world, goal, clock))["__typename"] == "NotPermittedError"
    assert (await booking(gql, world.admin, world, goal, clock, approved=True))["__typename"] == "Session"


async def test_a_suspended_mentor_cannot_be_booked(gql, world, clock):
    goal = await goal_for(Acting(world.org_id), world.protege, world.mentor, clock)
    await gql.data(TRANSITION % "issueNotice", {"id": str(world.mentor.id)}, token=world.admin)
    until = (clock.now() + timedelta(days=7)).isoformat()
    await gql.data(
        'mutation($id: ID!, $until: DateTime!) { suspend(input: {participantId: $id, reason: "r", until: $until}) { __typename } }',
        {"id": str(world.mentor.id), "until": until},
        token=world.admin,
    )
    refused = await booking(gql, world.protege_token, world, goal, clock)
    assert refused == {"__typename": "NotPermittedError", "message": "the mentor is suspended and cannot be booked"}


async def test_partners_cannot_record_activity(gql, world):
    body = await gql.execute(
        "mutation($s: ID!, $r: ID!) { sendMessage(senderId: $s, recipientId: $r) { __typename } }",
        {"s": str(world.protege.id), "r": str(world.mentor.id)},
        token=world.partner,
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_participant_cannot_speak_for_another(gql, world):
    result = await gql.data(
        "mutation($s: ID!, $r: ID!) { sendMessage(senderId: $s, recipientId: $r) { __typename ... on UserError { message } } }",
        {"s": str(world.mentor.id), "r": str(world.protege.id)},
        token=world.protege_token,
    )
    assert result["sendMessage"] == {
        "__typename": "NotPermittedError",
        "message": "participants send messages as themselves",
    }


async def test_the_last_activity_that_completes_the_criteria_awards_the_badge_on_demand(gql, world, clock):
    acting = Acting(world.org_id)
    await exemplary_pair(acting, world.mentor, world.protege, clock, progress=False)
    assert (await BadgeRecord.get(participant_id=world.protege.id)).state == "none"
    goal = await Goal.filter(protege_id=world.protege.id).first()
    await gql.data(
        'mutation($g: ID!) { logGoalProgress(goalId: $g, note: "Third case study live") { __typename } }',
        {"g": str(goal.id)},
        token=world.protege_token,
    )
    badge = (await gql.data(BADGE, {"id": str(world.protege.id)}, token=world.protege_token))["participant"]["badge"]
    assert badge["status"] == "AWARDED" and badge["policyVersion"] == "protege-badge-2026.2"
    assert all(c["met"] for c in badge["criteria"]) and len(badge["criteria"]) == 5
    assert badge["perks"]["ambassadorEligible"] is True and badge["perks"]["spotlightEligible"] is False
    assert badge["perks"]["certificateUrl"].startswith("/certificates/")


async def test_advice_says_when_the_third_session_ages_out(gql, world, clock):
    await exemplary_pair(Acting(world.org_id), world.mentor, world.protege, clock)
    first = await world.protege.protege_sessions.all().order_by("scheduled_at").first()
    clock.set(first.scheduled_at + timedelta(days=50))
    await evaluate_badges(clock=clock, participant_ids=[world.protege.id])
    badge = (await gql.data(BADGE, {"id": str(world.protege.id)}, token=world.admin))["participant"]["badge"]
    advice = {a["criterion"]: a for a in badge["advice"]}
    lapse = first.scheduled_at + timedelta(days=60)
    assert advice["session_attendance"]["message"] == (
        f"Your 3rd attended session in 60 days ages out on {lapse:%d %B}: attend another session by then to keep the badge."
    )
    assert advice["session_attendance"]["dueBy"].startswith(lapse.date().isoformat())


async def test_priority_listing_puts_badge_holders_first(gql, world, clock):
    # Registered after the world's pair, so only the badge can put them first.
    mentor = await world.participant(world.mentor.role, "Zoe Later Mentor")
    protege = await world.participant(world.protege.role, "Yan Later Protege")
    await exemplary_pair(Acting(world.org_id), mentor, protege, clock)
    await evaluate_badges(clock=clock, organization_id=world.org_id)
    query = "{ participants(first: 10, orderBy: %s) { edges { node { displayName badge { status } } } } }"
    by_priority = [e["node"] for e in (await gql.data(query % "PRIORITY", token=world.admin))["participants"]["edges"]]
    assert [n["displayName"] for n in by_priority] == [
        "Zoe Later Mentor",
        "Yan Later Protege",
        "Maya Mentor",
        "Pat Protege",
    ]
    assert [n["badge"]["status"] for n in by_priority] == ["AWARDED", "AWARDED", "NONE", "NONE"]
    by_id = [
        e["node"]["displayName"] for e in (await gql.data(query % "ID", token=world.admin))["participants"]["edges"]
    ]
    assert by_id == ["Maya Mentor", "Pat Protege", "Zoe Later Mentor", "Yan Later Protege"]


async def test_the_certificate_is_a_real_pdf_for_the_protege_and_their_organization(gql, world, clock):
    await exemplary_pair(Acting(world.org_id), world.mentor, world.protege, clock)
    await evaluate_badges(clock=clock, organization_id=world.org_id)
    record = await BadgeRecord.get(participant_id=world.protege.id)
    url = f"/certificates/{record.certificate_code}.pdf"
    response = await gql.http.get(url, headers={"Authorization": f"Bearer {world.protege_token}"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Certificate of Accountability" in text and "Pat Protege" in text and record.certificate_code in text
    assert "Attend at least 3 sessions over 60 days." in text and "demo" in text
    assert (await gql.http.get(url)).status_code == 401
    assert (await gql.http.get(url, headers={"Authorization": f"Bearer {world.mentor_token}"})).status_code == 404
    assert (await gql.http.get(url, headers={"Authorization": f"Bearer {world.other_admin}"})).status_code == 404
    assert (await gql.http.get(url, headers={"Authorization": f"Bearer {world.admin}"})).status_code == 200
    mentor_code = (await BadgeRecord.get(participant_id=world.mentor.id)).certificate_code
    assert (
        await gql.http.get(f"/certificates/{mentor_code}.pdf", headers={"Authorization": f"Bearer {world.admin}"})
    ).status_code == 404


async def test_activity_mutations_take_relay_global_ids_too(gql, world):
    global_ids = await gql.data("{ participants(first: 2) { edges { node { id role } } } }", token=world.admin)
    ids = {e["node"]["role"]: e["node"]["id"] for e in global_ids["participants"]["edges"]}
    sent = await gql.data(
        "mutation($s: ID!, $r: ID!) { sendMessage(senderId: $s, recipientId: $r) { __typename ... on Message { senderId } } }",
        {"s": ids["PROTEGE"], "r": ids["MENTOR"]},
        token=world.admin,
    )
    assert sent["sendMessage"] == {"__typename": "Message", "senderId": str(world.protege.id)}
