"""Databases of the test session's own: a SQLite template copied per test, or a PostgreSQL database that
the session creates on the server and drops at its end. No test ever touches a database it did not make.

`make test` runs the suite twice, with STANDING_TEST_DATABASE=sqlite and =postgres. The PostgreSQL server is
STANDING_TEST_POSTGRES_URL, used only as the server to create databases on: its own database (in the URL's
path) is only ever connected to, for CREATE DATABASE and DROP DATABASE of `standing_test_*` names. Without
the variable it is the local server (127.0.0.1:5432); when that cannot be reached, the session starts a
private server of its own (tests/support/postgres.py), and STANDING_TEST_POSTGRES_URL=private asks for one
outright. A server that was named and cannot be reached stops the run with an error, never with skips.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from urllib.parse import urlsplit, urlunsplit

BACKEND = os.environ.get("STANDING_TEST_DATABASE", "sqlite")
LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
PRIVATE = "private"
CONFIGURED = os.environ.get("STANDING_TEST_POSTGRES_URL")
SERVER_URL = CONFIGURED or LOCAL_SERVER  # what the session was asked to use; server_url() is what it uses
TEST_DATABASE_PREFIX = "standing_test_"
_server: str | None = None


def is_test_database(name: str) -> bool:
    return name.startswith(TEST_DATABASE_PREFIX)


def server_url() -> str:
    """The server this session creates its databases on: the one named, the local one, or a private one
    started when no server was named and the local one cannot be reached."""
    global _server
    if _server is None:
        if CONFIGURED and CONFIGURED != PRIVATE:
            _server = CONFIGURED
        elif CONFIGURED != PRIVATE and postgres_problem(LOCAL_SERVER) is None:
            _server = LOCAL_SERVER
        else:
            from tests.support.postgres import PrivatePostgres

            _server = PrivatePostgres().start()
    return _server


def _asyncpg(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def postgres_problem(url: str) -> str | None:
    """Why the PostgreSQL server cannot be used, or None."""

    async def probe() -> None:
        import asyncpg

        conn = await asyncpg.connect(_asyncpg(url), timeout=5)
        await conn.close()

    try:
        asyncio.run(probe())
        return None
    except Exception as exc:  # noqa: BLE001 - reported to the person running the tests
        return f"{type(exc).__name__}: {exc}"


async def _admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_asyncpg(server_url()))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def new_test_database_name() -> str:
    return f"{TEST_DATABASE_PREFIX}{os.getpid()}_{secrets.token_hex(4)}"


def create_test_database() -> str:
    """A new, empty database on the server, named so that nobody can mistake it for theirs."""
    name = new_test_database_name()
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    return with_database(server_url(), name)


def drop_test_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    if not is_test_database(name):  # never drop what the tests did not create
        raise ValueError(f"refusing to drop {name!r}: not a test database")
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def truncate_all(url: str) -> None:
    """Empty every table of a test database between tests."""
    import asyncpg

    name = urlsplit(url).path.lstrip("/")
    if not is_test_database(name):
        raise ValueError(f"refusing to truncate {name!r}: not a test database")
    conn = await asyncpg.connect(_asyncpg(url))
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'tortoise%'"
        )
        names = ", ".join(f'"{t["tablename"]}"' for t in tables)
        if names:  # as a superuser with triggers off for this session: the append-only tables refuse TRUNCATE
            async with conn.transaction():
                await conn.execute("SET LOCAL session_replication_role = replica")
                await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()
