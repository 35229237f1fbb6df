"""A mentor suspended through a case reads the notice, all six parts of it, with their own token; the preview
the admin read before deciding was the same text. The mentor appeals, and a second admin overturns the
suspension: the mentor is back in FIRST_NOTICE, the history shows the step, its appeal and the reversal, and
no log row was updated. Through GraphQL, on both databases."""

from __future__ import annotations

from datetime import timedelta

from domain.models import Appeal, Case, Notice, OutboxEvent, Participant, TransitionRecord
from domain.notices.templates import shipped
from tests.support.cases import DECIDE, REPORT, STEP, report_input
from tests.support.due_process import APPEAL, DECIDE_APPEAL, HISTORY, NOTICES, PREVIEW, history_nodes

REASON = "A second pattern of missed sessions after the first notice"


async def _suspend_through_a_case(gql, cohort, clock) -> tuple[dict, dict]:
    """First notice by an admin, then a case decided as a suspension. Returns (preview, decision)."""
    w = cohort.world
    first = await gql.data(
        'mutation($p: ID!) { issueNotice(input: {participantId: $p, reason: "Two missed sessions"}) { __typename } }',
        {"p": str(w.mentor.id)},
        token=w.admin,
    )
    assert first["issueNotice"]["__typename"] == "TransitionPayload"
    await gql.data(
        REPORT, report_input(w.mentor.id, sessions=[cohort.sessions[w.protege.id].id]), token=w.protege_token
    )
    case = await Case.get()
    await gql.data(STEP % "triageCase", {"input": {"caseId": str(case.id), "reason": "cited"}}, token=w.admin)
    until = clock.now() + timedelta(days=30)
    preview = (
        await gql.data(
            PREVIEW,
            {
                "input": {
                    "participantId": str(w.mentor.id),
                    "event": "SUSPEND",
                    "reason": REASON,
                    "until": until.isoformat(),
                    "caseId": str(case.id),
                }
            },
            token=w.admin,
        )
    )["previewNotice"]
    assert preview["__typename"] == "NoticePreview", preview
    assert await Notice.filter(template_key="suspend").count() == 0  # a preview writes nothing
    decided = (
        await gql.data(
            DECIDE,
            {
                "input": {
                    "caseId": str(case.id),
                    "outcome": "STANDING_EVENT",
                    "event": "SUSPEND",
                    "until": until.isoformat(),
                    "reason": REASON,
                }
            },
            token=w.admin,
        )
    )["decideCase"]
    assert decided["__typename"] == "CaseDecisionPayload", decided
    return preview, decided


async def test_a_suspension_through_a_case_writes_a_six_part_notice_the_mentor_reads(gql, cohort, clock):
    w = cohort.world
    preview, _ = await _suspend_through_a_case(gql, cohort, clock)
    notices = (await gql.data(NOTICES, token=w.mentor_token))["notices"]
    assert [n["templateKey"] for n in notices] == ["suspend", "issue_notice"]  # newest first
    notice = notices[0]
    assert notice["templateVersion"] == shipped()["suspend"].version == "2026.1"
    assert all(text.strip() for text in notice["parts"].values()) and len(notice["parts"]) == 6
    case = await Case.get()
    assert case.reference in notice["parts"]["facts"] and REASON in notice["parts"]["facts"]
    assert "Second Notice" in notice["parts"]["codeSection"] and case.code_section in notice["parts"]["codeSection"]
    suspended_until = (await Participant.get(id=w.mentor.id)).suspended_until
    assert f"hidden from protégés until {suspended_until:%-d %B %Y}" in notice["parts"]["consequence"]
    assert "program admins" in notice["parts"]["support"]  # the organization named nobody: Standing's default
    assert "appealSanction" in notice["parts"]["appeal"] and notice["appealBy"]
    assert "until" in notice["parts"]["appeal"]
    # The preview before the step was this very text.
    for key in ("templateKey", "templateVersion", "title", "body", "parts", "appealBy"):
        assert preview[key] == notice[key], key
    # The platform hears of it, to email it.
    event = await OutboxEvent.get(type="notice.issued", ref=f"notice:{notice['id']}")
    assert (event.participant_id, event.event) == (w.mentor.id, "suspend")
    # Another participant does not read it (the protégé reads only that their mentor is unavailable), and a
    # partner reads no notices at all.
    assert [n["templateKey"] for n in (await gql.data(NOTICES, token=w.protege_token))["notices"]] == [
        "mentor_unavailable"
    ]
    refused = await gql.execute(NOTICES, token=w.partner)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_second_admin_overturns_the_appealed_suspension_and_the_log_only_grows(gql, cohort, clock):
    w = cohort.world
    _, decided = await _suspend_through_a_case(gql, cohort, clock)
    suspension = await TransitionRecord.get(participant_id=w.mentor.id, event="suspend")
    clock.advance(timedelta(days=5))
    filed = (
        await gql.data(
            APPEAL,
            {"input": {"transitionId": str(suspension.id), "statement": "I was on a hospital ward; I wrote ahead."}},
            token=w.mentor_token,
        )
    )["appealSanction"]
    assert filed["__typename"] == "AppealPayload" and filed["appeal"]["state"] == "OPEN", filed
    before = {r.id: _row(r) for r in await TransitionRecord.all()}

    # The admin who suspended may not decide the appeal of it; nothing is written when they try.
    refused = (
        await gql.data(
            DECIDE_APPEAL,
            {"input": {"appealId": filed["appeal"]["id"], "decision": "OVERTURN", "reason": "fine"}},
            token=w.admin,
        )
    )["decideAppeal"]
    assert refused["__typename"] == "AppealStepNotAllowedError" and refused["state"] == "OPEN"
    assert any("did not take the step" in r for r in refused["reasons"])
    assert await TransitionRecord.all().count() == len(before) and (await Appeal.get()).state == "open"

    overturned = (
        await gql.data(
            DECIDE_APPEAL,
            {
                "input": {
                    "appealId": filed["appeal"]["id"],
                    "decision": "OVERTURN",
                    "reason": "The ward confirmed the mentor wrote ahead of both sessions",
                }
            },
            token=cohort.other_admin_same_org,
        )
    )["decideAppeal"]
    assert overturned["__typename"] == "AppealDecisionPayload", overturned
    assert overturned["appeal"]["state"] == "OVERTURNED"
    [reversal] = overturned["steps"]
    assert (reversal["event"], reversal["toState"], reversal["overrules"]) == (
        "LIFT_SUSPENSION",
        "FIRST_NOTICE",
        str(suspension.id),
    )
    assert (await Participant.get(id=w.mentor.id)).standing == "first_notice"

    history = history_nodes(await gql.data(HISTORY, {"id": str(w.mentor.id)}, token=w.admin))
    assert [n["event"] for n in history] == ["LIFT_SUSPENSION", "SUSPEND", "ISSUE_NOTICE"]
    lifted, original, _ = history
    assert lifted["overrules"] == str(suspension.id) and lifted["actor"]["kind"] == "ADMIN"
    assert original["appeal"] == {"id": filed["appeal"]["id"], "state": "OVERTURNED"}
    assert original["overruledBy"] == lifted["id"] and original["toState"] == "SUSPENDED"

    # The log grew by the reversal alone, and no earlier row changed.
    after = {r.id: _row(r) for r in await TransitionRecord.all()}
    assert {i: after[i] for i in before} == before and len(after) == len(before) + 1
    # The decision wrote a notice of its own.
    latest = (await gql.data(NOTICES, token=w.mentor_token))["notices"][0]
    assert latest["templateKey"] == "appeal_overturned" and "suspension" in latest["parts"]["facts"]


def _row(record: TransitionRecord) -> tuple:
    return (
        record.event,
        record.from_state,
        record.to_state,
        record.actor_kind,
        record.actor_id,
        record.reason,
        record.evidence,
        record.policy_version,
        record.occurred_at,
        record.outcome,
        record.overrules,
    )
