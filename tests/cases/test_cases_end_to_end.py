"""Two protégés report the same mentor for no-shows; both reports join one case; an admin who is not a party
triages it and decides "issue notice". Through GraphQL, on both databases."""

from __future__ import annotations

from domain.models import Case, CaseLogEntry, Concern, Participant, TransitionRecord
from tests.support.cases import ABOUT_ME, ASSIGN, CASE, DECIDE, HISTORY, MY_REPORTS, REPORT, STEP, report_input


async def test_two_reports_of_the_same_facts_become_one_case_decided_as_a_first_notice(gql, cohort, clock):
    w = cohort.world
    first = (
        await gql.data(
            REPORT, report_input(w.mentor.id, sessions=[cohort.sessions[w.protege.id].id]), token=w.protege_token
        )
    )["reportConcern"]
    second = (
        await gql.data(
            REPORT,
            report_input(w.mentor.id, sessions=[cohort.sessions[cohort.second.id].id]),
            token=cohort.second_token,
        )
    )["reportConcern"]
    assert first["__typename"] == second["__typename"] == "ReportReceipt"
    assert first["caseReference"] == second["caseReference"] and first["caseReference"] in first["message"]
    assert (first["joinedExistingCase"], second["joinedExistingCase"]) == (False, True)
    assert await Case.all().count() == 1 and await Concern.all().count() == 2
    reference = first["caseReference"]

    case = (await gql.data(CASE, {"id": reference}, token=w.admin))["case"]
    assert case["state"] == "OPEN" and len(case["concerns"]) == 2
    assert {s["stage"] for s in case["stages"]} == {"acknowledge", "triage", "decide"}
    assigned = await gql.data(ASSIGN, {"input": {"caseId": case["id"], "reason": "mine"}}, token=w.admin)
    assert assigned["assignCase"]["__typename"] == "CasePayload"
    triaged = await gql.data(
        STEP % "triageCase", {"input": {"caseId": case["id"], "reason": "two no-shows cited"}}, token=w.admin
    )
    assert triaged["triageCase"]["case"]["state"] == "TRIAGED"
    decided = (
        await gql.data(
            DECIDE,
            {
                "input": {
                    "caseId": case["id"],
                    "outcome": "STANDING_EVENT",
                    "event": "ISSUE_NOTICE",
                    "reason": "Two sessions missed without notice",
                    "reporterSummary": "ACTION_TAKEN",
                }
            },
            token=w.admin,
        )
    )["decideCase"]
    assert decided["__typename"] == "CaseDecisionPayload", decided
    assert decided["case"]["state"] == "DECIDED"
    assert (decided["transition"]["event"], decided["transition"]["toState"]) == ("ISSUE_NOTICE", "FIRST_NOTICE")

    assert (await Participant.get(id=w.mentor.id)).standing == "first_notice"
    history = (await gql.data(HISTORY, {"id": str(w.mentor.id)}, token=w.admin))["participant"]["standing"]
    [entry] = history["history"]["edges"]
    assert entry["node"]["evidence"]["case"]["reference"] == reference
    assert sorted(entry["node"]["evidence"]["case"]["sessions"]) == sorted(s.id for s in cohort.sessions.values())

    for token in (w.protege_token, cohort.second_token):
        [mine] = (await gql.data(MY_REPORTS, token=token))["myReports"]
        assert mine == {"caseReference": reference, "status": "decided", "outcome": "ACTION_TAKEN"}
    [about] = (await gql.data(ABOUT_ME, token=w.mentor_token))["casesAboutMe"]
    assert about["reference"] == reference and about["standingEvent"] == "ISSUE_NOTICE"
    assert about["disclosedReporters"] == []
    seen_by_mentor = str(await gql.data(ABOUT_ME, token=w.mentor_token))
    assert "Pat" not in seen_by_mentor and "Quinn" not in seen_by_mentor
    events = [e.event for e in await CaseLogEntry.all().order_by("id")]
    assert events == ["open", "report", "assign", "triage", "decide"]
    assert await TransitionRecord.filter(participant_id=w.mentor.id).count() == 1


async def test_a_report_citing_the_same_session_joins_the_case_even_after_it_was_decided(gql, cohort, clock):
    w = cohort.world
    session = cohort.sessions[w.protege.id].id
    first = await gql.data(REPORT, report_input(w.mentor.id, sessions=[session]), token=w.protege_token)
    case_id = (await Case.get()).id
    await gql.data(STEP % "dismissCase", {"input": {"caseId": str(case_id), "reason": "no pattern yet"}}, token=w.admin)
    again = (await gql.data(REPORT, report_input(w.mentor.id, sessions=[session]), token=w.admin))["reportConcern"]
    assert again["caseReference"] == first["reportConcern"]["caseReference"] and again["joinedExistingCase"]
    assert await Case.all().count() == 1


async def test_the_subject_sees_a_reporter_only_once_an_admin_discloses_them(gql, cohort, clock):
    w = cohort.world
    await gql.data(
        REPORT, report_input(w.mentor.id, sessions=[cohort.sessions[w.protege.id].id]), token=w.protege_token
    )
    case = await Case.get()
    concern = await Concern.get()
    await gql.data(STEP % "triageCase", {"input": {"caseId": str(case.id), "reason": "r"}}, token=w.admin)
    await gql.data(
        DECIDE, {"input": {"caseId": str(case.id), "outcome": "GUIDANCE", "reason": "talked it through"}}, token=w.admin
    )
    assert (await gql.data(ABOUT_ME, token=w.mentor_token))["casesAboutMe"][0]["disclosedReporters"] == []
    disclose = """mutation($input: DiscloseReporterInput!) { discloseReporter(input: $input) { __typename } }"""
    await gql.data(
        disclose,
        {"input": {"caseId": str(case.id), "concernId": str(concern.id), "reason": "the protégé asked to be named"}},
        token=w.admin,
    )
    [about] = (await gql.data(ABOUT_ME, token=w.mentor_token))["casesAboutMe"]
    assert about["disclosedReporters"] == ["Pat Protege"] and about["outcome"] == "GUIDANCE"
    assert (await CaseLogEntry.filter(event="disclose_reporter").get()).reason == "the protégé asked to be named"


async def test_a_no_violation_decision_is_not_shown_to_the_subject_and_tells_reporters_so(gql, cohort, clock):
    w = cohort.world
    await gql.data(
        REPORT, report_input(w.mentor.id, sessions=[cohort.sessions[w.protege.id].id]), token=w.protege_token
    )
    case = await Case.get()
    await gql.data(STEP % "triageCase", {"input": {"caseId": str(case.id), "reason": "r"}}, token=w.admin)
    await gql.data(
        DECIDE,
        {
            "input": {
                "caseId": str(case.id),
                "outcome": "NO_VIOLATION",
                "reason": "the session was moved by the platform",
            }
        },
        token=w.admin,
    )
    assert (await gql.data(ABOUT_ME, token=w.mentor_token))["casesAboutMe"] == []
    [mine] = (await gql.data(MY_REPORTS, token=w.protege_token))["myReports"]
    assert mine["outcome"] == "NO_VIOLATION_FOUND"
    assert (await Participant.get(id=w.mentor.id)).standing == "good"
