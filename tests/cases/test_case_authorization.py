"""The role matrix for every case query and mutation, for every kind of token and two organizations.

Admins of the organization act; partners report and follow their own reports but never read a case, its
descriptions or its notes; participants report, follow their reports and read the cases decided against
them; another organization's admin finds nothing."""

from __future__ import annotations

import json

import pytest

from domain.access.principals import TokenRole
from domain.events.outbox import as_message
from domain.models import Case, Concern, OutboxEvent
from tests.support.cases import REPORT, report_input
from tests.support.world import issue

TOKENS = ["admin", "partner", "subject", "reporter", "stranger", "other_org_admin"]


@pytest.fixture
async def tokens(cohort, clock, gql) -> dict:
    w = cohort.world
    stranger = await w.participant(w.protege.role, "Sol Stranger")
    answer = await gql.data(
        REPORT, report_input(w.mentor.id, sessions=[cohort.sessions[w.protege.id].id]), token=w.protege_token
    )
    assert answer["reportConcern"]["__typename"] == "ReportReceipt"
    case = await Case.get()
    return {
        "admin": w.admin,
        "partner": w.partner,
        "subject": w.mentor_token,
        "reporter": w.protege_token,
        "stranger": await issue("demo", TokenRole.PARTICIPANT, clock, stranger.id),
        "other_org_admin": w.other_admin,
        "case_id": str(case.id),
        "reference": case.reference,
        "concern_id": str((await Concern.get()).id),
        "mentor_id": str(w.mentor.id),
    }


def code(body: dict) -> str | None:
    errors = body.get("errors") or []
    return errors[0].get("extensions", {}).get("code") if errors else None


ADMIN_ONLY_QUERIES = {
    "cases": "{ cases { id } }",
    "case": "query($case: ID!) { case(id: $case) { id concerns { description } moderatorNotes { body } } }",
    "moderatorNotes": "query($mentor: ID!) { moderatorNotes(participantId: $mentor) { body } }",
    "adminNudges": "{ adminNudges { message } }",
}


@pytest.mark.parametrize("name", list(ADMIN_ONLY_QUERIES))
@pytest.mark.parametrize("who", TOKENS)
async def test_only_an_admin_of_the_organization_reads_cases_and_notes(gql, tokens, name, who):
    body = await gql.execute(
        ADMIN_ONLY_QUERIES[name], {"case": tokens["case_id"], "mentor": tokens["mentor_id"]}, token=tokens[who]
    )
    if who == "admin":
        assert "errors" not in body, body
        assert body["data"][name] is not None
    elif who == "other_org_admin":
        assert "errors" not in body and body["data"][name] in ([], None)  # another organization's: not there
    else:
        assert code(body) == "FORBIDDEN", (who, body)
        assert "did not come" not in json.dumps(body)  # no description leaks through an error either


ADMIN_MUTATIONS = {
    "triageCase": (
        'mutation($case: ID!) { triageCase(input: {caseId: $case, reason: "r"}) { __typename } }',
        "CasePayload",
    ),
    "investigateCase": (
        'mutation($case: ID!) { investigateCase(input: {caseId: $case, reason: "r"}) { __typename } }',
        "CaseStepNotAllowedError",
    ),
    "dismissCase": (
        'mutation($case: ID!) { dismissCase(input: {caseId: $case, reason: "r"}) { __typename } }',
        "CasePayload",
    ),
    "closeCase": (
        'mutation($case: ID!) { closeCase(input: {caseId: $case, reason: "r"}) { __typename } }',
        "CaseStepNotAllowedError",
    ),
    "reopenCase": (
        'mutation($case: ID!) { reopenCase(input: {caseId: $case, reason: "r"}) { __typename } }',
        "CaseStepNotAllowedError",
    ),
    "assignCase": (
        'mutation($case: ID!) { assignCase(input: {caseId: $case, reason: "r"}) { __typename } }',
        "CasePayload",
    ),
    "decideCase": (
        'mutation($case: ID!) { decideCase(input: {caseId: $case, outcome: GUIDANCE, reason: "r"}) { __typename } }',
        "CaseStepNotAllowedError",
    ),
    "discloseReporter": (
        "mutation($case: ID!, $concern: ID!) { discloseReporter(input: {caseId: $case, "
        'concernId: $concern, reason: "r"}) { __typename } }',
        "CasePayload",
    ),
    "addModeratorNote": (
        'mutation($case: ID!) { addModeratorNote(input: {caseId: $case, body: "private"}) { __typename } }',
        "ModeratorNote",
    ),
    "openSessionNote": (
        'mutation($case: ID!) { openSessionNote(input: {noteId: "1", caseId: $case, reason: "r"}) { __typename } }',
        "NotFoundError",
    ),
    "setCaseStages": (
        'mutation { setCaseStages(stages: {triage_days: 2}, reason: "r") { __typename } }',
        "CaseStagesPayload",
    ),
}


@pytest.mark.parametrize("name", list(ADMIN_MUTATIONS))
@pytest.mark.parametrize("who", TOKENS)
async def test_only_an_admin_of_the_organization_handles_cases(gql, tokens, name, who):
    mutation, as_admin = ADMIN_MUTATIONS[name]
    body = await gql.execute(mutation, {"case": tokens["case_id"], "concern": tokens["concern_id"]}, token=tokens[who])
    if who == "admin":
        assert "errors" not in body, body
        assert body["data"][name]["__typename"] == as_admin
    elif who == "other_org_admin":
        assert "errors" not in body, body
        expected = "CaseStagesPayload" if name == "setCaseStages" else "NotFoundError"  # its own organization's
        assert body["data"][name]["__typename"] in {expected, "InvalidInputError"}
    else:
        assert code(body) == "FORBIDDEN", (who, body)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", "ReportReceipt"),
        ("partner", "ReportReceipt"),
        ("reporter", "ReportReceipt"),
        ("stranger", "NotPermittedError"),
        ("subject", "InvalidInputError"),
        ("other_org_admin", "NotFoundError"),
    ],
)
async def test_who_may_report_the_mentor(gql, tokens, cohort, who, expected):
    body = await gql.data(REPORT, report_input(cohort.world.mentor.id), token=tokens[who])
    assert body["reportConcern"]["__typename"] == expected


@pytest.mark.parametrize("who", TOKENS)
async def test_each_token_sees_only_its_own_reports_and_cases_about_itself(gql, tokens, who):
    data = await gql.data("{ myReports { caseReference } casesAboutMe { reference } }", token=tokens[who])
    assert data["myReports"] == ([{"caseReference": tokens["reference"]}] if who == "reporter" else [])
    assert data["casesAboutMe"] == []  # nothing decided yet


async def test_case_events_carry_no_reporter_and_no_text(tokens):
    for event in await OutboxEvent.filter(type__startswith="case."):
        wire = json.dumps(as_message(event))
        assert "did not come" not in wire and "Pat" not in wire and "protege" not in wire.lower()
    assert await OutboxEvent.filter(type="case.opened").count() == 1
