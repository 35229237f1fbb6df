"""Erasure that keeps the record (issue 17, item 4): after the window the name, the email and the person's own
words are gone from every column of every table, the history still shows every step with its reason and the kind
of actor, and the certificate no longer verifies; cancelled within the window, nothing changed at all."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from tortoise import connections

from domain.access.principals import TokenRole
from domain.activity.acting import Acting
from domain.activity.calendar import CreateServiceOffering
from domain.activity.goals import LogGoalProgress
from domain.activity.record import record_activity
from domain.activity.sessions import SubmitSessionFeedback, SubmitSessionNote
from domain.appeals.filing import appeal_sanction
from domain.badges.verification import verify_certificate
from domain.cases.notes import add_moderator_note
from domain.deadlines.leave import grant_leave
from domain.erasure.erasing import Replacer
from domain.erasure.policy import ERASURE_POLICY
from domain.kernel.actors import Actor
from domain.kernel.roles import Role
from domain.models import (
    ApiToken,
    BadgeRecord,
    Concern,
    Goal,
    Participant,
    ServiceOffering,
    SessionFeedback,
    SessionNote,
    TransitionRecord,
)
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event
from tests.support.activity import attended_session, exemplary_pair
from tests.support.cases import REPORT, report_input
from tests.support.world import issue

ADA, ADA_EMAIL = "Ada Lovelace", "ada.lovelace@example.org"
GRACE, GRACE_EMAIL = "Grace Hopper", "grace.hopper@example.org"

ERASE = """mutation($id: ID!, $reason: String!) { eraseParticipant(id: $id, reason: $reason) { __typename
  ... on ErasurePayload { erasure { id status dueAt pseudonym receipt { deleted { table columns rows why }
    pseudonymized { table rows } kept { table why } } } }
  ... on UserError { message } } }"""
CANCEL = """mutation($id: ID!) { cancelErasure(id: $id) { __typename
  ... on ErasurePayload { erasure { status cancelledAt } } ... on UserError { message } } }"""
ERASURE = """query($id: ID!) { erasure(participantId: $id) { status pseudonym completedAt
  receipt { pseudonym deleted { table columns rows why } pseudonymized { table columns rows why }
    kept { table columns why } } } }"""
HISTORY = """query($id: ID!) { participant(id: $id) { displayName standing { history { edges { node {
  event actor { kind } reason } } } } } }"""


async def text_columns() -> list[tuple[str, str]]:
    """Every text and JSON column of every table, read from the database itself."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        _, tables = await conn.execute_query("SELECT name FROM sqlite_master WHERE type = 'table'")
        found = []
        for table in (t["name"] for t in tables):
            _, cols = await conn.execute_query(f'PRAGMA table_info("{table}")')
            found += [
                (table, c["name"])
                for c in cols
                if any(k in (c["type"] or "").upper() for k in ("CHAR", "TEXT", "JSON", "CLOB")) or not c["type"]
            ]
        return found
    _, cols = await conn.execute_query(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')"
    )
    return [(c["table_name"], c["column_name"]) for c in cols]


async def holders(*needles: str) -> list[str]:
    """table.column of every column with a value that holds any needle (case-insensitive)."""
    conn = connections.get("default")
    lowered = [n.lower() for n in needles]
    found = []
    columns = await text_columns()
    assert len(columns) > 100 and ("concern", "description") in columns  # the scan sees the whole database
    for table, column in columns:
        _, rows = await conn.execute_query(f'SELECT "{column}" AS v FROM "{table}"')
        for row in rows:
            value = row["v"] if isinstance(row["v"], str) else json.dumps(row["v"], ensure_ascii=False)
            if value and any(n in value.lower() for n in lowered):
                found.append(f"{table}.{column}")
                break
    return found


async def dump() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in id order (Tortoise's migration table aside)."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        listing = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        listing = "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
    _, tables = await conn.execute_query(listing)
    rows = {}
    for table in sorted(t["name"] for t in tables if not t["name"].startswith("tortoise")):
        _, found = await conn.execute_query(f'SELECT * FROM "{table}" ORDER BY 1')
        rows[table] = [dict(r) for r in found]
    return rows


async def step(world, participant: Participant, event: str, reason: str) -> TransitionRecord:
    result = await apply_event(
        StandingCommand(participant.id, event, Actor.admin(9999), reason, organization_id=world.org_id),
        clock=world.clock,
    )
    assert isinstance(result, TransitionApplied), result
    return result.record


async def a_full_record(world, gql, clock) -> tuple[Participant, Participant]:
    """Ada (a mentor) and Grace (her protégé) with rows in every kind of table, made by the real use cases, and
    their names and emails written into free text, reasons and notes wherever people would write them."""
    ada = await world.participant(Role.MENTOR, ADA)
    grace = await world.participant(Role.PROTEGE, GRACE)
    acting = Acting(world.org_id)
    await exemplary_pair(acting, ada, grace, clock)
    assert (await BadgeRecord.get(participant_id=ada.id)).certificate_code
    await record_activity(
        acting,
        CreateServiceOffering(mentor_id=ada.id, title=f"Portfolio review with {ADA}", description=f"Mail {ADA_EMAIL}"),
        clock=clock,
    )
    goal = await Goal.filter(protege_id=grace.id).first()
    await Goal.filter(id=goal.id).update(relevant=f"{GRACE} wants a job; {ADA} helps")
    await record_activity(
        acting, LogGoalProgress(goal_id=goal.id, note=f"{ADA} and {GRACE} met", author_id=ada.id), clock=clock
    )
    await record_activity(acting, LogGoalProgress(goal_id=goal.id, note=f"{GRACE}: done"), clock=clock)
    session = await attended_session(acting, ada, grace, goal, clock, notes=False, feedback=False)
    await record_activity(
        acting, SubmitSessionNote(session_id=session.id, body=f"{GRACE} ({GRACE_EMAIL}) did well"), clock=clock
    )
    await record_activity(
        acting,
        SubmitSessionFeedback(session_id=session.id, body=f"{ADA} ({ADA_EMAIL}) was great", rating=5),
        clock=clock,
    )
    grace_token = await issue("demo", TokenRole.PARTICIPANT, clock, grace.id)
    ada_token = await issue("demo", TokenRole.PARTICIPANT, clock, ada.id)
    about_ada = report_input(ada.id, sessions=[session.id], description=f"{ADA} ({ADA_EMAIL}) came late and was curt")
    assert (await gql.data(REPORT, about_ada, token=grace_token))["reportConcern"]["__typename"] == "ReportReceipt"
    about_grace = report_input(
        grace.id, category="COMMUNICATION", description=f"I am {ADA}; {GRACE} never answers ({GRACE_EMAIL})"
    )
    assert (await gql.data(REPORT, about_grace, token=ada_token))["reportConcern"]["__typename"] == "ReportReceipt"
    note = await add_moderator_note(
        organization_id=world.org_id,
        author=Actor.admin(1),
        body=f"Spoke with {ADA} by phone",
        clock=clock,
        participant_id=ada.id,
    )
    assert not isinstance(note, Exception)
    for person, name in ((ada, ADA), (grace, GRACE)):
        leave = await grant_leave(
            organization_id=world.org_id,
            participant_id=person.id,
            starts_at=clock.now() + timedelta(days=1),
            ends_at=clock.now() + timedelta(days=3),
            reason=f"{name} is moving house",
            granted_by=Actor.admin(1),
            clock=clock,
        )
        assert not isinstance(leave, Exception), leave
    notice = await step(world, ada, "issue_notice", f"{ADA} missed two sessions without a word")
    appeal = await appeal_sanction(
        organization_id=world.org_id,
        appellant_id=ada.id,
        transition_id=notice.id,
        statement=f"I, {ADA}, was ill",
        clock=clock,
    )
    assert not isinstance(appeal, Exception), appeal
    await step(world, grace, "send_reminder", f"{GRACE} should book a session")
    return ada, grace


def _history(body: dict) -> list[tuple[str, str, str]]:
    edges = body["participant"]["standing"]["history"]["edges"]
    return [(e["node"]["event"], e["node"]["actor"]["kind"], e["node"]["reason"]) for e in edges]


async def test_after_the_window_no_column_holds_the_name_or_email_and_the_history_stays(gql, world, clock, fire):
    ada, grace = await a_full_record(world, gql, clock)
    code = (await BadgeRecord.get(participant_id=ada.id)).certificate_code
    assert await verify_certificate(code) is not None
    before = {p.id: _history(await gql.data(HISTORY, {"id": str(p.id)}, token=world.admin)) for p in (ada, grace)}
    assert all(before.values()) and set(await holders(ADA, ADA_EMAIL, GRACE, GRACE_EMAIL)) >= {
        "participant.display_name",
        "participant.email",
        "concern.description",
        "transition_log.reason",
        "notice.body",
        "session_feedback.body",
        "session_note.body",
        "moderator_note.body",
        "excused_leave.reason",
    }

    started = {}
    for person in (ada, grace):
        body = await gql.data(ERASE, {"id": str(person.id), "reason": "Asked to be forgotten"}, token=world.admin)
        erasure = body["eraseParticipant"]["erasure"]
        assert erasure["status"] == "PENDING", body
        assert {line["table"] for line in erasure["receipt"]["deleted"]} >= {"participant", "badge"}
        started[person.id] = erasure
    clock.advance(ERASURE_POLICY.window.value - timedelta(seconds=1))
    await fire()
    assert await holders(ADA_EMAIL, GRACE_EMAIL)  # not yet: the window has a second left

    clock.advance(timedelta(seconds=2))
    await fire()

    assert await holders(ADA, ADA_EMAIL, GRACE, GRACE_EMAIL) == []
    erased = ERASURE_POLICY.erased_text
    assert {g.specific for g in await Goal.filter(protege_id=grace.id)} == {erased}  # her own words are gone
    assert {n.body for n in await SessionNote.filter(session__mentor_id=ada.id)} == {erased}
    assert {f.body for f in await SessionFeedback.filter(session__protege_id=grace.id)} == {erased}
    assert {c.description for c in await Concern.filter(reporter_participant_id__in=(ada.id, grace.id))} == {erased}
    assert {o.description for o in await ServiceOffering.filter(mentor_id=ada.id)} == {erased}
    assert all(t.revoked_at for t in await ApiToken.filter(participant_id__in=(ada.id, grace.id)))
    assert await verify_certificate(code) is None
    await BadgeRecord.filter(participant_id=ada.id).update(certificate_code="0123456789abcdef")  # a later award
    assert await verify_certificate("0123456789abcdef") is None
    for person in (ada, grace):
        read = (await gql.data(ERASURE, {"id": str(person.id)}, token=world.admin))["erasure"]
        assert read["status"] == "DONE" and read["pseudonym"] == started[person.id]["pseudonym"]
        receipt = read["receipt"]
        assert receipt["kept"] and all(line["why"] for line in receipt["deleted"] + receipt["kept"])
        assert {"participant", "session_note" if person is ada else "session_feedback"} <= {
            line["table"] for line in receipt["deleted"]
        }
        body = await gql.data(HISTORY, {"id": str(person.id)}, token=world.admin)
        assert body["participant"]["displayName"] == read["pseudonym"]
        pseudonyms: dict[str, str] = {
            ADA: (await gql.data(ERASURE, {"id": str(ada.id)}, token=world.admin))["erasure"]["pseudonym"],
            GRACE: (await gql.data(ERASURE, {"id": str(grace.id)}, token=world.admin))["erasure"]["pseudonym"],
        }

        def renamed(reason: str, pseudonyms: dict[str, str] = pseudonyms) -> str:
            for old, new in pseudonyms.items():
                reason = reason.replace(old, new)
            return reason

        # Every step, with its event, the kind of actor and its reason (the names in it now the pseudonyms).
        assert _history(body) == [(e, kind, renamed(reason)) for e, kind, reason in before[person.id]]
    assert (await gql.data(CANCEL, {"id": str(ada.id)}, token=world.admin))["cancelErasure"][
        "__typename"
    ] == "NotPermittedError"


async def test_cancelling_within_the_window_leaves_every_row_as_it_was(gql, world, clock, fire):
    ada, _ = await a_full_record(world, gql, clock)
    before = await dump()
    body = await gql.data(ERASE, {"id": str(ada.id), "reason": "Asked to be forgotten"}, token=world.admin)
    assert body["eraseParticipant"]["__typename"] == "ErasurePayload"
    clock.advance(ERASURE_POLICY.window.value - timedelta(seconds=1))
    cancelled = (await gql.data(CANCEL, {"id": str(ada.id)}, token=world.admin))["cancelErasure"]
    assert cancelled["erasure"]["status"] == "CANCELLED"
    after = await dump()
    erasure_rows = after.pop("erasure_request")
    assert [r["status"] for r in erasure_rows] == ["cancelled"] and before.pop("erasure_request") == []
    assert [d for d in after["deadline"] if d["kind"] == "erasure"][0]["outcome"] == "erasure cancelled"
    after["deadline"] = [d for d in after["deadline"] if d["kind"] != "erasure"]
    assert after == before

    clock.advance(timedelta(days=30))
    await fire()
    kept = await Participant.get(id=ada.id)
    assert (kept.display_name, kept.email) == (ADA, ADA_EMAIL)
    assert set(await holders(ADA_EMAIL)) >= {"participant.email"}


async def test_after_the_window_cancelling_is_refused_and_only_admins_may_erase(gql, world, clock):
    ada = await world.participant(Role.MENTOR, ADA)
    for token in (world.partner, world.mentor_token, None):
        refused = await gql.execute(ERASE, {"id": str(ada.id), "reason": "x"}, token=token)
        assert refused["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED") and not refused["data"]
        read = await gql.execute(ERASURE, {"id": str(ada.id)}, token=token)
        assert read["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")
    elsewhere = await gql.data(ERASE, {"id": str(ada.id), "reason": "x"}, token=world.other_admin)
    assert elsewhere["eraseParticipant"]["__typename"] == "NotFoundError"
    blank = await gql.data(ERASE, {"id": str(ada.id), "reason": " "}, token=world.admin)
    assert blank["eraseParticipant"]["__typename"] == "InvalidInputError"
    started = await gql.data(ERASE, {"id": str(ada.id), "reason": "Asked"}, token=world.admin)
    assert started["eraseParticipant"]["__typename"] == "ErasurePayload"
    again = await gql.data(ERASE, {"id": str(ada.id), "reason": "Asked"}, token=world.admin)
    assert again["eraseParticipant"]["__typename"] == "NotPermittedError"
    clock.advance(ERASURE_POLICY.window.value)  # the window's last moment has passed; the sweep has not run yet
    late = (await gql.data(CANCEL, {"id": str(ada.id)}, token=world.admin))["cancelErasure"]
    assert late["__typename"] == "NotPermittedError" and "can no longer be cancelled" in late["message"]


@pytest.mark.parametrize("who", ["erasure_request"])
async def test_the_append_only_logs_still_refuse_updates_outside_an_erasure(world, clock, who):
    record = await step(world, world.mentor, "issue_notice", "Missed two sessions")
    conn = connections.get("default")
    with pytest.raises(Exception, match="append-only"):
        await conn.execute_query(f"UPDATE transition_log SET reason = 'changed' WHERE id = {record.id}")
    with pytest.raises(Exception, match="append-only"):
        await conn.execute_query(f"DELETE FROM transition_log WHERE id = {record.id}")


def test_the_name_and_email_are_replaced_as_whole_words_only():
    replacer = Replacer.of("Sam", "sam@example.org", "7f3a9c01")
    assert replacer.text("Sam's goal, the same as SAM wrote to sam@example.org") == (
        "Erased participant 7f3a9c01's goal, the same as Erased participant 7f3a9c01 wrote to "
        "erased-7f3a9c01@erased.invalid"
    )
    assert replacer.json({"sam": ["Sam", 3, {"note": "Samuel"}]}) == {
        "Erased participant 7f3a9c01": ["Erased participant 7f3a9c01", 3, {"note": "Samuel"}]
    }
