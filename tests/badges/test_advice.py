"""Badge advice and descriptions tell the truth: an unmet criterion never reads as met, `dueBy` is a future
time or absent, each criterion's advice points at its own kind of work, and descriptions follow the values in
force, organization overrides included."""

from __future__ import annotations

import io
from datetime import timedelta

import pypdf

from domain.activity.acting import Acting
from domain.activity.messages import RespondToMessage, SendMessage
from domain.activity.record import record_activity
from domain.badges.advice import advise
from domain.badges.criteria.mentor import RESPONSIVENESS, SESSION_REPORTING
from domain.badges.evaluation import evaluate_badges
from domain.badges.overrides import policy_for
from domain.kernel.roles import Role
from domain.models import BadgeRecord, Message, Organization
from tests.support.activity import attended_session, exemplary_pair, goal_for

ADVICE = "query($id: ID!) { participant(id: $id) { badge { criteria { key met value } advice { criterion message dueBy } } } }"


async def _advice(gql, token, participant_id: int) -> dict[str, dict]:
    badge = (await gql.data(ADVICE, {"id": str(participant_id)}, token=token))["participant"]["badge"]
    return {a["criterion"]: a for a in badge["advice"]}


async def test_an_unmet_rate_just_under_the_threshold_never_reads_as_met(world, clock):
    item = {"key": "responsiveness", "met": False, "value": 0.949}
    advice = await RESPONSIVENESS.advice.advise(world.mentor.id, RESPONSIVENESS, item, clock.now())
    assert advice is not None
    assert "94.9% against 95%" in advice.message and "95% against 95%" not in advice.message


async def test_session_reporting_advice_points_at_notes_not_at_unanswered_messages(gql, world, clock):
    acting = Acting(world.org_id)
    goal = await goal_for(acting, world.protege, world.mentor, clock)
    await attended_session(acting, world.mentor, world.protege, goal, clock, notes=False)  # notes due in 48 hours
    clock.advance(timedelta(hours=49))  # that session's notes are now late: session reporting is at 0%
    message = await record_activity(
        acting, SendMessage(sender_id=world.protege.id, recipient_id=world.mentor.id), clock=clock
    )  # unanswered: due in 48 hours
    assert isinstance(message, Message)
    second = await attended_session(acting, world.mentor, world.protege, goal, clock, notes=False)  # notes due later
    await evaluate_badges(clock=clock, participant_ids=[world.mentor.id])
    reporting = (await _advice(gql, world.admin, world.mentor.id))["session_reporting"]
    assert "0% against 90%" in reporting["message"]
    assert second.notes_due_at != message.respond_by
    assert reporting["dueBy"] == second.notes_due_at.isoformat()  # the next notes due, not the next answer


async def test_a_lapsed_rate_advises_no_due_time_in_the_past(gql, world, clock):
    acting = Acting(world.org_id)
    await exemplary_pair(acting, world.mentor, world.protege, clock)
    for _ in range(3):  # three messages the protégé never answers
        await record_activity(
            acting, SendMessage(sender_id=world.mentor.id, recipient_id=world.protege.id), clock=clock
        )
    clock.advance(timedelta(days=5, seconds=1))  # every window has lapsed, and the lapses' dispute windows closed
    await evaluate_badges(clock=clock, participant_ids=[world.protege.id])
    advice = await _advice(gql, world.admin, world.protege.id)
    assert "timely_response" in advice
    badge = await BadgeRecord.get(participant_id=world.protege.id)
    assert badge.state == "at_risk"  # the badge was held: its lapse opens a cure window, and that is the due time
    assert advice["timely_response"]["dueBy"] == badge.cure_by.isoformat()
    assert "to keep the badge" in advice["timely_response"]["message"]
    for piece in advice.values():
        assert piece["dueBy"] is None or piece["dueBy"] > clock.now().isoformat()


async def test_a_message_answered_within_48_hours_counts_when_it_is_answered(world, clock):
    acting = Acting(world.org_id)
    message = await record_activity(
        acting, SendMessage(sender_id=world.protege.id, recipient_id=world.mentor.id), clock=clock
    )
    clock.advance(timedelta(hours=5))
    await record_activity(acting, RespondToMessage(message_id=message.id), clock=clock)  # evaluates the mentor
    evidence = {c["key"]: c for c in (await BadgeRecord.get(participant_id=world.mentor.id)).criteria}
    assert evidence["responsiveness"]["value"] == 1.0  # counted now, not 43 hours later when its window closes


def test_descriptions_are_worded_from_the_values_in_force():
    assert SESSION_REPORTING.description == "90% of session notes submitted on time (48 hours)."
    code = _protege({}).criteria
    assert {c.key: c.description for c in code}["session_attendance"] == "Attend at least 3 sessions over 60 days."
    ours = {
        c.key: c.description
        for c in _protege(
            {"session_attendance": {"threshold": 2, "window_days": 90}, "timely_response": {"threshold": 0.925}}
        ).criteria
    }
    assert ours["session_attendance"] == "Attend at least 2 sessions over 90 days."
    assert ours["timely_response"] == "Respond to mentors within 48 hours, 92.5% of the time."
    assert len(code) == 5


def _protege(changes: dict):
    from domain.badges.policy import PROTEGE_BADGE_POLICY

    return PROTEGE_BADGE_POLICY.with_overrides({"protege": changes} if changes else None)


async def test_an_organizations_overrides_reach_the_policy_the_evidence_and_the_certificate(gql, world, clock):
    await Organization.filter(id=world.org_id).update(
        policy_overrides={"protege": {"session_attendance": {"threshold": 2, "window_days": 90}}}
    )
    policies = await gql.data("{ badgePolicies { role criteria { key description } } }", token=world.partner)
    protege = next(p for p in policies["badgePolicies"] if p["role"] == "PROTEGE")
    attendance = next(c for c in protege["criteria"] if c["key"] == "session_attendance")
    assert attendance["description"] == "Attend at least 2 sessions over 90 days."

    await exemplary_pair(Acting(world.org_id), world.mentor, world.protege, clock)
    record = await BadgeRecord.get(participant_id=world.protege.id)
    assert record.state == "awarded"
    evidence = {c["key"]: c for c in record.criteria}
    assert evidence["session_attendance"]["description"] == "Attend at least 2 sessions over 90 days."
    response = await gql.http.get(
        f"/certificates/{record.certificate_code}.pdf", headers={"Authorization": f"Bearer {world.protege_token}"}
    )
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "2 sessions over 90 days" in text and "3 sessions over 60 days" not in text
    assert (await policy_for(world.org_id, Role.PROTEGE)).criterion("session_attendance").threshold == 2


async def test_advice_lists_only_what_the_policy_in_force_asks(world, clock):
    policy = await policy_for(world.org_id, Role.PROTEGE)
    evidence = [{"key": c.key, "met": True, "value": c.threshold} for c in policy.criteria]
    assert await advise(world.protege.id, policy, evidence, clock.now()) == []
