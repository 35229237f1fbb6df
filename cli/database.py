"""Whether the database a command is about to use is there and migrated, asked before the command touches it.

Without STANDING_DATABASE_URL the default is `sqlite://var/standing.sqlite3`, relative to the current
directory; run elsewhere than in the checkout, a command would create an empty file there and fail on its
first query. Instead it says what to do: run `standing migrate`, or point STANDING_DATABASE_URL at the
database in use. The check reads the migrations table directly, so it creates nothing.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import domain.migrations
from domain.infra.db import APP_LABEL

MIGRATIONS = Path(domain.migrations.__file__).parent
APPLIED = "SELECT name FROM tortoise_migrations WHERE app = $1"
HINT = (
    "Run `standing migrate` to create and migrate it, or set STANDING_DATABASE_URL to the database you use "
    "(sqlite://PATH or postgres://USER@HOST:5432/NAME)."
)


def committed_migrations() -> list[str]:
    return sorted(path.stem for path in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


def shown(database_url: str) -> str:
    """The URL as it may be printed: without its password."""
    parts = urlsplit(database_url)
    if parts.password is None:
        return database_url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def sqlite_file(database_url: str) -> Path | None:
    if not database_url.startswith("sqlite://"):
        return None
    path = database_url.removeprefix("sqlite://").split("?", 1)[0]
    return None if ":memory:" in path else Path(path)


# Tortoise's pool settings, which it reads from the URL's query (docs/deployment.md); asyncpg.connect would take
# them for server settings and refuse to connect.
POOL_SETTINGS = {
    "minsize",
    "maxsize",
    "max_queries",
    "max_inactive_connection_lifetime",
    "max_cached_statement_lifetime",
}


def asyncpg_url(database_url: str) -> str:
    """The URL one plain asyncpg connection accepts: postgresql://, without Tortoise's pool settings."""
    parts = urlsplit(database_url.replace("postgres://", "postgresql://", 1))
    query = "&".join(p for p in parts.query.split("&") if p and p.split("=", 1)[0] not in POOL_SETTINGS)
    return urlunsplit(parts._replace(query=query))


async def _applied_postgres(database_url: str) -> list[str]:
    import asyncpg

    conn = await asyncpg.connect(asyncpg_url(database_url), timeout=10)
    try:
        rows = await conn.fetch(APPLIED, APP_LABEL)
    except asyncpg.UndefinedTableError:
        return []
    finally:
        await conn.close()
    return [row["name"] for row in rows]


def _applied_sqlite(path: Path) -> list[str]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        try:
            rows = conn.execute(APPLIED.replace("$1", "?"), (APP_LABEL,)).fetchall()
        except sqlite3.OperationalError:  # no migrations table: nothing was ever migrated
            return []
    return [name for (name,) in rows]


async def database_problem(database_url: str, *, by_default: bool = False) -> str | None:
    """Why a command cannot use this database yet, or None. `by_default`: STANDING_DATABASE_URL is unset."""
    path = sqlite_file(database_url)
    if path is not None and not path.exists():
        where = str(path) if path.is_absolute() else f"{path}, in {Path.cwd()}"
        unset = " (STANDING_DATABASE_URL is not set, so this is the default)" if by_default else ""
        return f"no Standing database at {where}{unset}. {HINT}"
    try:
        applied = _applied_sqlite(path) if path is not None else await _applied_postgres(database_url)
    except Exception as exc:  # noqa: BLE001 - reported to the person at the terminal
        return f"cannot read the database {shown(database_url)} ({type(exc).__name__}: {exc})."
    pending = [name for name in committed_migrations() if name not in applied]
    if not applied:
        return f"the database {shown(database_url)} has no Standing tables yet. {HINT}"
    if pending:
        return (
            f"the database {shown(database_url)} lacks {len(pending)} migration(s), from {pending[0]}. "
            "Run `standing migrate` with the same STANDING_DATABASE_URL."
        )
    return None
