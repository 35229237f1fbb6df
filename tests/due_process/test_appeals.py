"""Appeals: one per step, by the participant it was taken against, within 20 days; decided by an admin who
did not take the step; reduced to a lighter rung; expired when nobody decides, fired by the worker and by
the embedded sweep; and while open, automation takes no further punitive step."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.access.principals import TokenRole
from domain.access.tokens import authenticate
from domain.appeals.policy import APPEAL_POLICY
from domain.deadlines.sweep import sweep
from domain.kernel.actors import Actor
from domain.models import Appeal, Notice, OutboxEvent, Participant, TransitionRecord
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event
from domain.standing.policy import TIME_POLICY
from tests.support.due_process import (
    APPEAL,
    APPEAL_BY_ID,
    DECIDE_APPEAL,
    HISTORY,
    WITHDRAW,
    history_nodes,
)
from tests.support.world import issue

SECOND = timedelta(seconds=1)
# Steps are taken by an admin token that is not one of the world's, so the world's admin may decide their appeals.


async def _step(world, participant, event, clock, admin_token_id: int = 9999, **params) -> TransitionRecord:
    result = await apply_event(
        StandingCommand(participant.id, event, Actor.admin(admin_token_id), f"{event}, for the test", params=params),
        clock=clock,
    )
    assert isinstance(result, TransitionApplied), result
    return result.record


async def _appeal(gql, step: TransitionRecord, token: str, statement: str = "It was not me") -> dict:
    variables = {"input": {"transitionId": str(step.id), "statement": statement}}
    return (await gql.data(APPEAL, variables, token=token))["appealSanction"]


async def _decide(gql, appeal_id: str, token: str, decision: str, **extra) -> dict:
    variables = {"input": {"appealId": appeal_id, "decision": decision, "reason": "considered", **extra}}
    return (await gql.data(DECIDE_APPEAL, variables, token=token))["decideAppeal"]


async def _written() -> tuple[int, int, int]:
    return await Appeal.all().count(), await TransitionRecord.all().count(), await Notice.all().count()


async def test_an_appeal_one_second_after_the_window_is_refused_and_one_at_its_end_is_filed(gql, world, clock):
    late = await _step(world, world.mentor, "issue_notice", clock)
    on_time = await _step(world, world.protege, "send_reminder", clock)
    clock.advance(APPEAL_POLICY.window.value)
    filed = await _appeal(gql, on_time, world.protege_token)
    assert filed["__typename"] == "AppealPayload", filed
    clock.advance(SECOND)
    before = await _written()
    refused = await _appeal(gql, late, world.mentor_token)
    assert refused["__typename"] == "NotPermittedError" and "window closed" in refused["message"]
    assert await _written() == before


async def test_a_step_is_appealed_once_and_only_by_its_participant(gql, world, clock):
    step = await _step(world, world.mentor, "issue_notice", clock)
    by_someone_else = await _appeal(gql, step, world.protege_token)
    assert by_someone_else["__typename"] == "NotFoundError"  # another's step looks like no step at all
    assert await Appeal.all().count() == 0
    refused = await gql.execute(APPEAL, {"input": {"transitionId": str(step.id), "statement": "x"}}, token=world.admin)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    first = await _appeal(gql, step, world.mentor_token)
    assert first["__typename"] == "AppealPayload"
    before = await _written()
    second = await _appeal(gql, step, world.mentor_token, "and again")
    assert second["__typename"] == "NotPermittedError" and "appealed once" in second["message"]
    assert await _written() == before


async def test_only_a_downward_step_can_be_appealed_and_a_statement_is_required(gql, world, clock):
    await _step(world, world.mentor, "issue_notice", clock)
    cleared = await _step(world, world.mentor, "clear_notice", clock)
    answer = await _appeal(gql, cleared, world.mentor_token)
    assert answer["__typename"] == "InvalidInputError"
    notice = await TransitionRecord.get(event="issue_notice")
    for statement in ("", "   ", "x" * (APPEAL_POLICY.max_statement + 1), "nul\x00byte"):
        answer = await _appeal(gql, notice, world.mentor_token, statement)
        assert answer["__typename"] == "InvalidInputError", statement[:10]
    assert await Appeal.all().count() == 0


async def test_the_admin_who_took_the_step_cannot_decide_its_appeal(gql, world, clock):
    admin_token = await issue("demo", TokenRole.ADMIN, clock)
    principal = await authenticate(admin_token)
    step = await _step(world, world.mentor, "issue_notice", clock, admin_token_id=principal.token_id)
    filed = await _appeal(gql, step, world.mentor_token)
    before = await _written()
    answer = await _decide(gql, filed["appeal"]["id"], admin_token, "UPHOLD")
    assert answer["__typename"] == "AppealStepNotAllowedError"
    assert answer["reasons"] == ["an appeal is decided by an admin who did not take the step appealed"]
    assert await _written() == before and (await Appeal.get()).state == "open"
    viewed = (await gql.data(APPEAL_BY_ID, {"id": filed["appeal"]["id"]}, token=admin_token))["appeal"]
    assert viewed["allowedEvents"] == []
    other = (await gql.data(APPEAL_BY_ID, {"id": filed["appeal"]["id"]}, token=world.admin))["appeal"]
    assert set(other["allowedEvents"]) == {"UPHOLD", "REDUCE", "OVERTURN"}


async def test_an_upheld_appeal_changes_nothing_and_cannot_be_decided_again(gql, world, clock):
    step = await _step(world, world.mentor, "issue_notice", clock)
    filed = await _appeal(gql, step, world.mentor_token)
    upheld = await _decide(gql, filed["appeal"]["id"], world.admin, "UPHOLD")
    assert upheld["appeal"]["state"] == "UPHELD" and upheld["steps"] == []
    assert (await Participant.get(id=world.mentor.id)).standing == "first_notice"
    assert (await Notice.filter(participant_id=world.mentor.id).order_by("-id").first()).template_key == "appeal_upheld"
    again = await _decide(gql, filed["appeal"]["id"], world.admin, "OVERTURN")
    assert again["__typename"] == "AppealStepNotAllowedError" and again["state"] == "UPHELD"
    assert (await Participant.get(id=world.mentor.id)).standing == "first_notice"


async def test_a_removal_reduced_to_a_suspension(gql, world, clock):
    await _step(world, world.mentor, "issue_notice", clock)
    removal = await _step(world, world.mentor, "remove", clock)
    filed = await _appeal(gql, removal, world.mentor_token)
    until = clock.now() + timedelta(days=14)
    wrong = await _decide(gql, filed["appeal"]["id"], world.admin, "REDUCE", reduceTo="SEND_REMINDER")
    assert wrong["__typename"] == "InvalidInputError"
    reduced = await _decide(
        gql, filed["appeal"]["id"], world.admin, "REDUCE", reduceTo="SUSPEND", until=until.isoformat()
    )
    assert reduced["__typename"] == "AppealDecisionPayload", reduced
    assert [(s["event"], s["toState"], s["overrules"]) for s in reduced["steps"]] == [
        ("UNDO_REMOVAL", "FIRST_NOTICE", str(removal.id)),
        ("SUSPEND", "SUSPENDED", str(removal.id)),
    ]
    mentor = await Participant.get(id=world.mentor.id)
    assert mentor.standing == "suspended" and mentor.suspended_until == until
    # One notice tells of the decision and the lighter rung; the rung writes none of its own.
    latest = await Notice.filter(participant_id=world.mentor.id).order_by("-id")
    assert [n.template_key for n in latest[:2]] == ["appeal_reduced", "remove"]


async def test_a_removal_is_overturned_even_after_the_undo_grace(gql, world, clock):
    await _step(world, world.mentor, "issue_notice", clock)
    removal = await _step(world, world.mentor, "remove", clock)
    clock.advance(APPEAL_POLICY.window.value - SECOND)
    filed = await _appeal(gql, removal, world.mentor_token)
    clock.advance(APPEAL_POLICY.decide_within.value - SECOND)  # 34 days: past the 30-day undo grace
    overturned = await _decide(gql, filed["appeal"]["id"], world.admin, "OVERTURN")
    assert overturned["__typename"] == "AppealDecisionPayload", overturned
    assert (await Participant.get(id=world.mentor.id)).standing == "first_notice"


async def test_the_appellant_withdraws_and_nobody_else_can(gql, world, clock):
    step = await _step(world, world.mentor, "issue_notice", clock)
    filed = await _appeal(gql, step, world.mentor_token)
    other = (await gql.data(WITHDRAW, {"id": filed["appeal"]["id"]}, token=world.protege_token))["withdrawAppeal"]
    assert other["__typename"] == "NotFoundError"
    mine = (await gql.data(WITHDRAW, {"id": filed["appeal"]["id"]}, token=world.mentor_token))["withdrawAppeal"]
    assert mine == {"__typename": "AppealPayload", "appeal": {"state": "WITHDRAWN"}}
    assert (await Participant.get(id=world.mentor.id)).standing == "first_notice"


async def test_an_undecided_appeal_expires_and_nothing_changes(gql, world, clock, fire):
    step = await _step(world, world.mentor, "issue_notice", clock)
    filed = await _appeal(gql, step, world.mentor_token)
    clock.advance(APPEAL_POLICY.decide_within.value - SECOND)
    await fire()
    assert (await Appeal.get()).state == "open"
    clock.advance(2 * SECOND)
    await fire()
    appeal = await Appeal.get()
    assert appeal.state == "expired" and appeal.result_id is None
    assert (await Participant.get(id=world.mentor.id)).standing == "first_notice"
    assert await TransitionRecord.all().count() == 1
    latest = await Notice.filter(participant_id=world.mentor.id).order_by("-id").first()
    assert latest.template_key == "appeal_expired" and latest.appeal_id == appeal.id
    assert await OutboxEvent.filter(type="appeal.changed", event="expired", ref=f"appeal:{appeal.id}").exists()
    late = await _decide(gql, filed["appeal"]["id"], world.admin, "OVERTURN")
    assert late["__typename"] == "AppealStepNotAllowedError" and late["state"] == "EXPIRED"


async def test_an_open_appeal_freezes_escalation_and_it_resumes_when_the_appeal_closes(gql, world, clock, fire):
    """The protégé was reminded on day 45 and appeals on day 50: the 60-day inactivity warning waits, the log
    says why, and when the appeal expires on day 64 the next sweep warns."""
    registered = clock.now()
    clock.advance(timedelta(days=45))
    reminder = await _step(world, world.protege, "send_reminder", clock)
    clock.advance(timedelta(days=5))
    filed = await _appeal(gql, reminder, world.protege_token)
    decide_by = clock.now() + APPEAL_POLICY.decide_within.value
    clock.set(registered + TIME_POLICY.inactivity.value + SECOND)
    await fire()
    protege = await Participant.get(id=world.protege.id)
    assert protege.standing == "reminder"
    history = history_nodes(await gql.data(HISTORY, {"id": str(protege.id)}, token=world.admin))
    held = history[0]
    assert (held["event"], held["outcome"], held["fromState"], held["toState"]) == (
        "ISSUE_WARNING",
        "HELD",
        "REMINDER",
        "REMINDER",
    )
    assert "open appeal" in held["reason"] and held["appealableUntil"] is None
    await fire()
    assert await TransitionRecord.filter(outcome="held").count() == 1  # the deadline waits; it is not retried
    clock.set(decide_by + SECOND)
    await fire()  # the appeal expires, and the held warning falls due again
    await fire()
    assert (await Appeal.get(id=int(filed["appeal"]["id"]))).state == "expired"
    assert (await Participant.get(id=world.protege.id)).standing == "warning"
    assert await Notice.filter(participant_id=world.protege.id, template_key="issue_warning").exists()


@pytest.mark.parametrize("decision", ["UPHOLD", "OVERTURN"])
async def test_deciding_the_appeal_releases_the_frozen_escalation(gql, world, clock, decision):
    registered = clock.now()
    clock.advance(timedelta(days=50))
    reminder = await _step(world, world.protege, "send_reminder", clock)
    filed = await _appeal(gql, reminder, world.protege_token)
    clock.set(registered + TIME_POLICY.inactivity.value + SECOND)
    await sweep(clock)
    assert await TransitionRecord.filter(outcome="held").count() == 1
    await _decide(gql, filed["appeal"]["id"], world.admin, decision)
    await sweep(clock)
    assert (await Participant.get(id=world.protege.id)).standing == "warning"
