"""The append-only tables refuse change three ways: no code path updates them, the models refuse, and the
database refuses UPDATE, DELETE and (PostgreSQL) TRUNCATE. The API's own role owns no table, so it cannot
disable a trigger either."""

from __future__ import annotations

import secrets
import sqlite3
import subprocess
import sys

import asyncpg
import pytest

from domain.infra.app_role import APPEND_ONLY_TABLES, AppRoleRefused, grant_app_role
from domain.kernel.actors import Actor
from domain.standing.apply import StandingCommand, apply_event
from tests.support.databases import BACKEND, with_database
from tests.support.live import ROOT


@pytest.fixture
async def logged(world, clock):
    """One row in each append-only table."""
    from domain.activity.acting import Acting
    from domain.badges.overrides import set_badge_overrides
    from domain.cases.decisions import DecideCase, Outcome, decide_case
    from domain.cases.handling import CaseActor, step_case
    from domain.cases.notes import add_moderator_note, open_session_note
    from domain.cases.reporting import ConcernReport, Evidence, Reporter, report_concern
    from domain.models import ConcernCategory, ReporterKind, SessionNote
    from tests.support.activity import attended_session, goal_for

    await apply_event(StandingCommand(world.mentor.id, "issue_notice", Actor.admin(1), "late"), clock=clock)
    overrides = {"protege": {"session_attendance": {"threshold": 4}}}
    await set_badge_overrides(world.org_id, overrides, reason="ours", actor=Actor.admin(1), clock=clock)
    acting = Acting(world.org_id)
    goal = await goal_for(acting, world.protege, world.mentor, clock)
    session = await attended_session(acting, world.mentor, world.protege, goal, clock)
    report = ConcernReport(world.mentor.id, ConcernCategory.OTHER, "Mentor Code 3", "late", Evidence((session.id,)))
    filed = await report_concern(Reporter(ReporterKind.ADMIN, 1, world.org_id), report, clock=clock)
    handler = CaseActor(Actor.admin(99), 99, world.org_id)  # not the reporting token: not a party
    await step_case(filed.case.id, "triage", by=handler, reason="r", clock=clock)
    await decide_case(DecideCase(filed.case.id, Outcome.GUIDANCE, "talked"), by=handler, clock=clock)
    await add_moderator_note(
        organization_id=world.org_id, author=handler.actor, body="note", clock=clock, case_id=filed.case.id
    )
    note = await SessionNote.get(session_id=session.id)
    opened = await open_session_note(
        organization_id=world.org_id,
        reader=handler.actor,
        note_id=note.id,
        case_id=filed.case.id,
        reason="cited",
        clock=clock,
    )
    assert type(opened).__name__ == "OpenedNote", opened


def _sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite://")


async def _refused(url: str, statement: str) -> str:
    """The database's refusal of `statement` as the owner, or '' if it ran."""
    if BACKEND == "postgres":
        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:
            await conn.execute(statement)
            return ""
        except asyncpg.PostgresError as refused:
            return str(refused)
        finally:
            await conn.close()
    with sqlite3.connect(_sqlite_path(url)) as conn:
        try:
            conn.execute(statement)
            return ""
        except sqlite3.DatabaseError as refused:
            return str(refused)


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
async def test_the_database_refuses_to_change_an_append_only_table(orm, logged, table):
    assert "append-only" in await _refused(orm, f"UPDATE {table} SET id = id")
    assert "append-only" in await _refused(orm, f"DELETE FROM {table}")
    if BACKEND == "postgres":
        assert await _refused(orm, f"TRUNCATE {table}")  # the trigger, or a foreign key that points at it
        assert "append-only" in await _refused(orm, f"TRUNCATE {table} CASCADE")
    else:  # SQLite has no TRUNCATE: an unqualified DELETE is its truncate, and it is refused above
        assert "syntax error" in await _refused(orm, f"TRUNCATE {table}")


async def test_the_application_role_can_insert_but_not_change_truncate_or_disable_triggers(orm, logged, world, clock):
    if BACKEND != "postgres":
        with pytest.raises(AppRoleRefused, match="PostgreSQL"):
            await grant_app_role(orm, "standing_app")
        return
    role = f"standing_test_app_{secrets.token_hex(3)}"
    await grant_app_role(orm, role, password="s3cret'quoted")
    as_role = with_database(
        orm.replace("postgres://postgres@", f"postgres://{role}:s3cret'quoted@"), orm.rsplit("/", 1)[1]
    )
    conn = await asyncpg.connect(as_role.replace("postgres://", "postgresql://", 1))
    try:
        for table in APPEND_ONLY_TABLES:
            for statement in (
                f"UPDATE {table} SET id = id",
                f"DELETE FROM {table}",
                f"TRUNCATE {table}",
                f"ALTER TABLE {table} DISABLE TRIGGER ALL",
            ):
                with pytest.raises(asyncpg.PostgresError, match="permission denied|must be owner"):
                    await conn.execute(statement)
        assert await conn.fetchval("SELECT count(*) FROM transition_log") >= 1
        # The API's own work runs as this role: a transition inserts into the log and the outbox.
        await conn.execute("SELECT 1 FROM participant FOR UPDATE")
    finally:
        await conn.close()
        await _drop_role(orm, role)


async def _drop_role(url: str, role: str) -> None:
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(f"DROP OWNED BY {role}")
        await conn.execute(f"DROP ROLE {role}")
    finally:
        await conn.close()


def test_migrate_with_an_app_role_on_sqlite_says_it_needs_postgresql(tmp_path):
    env = {"STANDING_DATABASE_URL": f"sqlite://{tmp_path}/s.sqlite3", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "migrate", "--app-role", "standing_app"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "PostgreSQL" in result.stderr
