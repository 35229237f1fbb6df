"""The role the API and the worker should connect as on PostgreSQL: one that owns no table.

A table's owner can disable its triggers, so an append-only log is only as safe as the role that writes
it. `standing migrate --app-role NAME` (as the owner) creates or updates NAME with the privileges Standing
needs and no more: read and write the working tables, only SELECT and INSERT on the append-only ones, and
no TRUNCATE, ALTER or DROP anywhere. docs/deployment.md says how to run with it.
"""

from __future__ import annotations

import re

import asyncpg

# Every append-only table: the triggers refuse changes, and the application role may only add rows.
APPEND_ONLY_TABLES = (
    "transition_log",
    "badge_policy_change",
    "outbox_event",
    "concern",
    "case_log",
    "case_decision",
    "moderator_note",
    "session_note_read",
)
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class AppRoleRefused(Exception):
    pass


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


async def grant_app_role(database_url: str, role: str, password: str | None = None) -> list[str]:
    """Create or update `role` with Standing's privileges on the database; returns the statements run."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise AppRoleRefused("an application role is a PostgreSQL feature; SQLite has no roles")
    if not ROLE_NAME.match(role):
        raise AppRoleRefused("a role name is lowercase letters, digits and underscores")
    login = "LOGIN" + (f" PASSWORD {_literal(password)}" if password else "")
    append_only = ", ".join(APPEND_ONLY_TABLES)
    statements = [
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(role)}) "
        f"THEN CREATE ROLE {role} {login}; END IF; END $$",
        f"ALTER ROLE {role} {login} NOSUPERUSER NOCREATEDB NOCREATEROLE",
        f"GRANT CONNECT ON DATABASE {'{database}'} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE ON {append_only} FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        database = await conn.fetchval("SELECT current_database()")
        ran = []
        for statement in statements:
            statement = statement.replace("{database}", f'"{database}"')
            await conn.execute(statement)
            ran.append(statement if "PASSWORD" not in statement else statement.split(" PASSWORD")[0] + " PASSWORD …")
        return ran
    finally:
        await conn.close()
