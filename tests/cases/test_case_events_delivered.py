"""Case events reach the webhooks registered for them: opened, assigned and decided, signed, in order, and with
no reporter's identity and no words of a report or a note in the body (issue 13, item 7)."""

from __future__ import annotations

import json

from domain.events.outbox import CASE_ASSIGNED, CASE_DECIDED, CASE_OPENED
from domain.events.webhooks import deliver_due, register_webhook
from domain.models import Case
from tests.support.cases import ASSIGN, DECIDE, REPORT, STEP, report_input


async def test_case_events_are_delivered_to_their_webhook_without_reporter_or_text(gql, cohort, clock, monkeypatch):
    monkeypatch.setenv("STANDING_WEBHOOKS_ALLOW_LOOPBACK", "true")
    w = cohort.world
    await register_webhook(
        organization_id=w.org_id,
        url="http://127.0.0.1:9/hooks/cases",
        event_types=[CASE_OPENED, CASE_ASSIGNED, CASE_DECIDED],
        clock=clock,
    )
    answer = await gql.data(
        REPORT, report_input(w.mentor.id, sessions=[cohort.sessions[w.protege.id].id]), token=w.protege_token
    )
    assert answer["reportConcern"]["__typename"] == "ReportReceipt"
    case = await Case.get()
    await gql.data(ASSIGN, {"input": {"caseId": str(case.id), "reason": "mine"}}, token=w.admin)
    await gql.data(STEP % "triageCase", {"input": {"caseId": str(case.id), "reason": "cited"}}, token=w.admin)
    decided = await gql.data(
        DECIDE,
        {"input": {"caseId": str(case.id), "outcome": "NO_VIOLATION", "reason": "Sessions were rescheduled"}},
        token=w.admin,
    )
    assert decided["decideCase"]["__typename"] == "CaseDecisionPayload", decided
    posted: list[dict] = []

    async def receiver(url: str, body: bytes, headers: dict[str, str]) -> int:
        assert headers["Standing-Signature"].startswith("t=")
        posted.append(json.loads(body))
        return 204

    run = await deliver_due(clock, receiver)
    assert run.delivered == len(posted) == 3
    assert [p["type"] for p in posted] == [CASE_OPENED, CASE_ASSIGNED, CASE_DECIDED]
    assert all(p["ref"] == f"case:{case.reference}" for p in posted)
    wire = json.dumps(posted)
    reporter = w.protege
    for secret in ("did not come", "rescheduled", reporter.display_name, reporter.email):
        assert secret not in wire, secret
    assert {p["participant_id"] for p in posted} == {w.mentor.id}  # about the subject, never the reporter
