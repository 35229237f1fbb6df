"""Database configuration, connection and migrations, shared by the API, the worker, the CLI and tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tortoise import Tortoise

APP_LABEL = "standing"


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": database_url},
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


async def disconnect() -> None:
    await Tortoise.close_connections()


# Lets the `tortoise` CLI (makemigrations, sqlmigrate, history) work from the repository root.
TORTOISE_ORM = tortoise_config(os.environ.get("STANDING_DATABASE_URL") or "sqlite://var/standing.sqlite3")
