"""A case that misses a stage nudges the organization's admins, as an admin nudge and a `case.overdue` event:
fired by a real arq worker, and without Redis by the embedded sweep. Each stage is tested at its boundary."""

from __future__ import annotations

from datetime import timedelta

from domain.cases.policy import CASE_POLICY
from domain.models import AdminNudge, Case, OutboxEvent
from tests.support.cases import ASSIGN, REPORT, STEP, report_input

SECOND = timedelta(seconds=1)


async def open_case(gql, cohort) -> Case:
    w = cohort.world
    body = await gql.data(
        REPORT, report_input(w.mentor.id, sessions=[cohort.sessions[w.protege.id].id]), token=w.protege_token
    )
    assert body["reportConcern"]["__typename"] == "ReportReceipt"
    return await Case.get()


async def nudges() -> list[str]:
    return [n.kind for n in await AdminNudge.all().order_by("id")]


async def test_a_missed_triage_deadline_nudges_the_admins(gql, cohort, clock, fire):
    case = await open_case(gql, cohort)
    await gql.data(ASSIGN, {"input": {"caseId": str(case.id), "reason": "mine"}}, token=cohort.world.admin)
    clock.advance(CASE_POLICY.triage.value - SECOND)
    await fire()
    assert await nudges() == []  # a second before the stage is due: nothing yet
    clock.advance(2 * SECOND)
    await fire()
    assert await nudges() == ["case_triage"]
    event = await OutboxEvent.get(type="case.overdue")
    assert (event.event, event.participant_id) == ("triage_overdue", cohort.world.mentor.id)
    await fire()
    assert await nudges() == ["case_triage"]  # once


async def test_an_unassigned_case_nudges_after_24_hours_and_a_triaged_one_does_not(gql, cohort, clock, fire):
    case = await open_case(gql, cohort)
    clock.advance(CASE_POLICY.acknowledge.value + SECOND)
    await fire()
    assert await nudges() == ["case_acknowledge"]
    await gql.data(STEP % "triageCase", {"input": {"caseId": str(case.id), "reason": "r"}}, token=cohort.world.admin)
    clock.advance(CASE_POLICY.triage.value)
    await fire()
    assert await nudges() == ["case_acknowledge"]  # triaged in time: no triage nudge


async def test_an_organization_may_shorten_its_stages(gql, cohort, clock, fire):
    set_stages = 'mutation($s: JSON!) { setCaseStages(stages: $s, reason: "we move fast") { __typename ... on CaseStagesPayload { triageDays } } }'
    answer = await gql.data(set_stages, {"s": {"triage_days": 1}}, token=cohort.world.admin)
    assert answer["setCaseStages"] == {"__typename": "CaseStagesPayload", "triageDays": 1}
    await open_case(gql, cohort)
    clock.advance(timedelta(days=1) + SECOND)
    await fire()
    assert "case_triage" in await nudges()
