"""Every downward step of either ladder writes a notice in its own transaction; an unread notice is nudged
after a week; an organization may reword its notices, but never drop one of the six parts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.kernel.actors import Actor
from domain.models import BadgePolicyChange, Notice, Nudge, Organization, OutboxEvent, Participant, TransitionRecord
from domain.notices import issuing
from domain.notices.policy import NOTICE_POLICY
from domain.notices.templates import PART_TITLES, PARTS
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event
from tests.support.due_process import ACKNOWLEDGE, NOTICES, PREVIEW, SET_TEMPLATES

SECOND = timedelta(seconds=1)
# Each downward step, and the steps that lead to the state it is taken from.
LADDER = {
    "issue_notice": ("mentor", []),
    "suspend": ("mentor", ["issue_notice"]),
    "remove": ("mentor", ["issue_notice"]),
    "send_reminder": ("protege", []),
    "issue_warning": ("protege", []),
    "mark_ineligible": ("protege", []),
}


async def _step(participant: Participant, event: str, clock) -> TransitionApplied:
    params = {"until": clock.now() + timedelta(days=20)} if event == "suspend" else {}
    result = await apply_event(
        StandingCommand(participant.id, event, Actor.admin(1), f"because of {event}", params=params), clock=clock
    )
    assert isinstance(result, TransitionApplied), result
    return result


@pytest.mark.parametrize("event", list(LADDER))
async def test_every_downward_step_writes_its_notice_with_all_six_parts(world, clock, event):
    role, before = LADDER[event]
    person = world.mentor if role == "mentor" else world.protege
    for earlier in before:
        await _step(person, earlier, clock)
    applied = await _step(person, event, clock)
    notice = await Notice.get(transition_id=applied.record.id)
    assert (notice.template_key, notice.participant_id) == (event, person.id)
    assert set(notice.parts) == set(PARTS) and all(notice.parts[p].strip() for p in PARTS)
    assert all(f"{PART_TITLES[p]}\n{notice.parts[p]}" in notice.body for p in PARTS)
    assert f"because of {event}" in notice.parts["facts"]
    assert notice.appeal_by == applied.record.occurred_at + timedelta(days=20)
    assert await OutboxEvent.filter(type="notice.issued", ref=f"notice:{notice.id}").exists()


async def test_the_way_back_writes_no_notice(world, clock):
    await _step(world.mentor, "issue_notice", clock)
    await apply_event(StandingCommand(world.mentor.id, "clear_notice", Actor.admin(1), "cleared"), clock=clock)
    assert [n.template_key for n in await Notice.all()] == ["issue_notice"]


async def test_a_step_whose_notice_cannot_be_written_does_not_happen(world, clock, monkeypatch):
    async def broken(*args, **kwargs):
        raise RuntimeError("the template store is unreachable")

    monkeypatch.setattr(issuing, "render_step", broken)
    with pytest.raises(RuntimeError):
        await apply_event(StandingCommand(world.mentor.id, "issue_notice", Actor.admin(1), "late"), clock=clock)
    assert (await Participant.get(id=world.mentor.id)).standing == "good"
    assert await TransitionRecord.all().count() == 0 and await Notice.all().count() == 0


async def test_a_notice_left_unread_for_a_week_nudges_once_and_a_read_one_does_not(gql, world, clock, fire):
    await _step(world.mentor, "issue_notice", clock)
    await _step(world.protege, "send_reminder", clock)
    read = await Notice.get(participant_id=world.protege.id)
    acknowledged = (await gql.data(ACKNOWLEDGE, {"id": str(read.id)}, token=world.protege_token))["acknowledgeNotice"]
    assert acknowledged["__typename"] == "Notice" and acknowledged["acknowledgedAt"]
    clock.advance(NOTICE_POLICY.acknowledge_within.value - SECOND)
    await fire()
    assert await Nudge.filter(kind="notice").count() == 0
    clock.advance(2 * SECOND)
    await fire()
    [nudge] = await Nudge.filter(kind="notice")
    assert nudge.participant_id == world.mentor.id and "notice is waiting" in nudge.message
    await fire()
    assert await Nudge.filter(kind="notice").count() == 1


async def test_a_participant_acknowledges_only_their_own_notices(gql, world, clock):
    await _step(world.mentor, "issue_notice", clock)
    notice = await Notice.get()
    answer = (await gql.data(ACKNOWLEDGE, {"id": str(notice.id)}, token=world.protege_token))["acknowledgeNotice"]
    assert answer["__typename"] == "NotFoundError"
    assert (await Notice.get()).acknowledged_at is None
    refused = await gql.execute(ACKNOWLEDGE, {"id": str(notice.id)}, token=world.admin)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    mine = (await gql.data(NOTICES, token=world.mentor_token))["notices"]
    assert [n["acknowledgedAt"] for n in mine] == [None]


SUSPEND_WORDING = {
    "facts": "{date}: {reason}.{detail}",
    "code_section": "{code_section}",
    "consequence": "Protégés cannot find or book you until {until}.",
    "support": "{support_contact} will call you this week.",
    "remedy": "Talk to us; the suspension ends by itself on {until}.",
    "appeal": "Appeal by {appeal_by} with appealSanction.",
}


async def test_an_organization_rewords_a_notice_and_names_its_support(gql, world, clock):
    answer = (
        await gql.data(
            SET_TEMPLATES,
            {
                "input": {
                    "templates": {"suspend": {"parts": SUSPEND_WORDING}},
                    "supportContact": "Ana Ruiz, programme lead",
                    "reason": "our own voice",
                }
            },
            token=world.admin,
        )
    )["setNoticeTemplates"]
    assert answer["__typename"] == "NoticeSettingsPayload", answer
    assert answer["versions"]["suspend"].startswith("2026.1+org.") and answer["versions"]["remove"] == "2026.1"
    await _step(world.mentor, "issue_notice", clock)
    preview = (
        await gql.data(
            PREVIEW,
            {
                "input": {
                    "participantId": str(world.mentor.id),
                    "event": "SUSPEND",
                    "reason": "late again",
                    "until": (clock.now() + timedelta(days=9)).isoformat(),
                }
            },
            token=world.admin,
        )
    )["previewNotice"]
    assert preview["templateVersion"] == answer["versions"]["suspend"]
    assert preview["parts"]["support"] == "Ana Ruiz, programme lead will call you this week."
    assert preview["parts"]["consequence"].startswith("Protégés cannot find or book you until ")
    # Standing's own wording of the other steps names the contact too.
    removal = (
        await gql.data(
            PREVIEW,
            {"input": {"participantId": str(world.mentor.id), "event": "REMOVE", "reason": "x"}},
            token=world.admin,
        )
    )["previewNotice"]
    assert removal["templateVersion"] == "2026.1" and "Ana Ruiz, programme lead" in removal["parts"]["support"]
    first = await Notice.get(template_key="issue_notice")
    assert first.template_version == "2026.1"  # written before the change, and never rewritten


@pytest.mark.parametrize("missing", PARTS)
async def test_a_template_lacking_a_part_is_refused_and_nothing_is_written(gql, world, missing):
    wording = {part: text for part, text in SUSPEND_WORDING.items() if part != missing}
    answer = (
        await gql.data(
            SET_TEMPLATES,
            {"input": {"templates": {"suspend": {"parts": wording}}, "reason": "trim"}},
            token=world.admin,
        )
    )["setNoticeTemplates"]
    assert answer["__typename"] == "InvalidInputError" and answer["field"] == "templates"
    assert missing in answer["message"]
    assert (await Organization.get(id=world.org_id)).notice_templates is None
    assert not await BadgePolicyChange.filter(policy="notices").exists()


@pytest.mark.parametrize(
    ("templates", "problem"),
    [
        ({"suspend": {"parts": {**SUSPEND_WORDING, "facts": "{password}"}}}, "unknown placeholders"),
        ({"suspend": {"parts": {**SUSPEND_WORDING, "facts": "{date"}}}, "suspend.facts"),
        ({"ban": {"parts": SUSPEND_WORDING}}, "unknown template"),
        ({"suspend": {"parts": {**SUSPEND_WORDING, "footer": "x"}}}, "unknown parts"),
        ({"suspend": "text"}, "an object"),
        ([1], "an object"),
    ],
)
async def test_a_broken_template_is_refused_with_the_reason(gql, world, templates, problem):
    answer = (await gql.data(SET_TEMPLATES, {"input": {"templates": templates, "reason": "x"}}, token=world.admin))[
        "setNoticeTemplates"
    ]
    assert answer["__typename"] == "InvalidInputError" and problem in answer["message"], answer
    assert (await Organization.get(id=world.org_id)).notice_templates is None


async def test_a_preview_of_a_step_that_writes_no_notice_is_refused(gql, world):
    answer = (
        await gql.data(
            PREVIEW,
            {"input": {"participantId": str(world.mentor.id), "event": "CLEAR_NOTICE", "reason": "x"}},
            token=world.admin,
        )
    )["previewNotice"]
    assert answer["__typename"] == "InvalidInputError"
    refused = await gql.execute(
        PREVIEW,
        {"input": {"participantId": str(world.mentor.id), "event": "ISSUE_NOTICE", "reason": "x"}},
        token=world.mentor_token,
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
