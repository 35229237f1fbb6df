"""GraphQL for concerns and cases, shared by the case tests."""

from __future__ import annotations

REPORT = """mutation($input: ReportConcernInput!) { reportConcern(input: $input) {
  __typename ... on ReportReceipt { caseReference status joinedExistingCase message }
  ... on UserError { message } ... on InvalidInputError { field } } }"""


CASE = """query($id: ID!) { case(id: $id) { id reference state version assignee
  concerns { reporterKind description evidence { sessionIds } }
  log { event fromState toState actor { kind } reason }
  decisions { outcome standingEvent transitionId reporterSummary }
  allowedEvents stages { stage dueAt nudged } } }"""
STEP = """mutation($input: CaseStepInput!) { %s(input: $input) { __typename
  ... on CasePayload { case { state version } } ... on UserError { message } } }"""
ASSIGN = """mutation($input: AssignCaseInput!) { assignCase(input: $input) { __typename
  ... on CasePayload { case { assignee } } ... on UserError { message } } }"""
DECIDE = """mutation($input: DecideCaseInput!) { decideCase(input: $input) { __typename
  ... on CaseDecisionPayload { case { state } decision { outcome reporterSummary }
    transition { event fromState toState evidence reasonCode } }
  ... on UserError { message } ... on CaseStepNotAllowedError { reasons } } }"""
MY_REPORTS = "{ myReports { caseReference status outcome } }"
ABOUT_ME = "{ casesAboutMe { reference outcome standingEvent reason disclosedReporters } }"
HISTORY = """query($id: ID!) { participant(id: $id) { standing { state history { edges { node {
  event evidence reason } } } } } }"""


def report_input(
    subject_id: int,
    *,
    sessions: list[int] = (),
    category: str = "RELIABILITY_AND_ATTENDANCE",
    description: str = "The mentor did not come to our session and sent no word.",
) -> dict:
    return {
        "input": {
            "subjectId": str(subject_id),
            "category": category,
            "codeSection": "Mentor Code 3",
            "description": description,
            "evidence": {"sessionIds": [str(s) for s in sessions]},
        }
    }
