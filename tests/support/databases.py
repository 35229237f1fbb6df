"""Databases of the test session's own: a SQLite template copied per test, or a PostgreSQL database that
the session creates on the server and drops at its end. No test ever touches a database it did not make.

`make test` runs the suite twice, with STANDING_TEST_DATABASE=sqlite and =postgres. The PostgreSQL server
is STANDING_TEST_POSTGRES_URL (default: the local server's `postgres` maintenance database); when it cannot
be reached the run stops with an error, never with skipped tests.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from urllib.parse import urlsplit, urlunsplit

BACKEND = os.environ.get("STANDING_TEST_DATABASE", "sqlite")
SERVER_URL = os.environ.get("STANDING_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
TEST_DATABASE_PREFIX = "standing_test_"


def _asyncpg(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def postgres_problem(url: str = SERVER_URL) -> str | None:
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

    conn = await asyncpg.connect(_asyncpg(SERVER_URL))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def create_test_database() -> str:
    """A new, empty database on the server, named so that nobody can mistake it for theirs."""
    name = f"{TEST_DATABASE_PREFIX}{os.getpid()}_{secrets.token_hex(4)}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    return with_database(SERVER_URL, name)


def drop_test_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith(TEST_DATABASE_PREFIX):  # never drop what the tests did not create
        raise ValueError(f"refusing to drop {name!r}: not a test database")
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def truncate_all(url: str) -> None:
    """Empty every table of a test database between tests."""
    import asyncpg

    name = urlsplit(url).path.lstrip("/")
    if not name.startswith(TEST_DATABASE_PREFIX):
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
