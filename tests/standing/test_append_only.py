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
    from domain.badges.overrides import set_badge_overrides

    await apply_event(StandingCommand(world.mentor.id, "issue_notice", Actor.admin(1), "late"), clock=clock)
    await set_badge_overrides(
        world.org_id,
        {"protege": {"session_attendance": {"threshold": 4}}},
        reason="ours",
        actor=Actor.admin(1),
        clock=clock,
    )


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
