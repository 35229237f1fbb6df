"""SQLite beside other processes (`make run` with `standing demo` or the CLI): write-ahead logging, transactions
that take the write lock as they begin, and waits for another process's lock that never freeze this one.

- With WAL, readers never wait for a writer: they read the last committed state.
- SQLite's default `BEGIN` is deferred: a transaction that reads and then writes while another process holds
  the write lock fails at once with "database is locked", since SQLite does not let a reader wait to become a
  writer (its snapshot would be stale by then). `BEGIN IMMEDIATE` takes the write lock first, then reads what
  the other process committed.
- Tortoise's SQLite client has one connection per process. A statement waiting in SQLite's busy handler holds
  it, and every request of the process queues behind: the 4-second stall beside `standing demo`. So the busy
  timeout is a slice of 100 ms: a transaction or a write that finds the lock taken lets go of the connection
  between slices, and tries again for up to 5 seconds in all before it fails with "database is locked".
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tortoise import connections
from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionContext, SqliteTransactionWrapper
from tortoise.connection import get_connections
from tortoise.exceptions import OperationalError, TransactionManagementError

T = TypeVar("T")
SLICE_MS = 100  # the longest one wait for the write lock holds this process's connection
PATIENCE = 5.0  # seconds a write waits in all for another process's write lock
# Applied to every connection (Tortoise's SQLite client runs `PRAGMA key=value` for each of its options).
PRAGMAS: dict[str, Any] = {
    "journal_mode": "WAL",  # readers and one writer at once
    "synchronous": "NORMAL",  # safe with WAL (a power cut may lose the last commits, never corrupts)
    "busy_timeout": SLICE_MS,
    "foreign_keys": "ON",
}


def is_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" (or "busy"): another connection holds the write lock."""
    return "locked" in str(exc) or "busy" in str(exc)


async def patiently(attempt: Callable[[], Awaitable[T]], patience: float = PATIENCE) -> T:
    """`attempt()` again while it finds the write lock taken, each try holding the connection one slice at most."""
    give_up = time.monotonic() + patience
    while True:
        try:
            return await attempt()
        except OperationalError as exc:
            if not is_busy(exc) or time.monotonic() >= give_up:
                raise
        await asyncio.sleep(0)  # the connection is free for the process's other requests meanwhile


class ImmediateTransaction(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise OperationalError(exc) from exc
            raise TransactionManagementError(exc) from exc


class ImmediateTransactionContext(SqliteTransactionContext):
    async def __aenter__(self) -> Any:
        await patiently(self._begin)
        self.token = get_connections().set(self.connection_name, self.connection)
        return self.connection

    async def _begin(self) -> None:
        await self._trxlock.acquire()
        try:
            await self.ensure_connection()
            await self.connection.begin()
        except BaseException:
            self._trxlock.release()  # Tortoise's own context keeps it, and the process would freeze
            raise


class StandingSqliteClient(SqliteClient):
    """Tortoise's SQLite client with immediate transactions and patient writes outside transactions."""

    def __init__(self, file_path: str, **kwargs: Any) -> None:
        super().__init__(file_path, **kwargs)
        self._probe: sqlite3.Connection | None = None
        self._probe_lock = threading.Lock()

    def _in_transaction(self) -> SqliteTransactionContext:
        return ImmediateTransactionContext(ImmediateTransaction(self), self._lock)

    async def execute_insert(self, query: str, values: list) -> int:
        return await patiently(lambda: super(StandingSqliteClient, self).execute_insert(query, values))

    async def execute_many(self, query: str, values: list[list]) -> None:
        await patiently(lambda: super(StandingSqliteClient, self).execute_many(query, values))

    async def execute_query(self, query: str, values: list | None = None) -> Any:
        return await patiently(lambda: super(StandingSqliteClient, self).execute_query(query, values))

    async def execute_query_dict(self, query: str, values: list | None = None) -> list[dict]:
        return await patiently(lambda: super(StandingSqliteClient, self).execute_query_dict(query, values))

    def write_lock_taken_now(self) -> bool:
        """Whether some connection holds the file's write lock, asked from a side connection that never waits
        (blocking: a thread's work)."""
        if self.filename in ("", ":memory:"):
            return False
        with self._probe_lock:
            if self._probe is None:
                self._probe = sqlite3.connect(self.filename, timeout=0, isolation_level=None, check_same_thread=False)
            try:
                self._probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if is_busy(exc):
                    return True
                raise
            self._probe.execute("ROLLBACK")
            return False

    async def close(self) -> None:
        await super().close()
        with self._probe_lock:
            if self._probe is not None:
                self._probe.close()
                self._probe = None


async def write_lock_taken() -> bool:
    """True when the default connection is a SQLite file whose write lock some connection holds right now.
    Background work (the embedded sweep) asks first and comes back later instead of waiting."""
    client = connections.get("default")
    return isinstance(client, StandingSqliteClient) and await asyncio.to_thread(client.write_lock_taken_now)


client_class = StandingSqliteClient  # Tortoise loads the engine module named in the config and takes this
