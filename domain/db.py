"""Database configuration, connection and migrations, shared by the API, the worker, the CLI and tests."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
from tortoise import Tortoise
from tortoise.transactions import in_transaction
from tortoise.backends.base.config_generator import expand_db_url

APP_LABEL = "standing"


class NoResetConnection(asyncpg.Connection):
    """An asyncpg connection that goes back to the pool without a reset query.

    asyncpg's pool sends "SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL;" each
    time a connection is released: a second round trip for every statement outside a transaction,
    which bench/api.py measured as a third of a single read's database time. Standing leaves no
    session state behind (no LISTEN, no session advisory locks, no SET, no cursors; the outbox's lock
    is transaction-scoped), and asyncpg still rolls back a transaction left open on release.
    """

    def get_reset_query(self) -> str:
        return ""


def connection_config(database_url: str) -> str | dict[str, Any]:
    """Tortoise's connection entry: the URL itself, or for PostgreSQL its expansion with our connection class."""
    if not database_url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        return database_url
    config = expand_db_url(database_url)
    config["credentials"]["connection_class"] = NoResetConnection
    return config


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(database_url)},
        "apps": {
            APP_LABEL: {
                "models": ["domain.models"],
                "default_connection": "default",
                "migrations": "domain.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def ensure_sqlite_folder(database_url: str) -> None:
    """`make run` keeps the embedded database in an ignored folder that may not exist yet."""
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        path = Path(database_url.removeprefix("sqlite://"))
        path.parent.mkdir(parents=True, exist_ok=True)


async def migrate(database_url: str) -> None:
    """Apply every committed migration (idempotent)."""
    from tortoise.migrations.api import migrate as run_migrations

    ensure_sqlite_folder(database_url)
    try:
        await run_migrations(config=tortoise_config(database_url))
    finally:
        # migrate() leaves its connections open; an open aiosqlite thread keeps the process alive.
        await Tortoise.close_connections()


async def connect(database_url: str) -> None:
    ensure_sqlite_folder(database_url)
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


@asynccontextmanager
async def transaction() -> AsyncIterator[Any]:
    """A database transaction whose side effects outside the database (telling the queue about new
    deadlines) happen only after it commits. Every use case opens its transactions here."""
    from domain.deadlines import notify_after_commit

    async with notify_after_commit():
        async with in_transaction() as conn:
            yield conn


async def disconnect() -> None:
    await Tortoise.close_connections()


# Lets the `tortoise` CLI (makemigrations, sqlmigrate, history) work from the repository root.
TORTOISE_ORM = tortoise_config(os.environ.get("STANDING_DATABASE_URL") or "sqlite://var/standing.sqlite3")
