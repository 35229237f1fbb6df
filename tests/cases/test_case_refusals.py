"""Bad input returns a typed error and writes nothing: an unknown subject, a report about oneself, evidence the
reporter cannot see, too many reports, deciding an already decided case, and an admin deciding a case about
themselves. Re-deciding a reopened case supersedes the earlier decision and its rung."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.access.principals import TokenRole
from domain.models import Case, CaseDecision, CaseLogEntry, Concern, Participant, TransitionRecord
from tests.support.cases import DECIDE, REPORT, STEP, report_input
from tests.support.world import issue


async def counts() -> tuple[int, int, int, int]:
    return (
        await Case.all().count(),
        await Concern.all().count(),
        await CaseLogEntry.all().count(),
        await TransitionRecord.all().count(),
    )


async def report(gql, token, variables) -> dict:
    return (await gql.data(REPORT, variables, token=token))["reportConcern"]


async def test_reports_that_cannot_be_filed_get_typed_errors_and_write_nothing(gql, cohort, clock):
    w = cohort.world
    other_session = cohort.sessions[cohort.second.id].id  # Quinn's session: Pat cannot see it
    cases = [
        (w.protege_token, report_input(99999), "NotFoundError"),
        (w.protege_token, report_input(w.protege.id), "InvalidInputError"),
        (w.protege_token, report_input(w.mentor.id, sessions=[other_session]), "InvalidInputError"),
        (w.protege_token, report_input(w.mentor.id, sessions=[987654]), "InvalidInputError"),
        (w.protege_token, report_input(w.mentor.id, description="  "), "InvalidInputError"),
        (w.other_admin, report_input(w.mentor.id), "NotFoundError"),  # another organization's admin
    ]
    stranger = await w.participant(w.protege.role, "Sol Stranger")
    stranger_token = await issue("demo", TokenRole.PARTICIPANT, clock, stranger.id)
    cases.append((stranger_token, report_input(w.mentor.id), "NotPermittedError"))  # no session, no message
    for token, variables, expected in cases:
        answer = await report(gql, token, variables)
        assert answer["__typename"] == expected, (variables, answer)
    assert await counts() == (0, 0, 0, 0)


async def test_a_reporter_may_file_five_reports_a_day(gql, cohort, clock):
    w = cohort.world
    for _ in range(5):
        assert (await report(gql, w.protege_token, report_input(w.mentor.id)))["__typename"] == "ReportReceipt"
    refused = await report(gql, w.protege_token, report_input(w.mentor.id))
    assert refused["__typename"] == "NotPermittedError" and "5 reports a day" in refused["message"]
    clock.advance(timedelta(days=1, seconds=1))
    assert (await report(gql, w.protege_token, report_input(w.mentor.id)))["__typename"] == "ReportReceipt"


async def _decided_case(gql, cohort) -> Case:
    w = cohort.world
    await report(gql, w.protege_token, report_input(w.mentor.id, sessions=[cohort.sessions[w.protege.id].id]))
    case = await Case.get()
    await gql.data(STEP % "triageCase", {"input": {"caseId": str(case.id), "reason": "r"}}, token=w.admin)
    decided = await gql.data(
        DECIDE,
        {
            "input": {
                "caseId": str(case.id),
                "outcome": "STANDING_EVENT",
                "event": "ISSUE_NOTICE",
                "reason": "two no-shows",
            }
        },
        token=w.admin,
    )
    assert decided["decideCase"]["__typename"] == "CaseDecisionPayload"
    return case


async def test_an_already_decided_case_cannot_be_decided_again(gql, cohort):
    case = await _decided_case(gql, cohort)
    before = await counts()
    again = (
        await gql.data(
            DECIDE,
            {
                "input": {
                    "caseId": str(case.id),
                    "outcome": "STANDING_EVENT",
                    "event": "ISSUE_NOTICE",
                    "reason": "again",
                }
            },
            token=cohort.world.admin,
        )
    )["decideCase"]
    assert again["__typename"] == "CaseStepNotAllowedError"
    assert await counts() == before and await CaseDecision.all().count() == 1


async def test_an_admin_who_is_a_party_can_neither_decide_nor_be_assigned(gql, cohort, clock):
    w = cohort.world
    # An admin who is also the mentor reported about: a party to the case.
    mentor_admin = await issue("demo", TokenRole.ADMIN, clock, w.mentor.id)
    await report(gql, w.protege_token, report_input(w.mentor.id, sessions=[cohort.sessions[w.protege.id].id]))
    case = await Case.get()
    await gql.data(STEP % "triageCase", {"input": {"caseId": str(case.id), "reason": "r"}}, token=w.admin)
    before = await counts()
    refused = (
        await gql.data(
            DECIDE,
            {"input": {"caseId": str(case.id), "outcome": "NO_VIOLATION", "reason": "nothing happened"}},
            token=mentor_admin,
        )
    )["decideCase"]
    assert refused["__typename"] == "CaseStepNotAllowedError"
    assert refused["reasons"] == [
        "an admin who is a party to the case (its subject, or one who reported it) may not decide it"
    ]
    assign = """mutation($input: AssignCaseInput!) { assignCase(input: $input) { __typename } }"""
    assigned = await gql.data(assign, {"input": {"caseId": str(case.id), "reason": "mine"}}, token=mentor_admin)
    assert assigned["assignCase"]["__typename"] == "NotPermittedError"
    assert await counts() == before and (await Participant.get(id=w.mentor.id)).standing == "good"


async def test_an_admin_who_reported_cannot_decide_the_case(gql, cohort):
    w = cohort.world
    await report(gql, w.admin, report_input(w.mentor.id))
    case = await Case.get()
    await gql.data(
        STEP % "triageCase", {"input": {"caseId": str(case.id), "reason": "r"}}, token=cohort.other_admin_same_org
    )
    refused = (
        await gql.data(DECIDE, {"input": {"caseId": str(case.id), "outcome": "GUIDANCE", "reason": "r"}}, token=w.admin)
    )["decideCase"]
    assert refused["__typename"] == "CaseStepNotAllowedError"
    decided = (
        await gql.data(
            DECIDE,
            {"input": {"caseId": str(case.id), "outcome": "GUIDANCE", "reason": "r"}},
            token=cohort.other_admin_same_org,
        )
    )["decideCase"]
    assert decided["__typename"] == "CaseDecisionPayload"


async def test_a_decision_whose_rung_is_refused_leaves_the_case_undecided(gql, cohort, clock):
    w = cohort.world
    await report(gql, w.protege_token, report_input(w.mentor.id, sessions=[cohort.sessions[w.protege.id].id]))
    case = await Case.get()
    await gql.data(STEP % "triageCase", {"input": {"caseId": str(case.id), "reason": "r"}}, token=w.admin)
    before = await counts()
    until = (clock.now() + timedelta(days=7)).isoformat()
    refused = (
        await gql.data(
            DECIDE,
            {
                "input": {
                    "caseId": str(case.id),
                    "outcome": "STANDING_EVENT",
                    "event": "SUSPEND",
                    "until": until,
                    "reason": "serious",
                }
            },
            token=w.admin,
        )
    )["decideCase"]
    assert refused["__typename"] == "TransitionNotAllowedError"  # a suspension needs a first notice on record
    assert await counts() == before and (await Case.get()).state == "triaged"


@pytest.mark.parametrize(
    ("second", "expected_state", "rungs"),
    [
        ({"outcome": "NO_VIOLATION"}, "good", ["issue_notice", "clear_notice"]),
        ({"outcome": "STANDING_EVENT", "event": "ISSUE_NOTICE"}, "first_notice", ["issue_notice"]),
    ],
)
async def test_deciding_a_reopened_case_again_supersedes_the_earlier_decision(
    gql, cohort, second, expected_state, rungs
):
    w = cohort.world
    case = await _decided_case(gql, cohort)
    await gql.data(STEP % "reopenCase", {"input": {"caseId": str(case.id), "reason": "new facts"}}, token=w.admin)
    await gql.data(STEP % "triageCase", {"input": {"caseId": str(case.id), "reason": "again"}}, token=w.admin)
    redecided = (
        await gql.data(DECIDE, {"input": {"caseId": str(case.id), "reason": "second look", **second}}, token=w.admin)
    )["decideCase"]
    assert redecided["__typename"] == "CaseDecisionPayload", redecided
    assert (await Participant.get(id=w.mentor.id)).standing == expected_state
    log = await TransitionRecord.filter(participant_id=w.mentor.id).order_by("id")
    assert [r.event for r in log] == rungs  # one rung per case at most, and an undone one is undone in the log
    first, latest = await CaseDecision.all().order_by("id")
    assert latest.supersedes_id == first.id
