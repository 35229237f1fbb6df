"""Database configuration, connection and migrations, shared by the API, the worker, the CLI and tests."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction

from domain.infra.sqlite import PRAGMAS

APP_LABEL = "standing"
T = TypeVar("T")


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
    """Tortoise's connection entry: for PostgreSQL the URL's expansion with our connection class, for SQLite
    with our pragmas and transactions (domain/infra/sqlite.py; pragmas in the URL's query win)."""
    if database_url.startswith("sqlite://"):
        config = expand_db_url(database_url)
        config["engine"] = "domain.infra.sqlite"
        config["credentials"] = {**PRAGMAS, **config["credentials"]}
        return config
    if not database_url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        return database_url
    config = expand_db_url(database_url)
    config["credentials"]["connection_class"] = NoResetConnection
    return config


def direct_connection(database_url: str) -> dict[str, Any] | None:
    """asyncpg.connect's arguments for a connection of its own, outside Tortoise's pool (the read model's
    listener), or None when the database is not PostgreSQL. Taken from Tortoise's own expansion of the URL, so
    its pool settings in the query string (`?maxsize=10`) are not sent to the server as runtime parameters."""
    if not database_url.startswith(("postgres://", "postgresql://", "asyncpg://")):
        return None
    credentials = expand_db_url(database_url)["credentials"]
    return {
        key: credentials[key] for key in ("host", "port", "user", "password", "database", "ssl") if key in credentials
    }


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


# Work to do once the outermost transaction() of this task has committed (None: not in one).
_after_commit: ContextVar[list[Callable[[], Awaitable[None]]] | None] = ContextVar("after_commit", default=None)
# Writes to do last in the current transaction() level, just before the outermost one commits.
_at_commit: ContextVar[list[Callable[[Any], Awaitable[None]]] | None] = ContextVar("at_commit", default=None)


_commit_listeners: list[Callable[[], None]] = []


def on_commit(listener: Callable[[], None]) -> Callable[[], None]:
    """Call `listener` after every outermost transaction() this process commits; returns its unregistering."""
    _commit_listeners.append(listener)
    return lambda: _commit_listeners.remove(listener)


async def after_commit(action: Callable[[], Awaitable[None]]) -> None:
    """Run `action` now, or once the enclosing transaction commits (never if it rolls back). The same
    action asked for twice in one transaction runs once."""
    pending = _after_commit.get()
    if pending is None:
        await action()
    elif action not in pending:
        pending.append(action)


async def last_in_transaction(write: Callable[[Any], Awaitable[None]], conn: Any = None) -> None:
    """Run `write(conn)` as the last statements of the enclosing transaction, or now outside one.

    For writes that take a lock every transaction shares (the outbox's): taken last, after every row lock
    the transaction needs, it can never be part of a deadlock. A savepoint that rolls back drops its writes."""
    pending = _at_commit.get()
    if pending is None:
        await write(conn)
    else:
        pending.append(write)


@asynccontextmanager
async def transaction() -> AsyncIterator[Any]:
    """A database transaction whose side effects outside the database (telling the queue about new
    deadlines, waking the relays) happen only after it commits. Every use case opens its transactions
    here; a nested one is a savepoint whose side effects wait for the outermost commit."""
    outer_writes = _at_commit.get()
    writes: list[Callable[[Any], Awaitable[None]]] = []
    writes_token = _at_commit.set(writes)
    if _after_commit.get() is not None:
        try:
            async with in_transaction() as conn:
                yield conn
        finally:
            _at_commit.reset(writes_token)
        if outer_writes is not None:  # reached only when the savepoint was released
            outer_writes.extend(writes)
        return
    pending: list[Callable[[], Awaitable[None]]] = []
    token = _after_commit.set(pending)
    try:
        async with in_transaction() as conn:
            yield conn
            for write in writes:  # still inside the transaction: the last statements before the commit
                await write(conn)
    finally:
        _at_commit.reset(writes_token)
        _after_commit.reset(token)
    for listener in _commit_listeners:  # reached only when the transaction committed
        listener()
    for action in pending:
        await action()


SNAPSHOT_RETRIES = 5


async def in_fresh_transaction(work: Callable[[Any], Awaitable[T]]) -> T:
    """`work(conn)` in a transaction(). On SQLite, when another process committed between this
    transaction's read and its write (SQLITE_BUSY_SNAPSHOT, "database is locked"), nothing was written,
    so the whole decision runs again on fresh data. Inside another transaction it runs once: only the
    outermost one can start over."""
    if _after_commit.get() is not None:
        async with transaction() as conn:
            return await work(conn)
    for attempt in range(SNAPSHOT_RETRIES):
        try:
            async with transaction() as conn:
                return await work(conn)
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == SNAPSHOT_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


class Refused(Exception):
    """Raised inside a use case's transaction to roll all of it back and answer with a typed rejection."""

    def __init__(self, rejection: Any) -> None:
        super().__init__(getattr(rejection, "message", repr(rejection)))
        self.rejection = rejection


async def atomically(work: Callable[[Any], Awaitable[T]]) -> T | Any:
    """`work(conn)` in one fresh transaction; a `Refused` raised inside rolls it back and returns its rejection."""
    try:
        return await in_fresh_transaction(work)
    except Refused as refused:
        return refused.rejection


class StatementLog(logging.Handler):
    """The SQL statements Tortoise sends, from its `tortoise.db_client` debug log (tests and bench/api.py)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(("Created connection", "Closed connection")):
            self.statements.append(message)


@contextmanager
def logging_statements() -> Iterator[StatementLog]:
    """Record every statement sent while the block runs."""
    logger = logging.getLogger("tortoise.db_client")
    log, previous = StatementLog(), logger.level
    logger.addHandler(log)
    logger.setLevel(logging.DEBUG)
    try:
        yield log
    finally:
        logger.removeHandler(log)
        logger.setLevel(previous)


async def disconnect() -> None:
    await Tortoise.close_connections()


# Lets the `tortoise` CLI (makemigrations, sqlmigrate, history) work from the repository root.
TORTOISE_ORM = tortoise_config(os.environ.get("STANDING_DATABASE_URL") or "sqlite://var/standing.sqlite3")
