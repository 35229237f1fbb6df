"""`standing import`: JSON Lines backfill, checked whole, replayed through the use cases, all or nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.importer import ImportFailed, apply, parse
from domain.models import Goal, Message, Participant, SessionNote

ROOT = Path(__file__).resolve().parents[2]

HISTORY = [
    {
        "type": "participant",
        "ref": "m1",
        "role": "mentor",
        "display_name": "Maya",
        "email": "maya@example.org",
        "at": "2026-01-05T09:00:00Z",
    },
    {
        "type": "participant",
        "ref": "p1",
        "role": "protege",
        "display_name": "Pat",
        "email": "pat@example.org",
        "at": "2026-01-05T09:00:00Z",
    },
    {
        "type": "goal",
        "ref": "g1",
        "protege": "p1",
        "mentor": "m1",
        "specific": "Portfolio",
        "measurable": "3 case studies",
        "achievable": "10h a week",
        "relevant": "Job search",
        "due_on": "2026-06-30",
        "at": "2026-01-06T09:00:00Z",
    },
    {
        "type": "session",
        "ref": "s1",
        "mentor": "m1",
        "protege": "p1",
        "goal": "g1",
        "scheduled_at": "2026-01-10T15:00:00Z",
        "at": "2026-01-06T10:00:00Z",
    },
    {"type": "session_outcome", "session": "s1", "outcome": "attended", "at": "2026-01-10T16:00:00Z"},
    {"type": "note", "session": "s1", "body": "Reviewed the first case study", "at": "2026-01-13T09:00:00Z"},
    {"type": "message", "ref": "x1", "sender": "p1", "recipient": "m1", "at": "2026-01-12T09:00:00Z"},
    {"type": "response", "message": "x1", "at": "2026-01-12T18:00:00Z"},
]


def lines(records) -> list[str]:
    return [json.dumps(r) for r in records]


async def test_history_is_replayed_at_each_records_own_time(world, clock):
    result = await apply(parse(lines(HISTORY)), organization_id=world.org_id, now=clock.now())
    assert result.counts == {
        "participant": 2,
        "goal": 1,
        "session": 1,
        "session_outcome": 1,
        "note": 1,
        "message": 1,
        "response": 1,
    }
    note = await SessionNote.get()
    assert note.submitted_at.isoformat() == "2026-01-13T09:00:00+00:00"
    assert note.on_time is False  # 48 hours after a session ending at 16:00 on the 10th is the 12th, 16:00
    message = await Message.get()
    assert message.respond_by.isoformat() == "2026-01-14T09:00:00+00:00"
    assert message.responded_at.isoformat() == "2026-01-12T18:00:00+00:00"


def test_every_bad_record_is_reported_with_its_line_and_field():
    bad = lines(HISTORY[:2]) + [
        "not json",
        json.dumps(
            {
                "type": "goal",
                "protege": "nobody",
                "specific": 7,
                "measurable": "m",
                "achievable": "a",
                "relevant": "r",
                "due_on": "soon",
            }
        ),
        json.dumps({"type": "teleport"}),
        json.dumps({"type": "message", "sender": "p1", "recipient": "m1", "at": "yesterday", "colour": "red"}),
        json.dumps({"type": "participant", "ref": "m1", "role": "mentor", "display_name": "Again", "email": "a@b.org"}),
    ]
    with pytest.raises(ImportFailed) as failed:
        parse(bad)
    assert [str(p) for p in failed.value.problems] == [
        "line 3: (line): not valid JSON: Expecting value",
        "line 4: protege: 'nobody' is neither an earlier ref nor a database id",
        "line 4: specific: must be a string",
        "line 4: due_on: must be an ISO date, e.g. 2026-06-30",
        "line 5: type: must be one of participant, goal, goal_status, progress, availability, offering, session, "
        "session_outcome, note, feedback, message, response, community_event",
        "line 6: colour: not a field of message",
        "line 6: at: must be an ISO 8601 time, e.g. 2026-03-01T09:00:00Z",
        "line 7: ref: must be a string not used by an earlier line",
    ]


async def test_a_batch_rejected_midway_writes_nothing(world, clock):
    before = await Participant.all().count()
    records = HISTORY[:4] + [
        # A session may only be tied to the protégé's own goal, and this protégé has none.
        {"type": "participant", "ref": "p2", "role": "protege", "display_name": "Quinn", "email": "q@example.org"},
        {"type": "session", "mentor": "m1", "protege": "p2", "goal": "g1", "scheduled_at": "2026-01-20T15:00:00Z"},
    ]
    with pytest.raises(ImportFailed) as failed:
        await apply(parse(lines(records)), organization_id=world.org_id, now=clock.now())
    assert [str(p) for p in failed.value.problems] == [
        "line 6: goalId: a session is tied to one of the protégé's own goals"
    ]
    assert await Participant.all().count() == before
    assert await Goal.all().count() == 0


def test_the_cli_shows_progress_and_reports_bad_lines(database_url, tmp_path):
    env = {**os.environ, "STANDING_DATABASE_URL": database_url}
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    good.write_text("\n".join(lines(HISTORY)) + "\n")
    bad.write_text('{"type": "message", "sender": 1}\n')
    run = [sys.executable, "-m", "cli.main", "import", "--org", "acme"]
    ok = subprocess.run(run + [str(good)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "importing [" in ok.stderr and "8/8" in ok.stderr
    assert "imported 8 records into 'acme'" in ok.stdout
    refused = subprocess.run(run + [str(bad)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert refused.returncode == 2
    assert "line 1: recipient: is required" in refused.stderr and "nothing was imported" in refused.stderr
