"""`standing replay --check` replays a whole organization through the machines and finds what a test corrupted on
purpose: a log row changed behind the append-only trigger's back (disabled in this test database only), and a
participant row whose stored standing no longer matches its log. Run as a user would, in a subprocess."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta

import asyncpg

from domain.kernel.actors import Actor
from domain.models import Participant, TransitionRecord
from domain.standing.apply import StandingCommand, apply_event
from domain.standing.replay import LogDoesNotReplay, standing_at
from tests.support.databases import BACKEND
from tests.support.live import ROOT

STANDING = [sys.executable, "-m", "cli.main"]


def run(args: list[str], database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "STANDING_DATABASE_URL": database_url}
    return subprocess.run(STANDING + args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


async def corrupt(url: str, statement: str) -> None:
    """Run `statement` on the log with its append-only trigger out of the way, then put the trigger back."""
    if BACKEND == "postgres":
        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:
            await conn.execute("ALTER TABLE transition_log DISABLE TRIGGER transition_log_no_update_delete")
            await conn.execute(statement)
            await conn.execute("ALTER TABLE transition_log ENABLE TRIGGER transition_log_no_update_delete")
        finally:
            await conn.close()
        return
    with sqlite3.connect(url.removeprefix("sqlite://")) as conn:  # SQLite cannot disable one: drop, then recreate
        (trigger,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'transition_log_no_update'"
        ).fetchone()
        conn.execute("DROP TRIGGER transition_log_no_update")
        conn.execute(statement)
        conn.execute(trigger)


async def test_replay_check_finds_a_log_row_corrupted_behind_the_trigger_and_a_stored_row_that_differs(
    orm, world, clock, caplog
):
    admin = Actor.admin(1)
    for event, until in (("issue_notice", None), ("suspend", clock.now() + timedelta(days=30))):
        clock.advance(timedelta(days=2))
        params = {"until": until} if until else {}
        done = await apply_event(StandingCommand(world.mentor.id, event, admin, event, params=params), clock=clock)
        assert not hasattr(done, "message"), done
    clock.advance(timedelta(days=1))
    await apply_event(StandingCommand(world.protege.id, "send_reminder", admin, "two no-shows"), clock=clock)
    other = await world.participant(world.mentor.role, "Olu Other")

    clean = run(["replay", "--check", "--org", "demo"], orm)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "replayed 3 participant(s) of 'demo': 0 differ" in clean.stdout
    assert "replaying demo [" in clean.stderr and "3/3" in clean.stderr  # the progress bar, on stderr

    suspension = await TransitionRecord.get(participant_id=world.mentor.id, event="suspend")
    at = (suspension.occurred_at - timedelta(seconds=1)).isoformat()
    one = run(["replay", "--participant", str(world.mentor.id), "--at", at], orm)
    assert (
        one.returncode == 0
        and f": first_notice since {(suspension.occurred_at - timedelta(days=2)).isoformat()} " in one.stdout
    )
    assert "(decided by admin:token:1); badge none" in one.stdout, one.stdout
    await corrupt(orm, f"UPDATE transition_log SET to_state = 'removed' WHERE id = {suspension.id}")
    await Participant.filter(id=world.protege.id).update(standing="good")  # not append-only: no trigger to pass
    assert await Participant.get(id=other.id)  # untouched, so never reported

    found = run(["replay", "--check", "--org", "demo"], orm)
    assert found.returncode == 1, found.stdout + found.stderr
    lines = found.stdout.splitlines()
    assert lines[-1] == "replayed 3 participant(s) of 'demo': 2 differ from their log"
    assert lines[0].startswith(f"does not replay\tparticipant {world.mentor.id}: log row {suspension.id} ")
    assert "the machine leads to suspended, the log says removed" in lines[0]
    assert lines[1] == f"differs\tparticipant {world.protege.id} (protege): standing: stored good, replayed reminder"
    assert not any(f"participant {other.id}" in line for line in lines)

    # The same replay answers standingAt, and logs what does not replay.
    mentor = await Participant.get(id=world.mentor.id)
    with caplog.at_level(logging.ERROR, logger="standing.replay"):
        broken = await standing_at(mentor, clock.now())
    assert isinstance(broken, LogDoesNotReplay) and broken.record_id == suspension.id
    assert any("does not replay" in r.getMessage() for r in caplog.records)
    before = await standing_at(mentor, suspension.occurred_at - timedelta(seconds=1))
    assert not isinstance(before, LogDoesNotReplay) and before is not None and before.state == "first_notice"
