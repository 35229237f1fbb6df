"""Embedded SQLite with two writers at once (`make run` beside `standing demo` or the CLI): API writes wait their
turn instead of failing with "database is locked", and the embedded sweep tries again when it finds the
database locked."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.exceptions import OperationalError

from domain.infra import db
from domain.infra.sqlite import ImmediateTransaction
from domain.kernel.actors import Actor
from domain.models import Message, Participant
from domain.standing.apply import StandingCommand, apply_event
from workers.embedded import EmbeddedScheduler


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "standing.sqlite3"
    asyncio.run(db.migrate(f"sqlite://{path}"))
    return path


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> Iterator[str]:
    """These tests are about SQLite, on either pass of `make test`: a SQLite database of their own."""
    target = tmp_path / "standing.sqlite3"
    shutil.copy(sqlite_template, target)
    EXECUTOR_CACHE.clear()  # Tortoise caches SQL per connection name, not per backend: none may cross over
    yield f"sqlite://{target}"
    EXECUTOR_CACHE.clear()


SEND = """mutation($s: ID!, $r: ID!) { sendMessage(senderId: $s, recipientId: $r) {
  __typename ... on UserError { message } } }"""


class OtherProcess:
    """A second connection to the same file, as `standing demo` or the CLI is: it writes in a loop, each
    transaction holding SQLite's write lock for `hold` seconds."""

    def __init__(self, path: str, hold: float) -> None:
        self.path, self.hold = path, hold
        self.commits = 0
        self.stop = threading.Event()
        self.holding = threading.Event()  # set while a transaction holds the write lock
        self.release = threading.Event()  # with `once`: the transaction ends when this is set
        self.thread: threading.Thread | None = None

    def loop(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=5)
        conn.execute("CREATE TABLE IF NOT EXISTS other_process (n INTEGER)")
        while not self.stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO other_process VALUES (?)", (self.commits,))
            self.holding.set()
            time.sleep(self.hold)  # the other process's own work, inside its transaction
            conn.execute("COMMIT")
            self.holding.clear()
            self.commits += 1
            time.sleep(0.002)
        conn.close()

    def once(self) -> None:
        """One transaction that lasts until `release` is set."""
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=5)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE IF NOT EXISTS other_process (n INTEGER)")
        self.holding.set()
        self.release.wait(30)
        conn.execute("COMMIT")
        self.holding.clear()
        conn.close()

    def start(self, target) -> None:
        self.thread = threading.Thread(target=target, daemon=True)
        self.thread.start()
        assert self.holding.wait(10), "the other writer never took the lock"

    def join(self) -> None:
        self.stop.set()
        self.release.set()
        if self.thread:
            self.thread.join(10)


@pytest.fixture
def other_process(orm: str) -> Iterator[Callable[[float], OtherProcess]]:
    writers: list[OtherProcess] = []

    def make(hold: float) -> OtherProcess:
        writer = OtherProcess(orm.removeprefix("sqlite://"), hold)
        writers.append(writer)
        return writer

    yield make
    for writer in writers:
        writer.join()


async def test_api_writes_wait_for_another_process_writing_instead_of_failing(gql, world, other_process):
    writer = other_process(hold=0.02)
    writer.start(writer.loop)
    variables = {"s": str(world.protege.id), "r": str(world.mentor.id)}
    results = [(await gql.execute(SEND, variables, token=world.admin)) for _ in range(25)]
    writer.join()
    assert [r.get("errors") for r in results if r.get("errors")] == []
    assert [r["data"]["sendMessage"]["__typename"] for r in results] == ["Message"] * 25
    assert await Message.all().count() == 25
    assert writer.commits >= 3  # the two really wrote at the same time


async def test_the_embedded_sweep_tries_again_when_another_process_holds_the_database(
    orm, world, clock, other_process, caplog
):
    await apply_event(StandingCommand(world.mentor.id, "issue_notice", Actor.admin(1), "late"), clock=clock)
    await apply_event(
        StandingCommand(
            world.mentor.id, "suspend", Actor.admin(1), "x", params={"until": clock.now() + timedelta(days=1)}
        ),
        clock=clock,
    )
    clock.advance(timedelta(days=2))
    writer = other_process(hold=0)
    writer.start(writer.once)  # a long transaction, as `standing demo`'s is
    waits: list[float] = []

    async def nap(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:
            writer.release.set()  # the other process commits while the sweep waits for its next try
            await asyncio.to_thread(writer.thread.join, 10)  # type: ignore[union-attr]

    scheduler = EmbeddedScheduler(clock, sleep=nap)
    assert await scheduler.sweep_retrying() is True
    assert len(waits) == 2 and waits == sorted(waits)  # it waited, longer each time, and did not give up
    assert (await Participant.get(id=world.mentor.id)).standing == "first_notice"
    assert "embedded sweep failed" not in caplog.text


async def test_the_embedded_sweep_never_holds_the_connection_waiting_for_another_process(
    orm, gql, world, clock, other_process
):
    """While another process holds the write lock, a sweep must not sit in SQLite's busy wait on this process's
    one connection: every request would queue behind it (the 4-second stall)."""
    writer = other_process(hold=0)
    writer.start(writer.once)
    started = time.monotonic()
    scheduler = EmbeddedScheduler(clock, retry_delays=(), sleep=lambda seconds: asyncio.sleep(0))
    assert await scheduler.sweep_retrying() is False  # still locked after its tries: it gives up until the next
    read = await gql.data(  # reads are not held up meanwhile
        "query($id: ID!) { participant(id: $id) { displayName } }", {"id": str(world.mentor.id)}, token=world.admin
    )
    assert read["participant"]["displayName"] == "Maya Mentor"
    assert time.monotonic() - started < 2.0


async def test_a_write_waiting_for_another_process_does_not_hold_up_the_reads_of_this_one(
    gql, world, other_process, monkeypatch
):
    asked = asyncio.Event()
    begin = ImmediateTransaction.begin

    async def beginning(self) -> None:
        try:
            await begin(self)
        except OperationalError:
            asked.set()  # one slice of waiting is over: the write waits on, without the connection
            raise

    monkeypatch.setattr(ImmediateTransaction, "begin", beginning)
    writer = other_process(hold=0)
    writer.start(writer.once)
    variables = {"s": str(world.protege.id), "r": str(world.mentor.id)}
    waiting = asyncio.create_task(gql.execute(SEND, variables, token=world.admin))
    await asyncio.wait_for(asked.wait(), 10)  # the write now waits for the other process's lock
    assert not waiting.done()
    started = time.monotonic()
    read = await gql.data(
        "query($id: ID!) { participant(id: $id) { displayName } }", {"id": str(world.mentor.id)}, token=world.admin
    )
    assert read["participant"]["displayName"] == "Maya Mentor" and time.monotonic() - started < 1.0
    writer.release.set()  # the other process commits: the write goes ahead
    sent = await waiting
    assert sent["data"]["sendMessage"]["__typename"] == "Message"
