"""Private notes. A mentor's session note is theirs alone (Mentor Code 4); an admin opens one only while handling
a case that cites it, with a reason, and the author sees who read it and why. Moderator notes are admins' only
and append-only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.activity.acting import Acting
from domain.activity.record import record_activity
from domain.activity.sessions import RecordSessionOutcome, SubmitSessionNote
from domain.models import AppendOnlyError, Case, ModeratorNote, SessionNote, SessionStatus
from tests.support.activity import attended_session, goal_for
from tests.support.cases import REPORT, report_input

NOTE = """query($s: ID!) { sessionNote(sessionId: $s) { id body reads { reader reason caseId } } }"""
OPEN = """mutation($n: ID!, $c: ID!, $r: String!) { openSessionNote(input: {noteId: $n, caseId: $c, reason: $r}) {
  __typename ... on OpenedSessionNote { body } ... on UserError { message } } }"""


@pytest.fixture
async def noted(world, clock):
    acting = Acting(world.org_id)
    goal = await goal_for(acting, world.protege, world.mentor, clock)
    session = await attended_session(acting, world.mentor, world.protege, goal, clock, notes=False)
    note = await record_activity(
        Acting(world.org_id, world.mentor.id),
        SubmitSessionNote(session_id=session.id, body="Pat seemed anxious about money"),
        clock=clock,
    )
    assert isinstance(note, SessionNote)
    return session, note


async def test_only_the_author_reads_a_session_note(gql, world, noted):
    session, _ = noted
    for token, body in (
        (world.mentor_token, "Pat seemed anxious about money"),
        (world.protege_token, None),
        (world.admin, None),
    ):
        shown = (await gql.data(NOTE, {"s": str(session.id)}, token=token))["sessionNote"]
        assert shown["body"] == body
    assert (await gql.data(NOTE, {"s": str(session.id)}, token=world.partner))["sessionNote"] is None


async def test_an_admin_opens_a_note_only_for_a_case_that_cites_it_and_the_author_sees_the_read(
    gql, world, noted, clock
):
    session, note = noted
    unrelated = await world.participant(world.mentor.role, "Una Related")
    await gql.data(REPORT, report_input(unrelated.id), token=world.admin)
    other_case = await Case.get()
    refused = (await gql.data(OPEN, {"n": str(note.id), "c": str(other_case.id), "r": "curious"}, token=world.admin))[
        "openSessionNote"
    ]
    assert refused["__typename"] == "NotPermittedError"
    # The protégé reports the mentor, citing the session the note is about.
    await gql.data(REPORT, report_input(world.mentor.id, sessions=[session.id]), token=world.protege_token)
    case = await Case.filter(subject_id=world.mentor.id).get()
    no_reason = await gql.data(OPEN, {"n": str(note.id), "c": str(case.id), "r": " "}, token=world.admin)
    assert no_reason["openSessionNote"]["__typename"] == "InvalidInputError"
    opened = (
        await gql.data(
            OPEN, {"n": str(note.id), "c": str(case.id), "r": "the report cites this session"}, token=world.admin
        )
    )["openSessionNote"]
    assert opened == {"__typename": "OpenedSessionNote", "body": "Pat seemed anxious about money"}
    reads = (await gql.data(NOTE, {"s": str(session.id)}, token=world.mentor_token))["sessionNote"]["reads"]
    assert reads == [{"reader": "token:1", "reason": "the report cites this session", "caseId": str(case.id)}]
    assert (await gql.data(NOTE, {"s": str(session.id)}, token=world.protege_token))["sessionNote"]["reads"] == []


async def test_moderator_notes_are_append_only(gql, world, clock):
    add = 'mutation($p: ID!) { addModeratorNote(input: {participantId: $p, body: "watch for late notes"}) { __typename } }'
    assert (await gql.data(add, {"p": str(world.mentor.id)}, token=world.admin))["addModeratorNote"][
        "__typename"
    ] == "ModeratorNote"
    note = await ModeratorNote.get()
    note.body = "changed"
    with pytest.raises(AppendOnlyError):
        await note.save()
    with pytest.raises(AppendOnlyError):
        await note.delete()
    assert (await ModeratorNote.get()).body == "watch for late notes"


async def test_a_protege_cannot_cite_the_mentors_private_note(gql, world, noted):
    _, note = noted
    refused = await gql.data(
        REPORT,
        {"input": {**report_input(world.mentor.id)["input"], "evidence": {"noteIds": [str(note.id)]}}},
        token=world.protege_token,
    )
    assert refused["reportConcern"]["__typename"] == "InvalidInputError"


async def test_a_session_note_outcome_is_unaffected_by_being_private(world, clock):
    # Notes still count toward the mentor's session-reporting rate: privacy hides the text, not the fact.
    acting = Acting(world.org_id)
    goal = await goal_for(acting, world.protege, world.mentor, clock)
    session = await attended_session(acting, world.mentor, world.protege, goal, clock)
    assert await SessionNote.filter(session_id=session.id, on_time=True).exists()
    clock.advance(timedelta(hours=1))
    again = await record_activity(
        acting, RecordSessionOutcome(session_id=session.id, outcome=SessionStatus.ATTENDED), clock=clock
    )
    assert type(again).__name__ == "NotPermitted"
