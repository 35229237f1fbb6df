"""Test harness: every test runs against a real database, SQLite or PostgreSQL, of the session's own
(tests/support/databases.py), with an injected clock."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from domain.access.principals import TokenRole
from domain.infra import db
from domain.infra.config import Settings
from domain.infra.db import StatementLog, logging_statements
from domain.kernel.clock import FixedClock
from schema.app import create_app
from tests.support.databases import (
    BACKEND,
    SERVER_URL,
    create_test_database,
    drop_test_database,
    postgres_problem,
    server_url,
    truncate_all,
)
from tests.support.postgres import PostgresUnavailable
from tests.support.world import GraphQLClient, World, build_world, issue

ALLOW_SKIPS = "STANDING_TEST_ALLOW_SKIPS"


def pytest_sessionstart(session: pytest.Session) -> None:
    """A PostgreSQL pass with no PostgreSQL starts a private server, or stops at once and fails: it never
    passes with skips."""
    if BACKEND != "postgres":
        return
    try:
        server = server_url()
    except PostgresUnavailable as unavailable:
        pytest.exit(
            f"PostgreSQL at {SERVER_URL} is unreachable, and no private server could be started: {unavailable}",
            returncode=3,
        )
    if (problem := postgres_problem(server)) is not None:
        pytest.exit(
            f"PostgreSQL at {server} is unreachable ({problem}). Start it, point STANDING_TEST_POSTGRES_URL at a "
            "server, or unset it (or set it to `private`) to have the tests start one of their own.",
            returncode=3,
        )


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """`make test` never passes with skips: a skipped test is one that did not run, so the run fails."""
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped and not os.environ.get(ALLOW_SKIPS):
        terminalreporter.section("skipped tests fail the run", red=True)
        for report in skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            terminalreporter.line(f"{report.nodeid}: {reason}")
        terminalreporter.line(f"Install what they need, or set {ALLOW_SKIPS}=1 to accept skips on purpose.")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == pytest.ExitCode.OK and not os.environ.get(ALLOW_SKIPS):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of this session's own with every migration applied once; tests get a clean copy of it."""
    if BACKEND == "postgres":
        url = create_test_database()
        try:
            asyncio.run(db.migrate(url))
            yield url
        finally:
            drop_test_database(url)
        return
    template = tmp_path_factory.mktemp("template") / "standing.sqlite3"
    asyncio.run(db.migrate(f"sqlite://{template}"))
    yield str(template)


@pytest.fixture
def database_url(migrated_database: str, tmp_path: Path) -> Iterator[str]:
    """A clean database for one test: a copy of the SQLite template, or the session's PostgreSQL database emptied."""
    if BACKEND == "postgres":
        asyncio.run(truncate_all(migrated_database))
        yield migrated_database
        return
    target = tmp_path / "standing.sqlite3"
    shutil.copy(migrated_database, target)
    yield f"sqlite://{target}"


@pytest.fixture
async def orm(database_url: str) -> AsyncIterator[str]:
    await db.connect(database_url)
    try:
        yield database_url
    finally:
        await db.disconnect()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def app(orm: str, clock: FixedClock):
    return create_app(Settings(database_url=orm), clock=clock, manage_database=False)


@pytest.fixture
async def gql(app) -> AsyncIterator[GraphQLClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://standing.test") as http:
        yield GraphQLClient(http)


@pytest.fixture
async def world(orm: str, clock: FixedClock) -> World:
    return await build_world(clock)


@pytest.fixture
def admin_secret(database_url: str) -> str:
    """An admin token made outside any test's ORM context, for tests whose app owns the database."""

    async def make() -> str:
        await db.connect(database_url)
        try:
            return await issue("demo", TokenRole.ADMIN, FixedClock())
        finally:
            await db.disconnect()

    return asyncio.run(make())


@pytest.fixture
def sql_counter() -> Iterator[StatementLog]:
    """The statements Tortoise sends during the test."""
    with logging_statements() as log:
        yield log


@pytest.fixture(params=["worker", "embedded"])
async def fire(request, clock: FixedClock):
    """Fire what is due the way one of the two modes does: a real arq worker's sweep job in burst mode, or,
    without Redis, the embedded scheduler's sweep."""
    from tests.support.redis import connect_redis, run_worker
    from workers.embedded import EmbeddedScheduler

    if request.param == "embedded":
        scheduler = EmbeddedScheduler(clock)

        async def embedded() -> None:
            await scheduler.sweep_once()

        yield embedded
        return
    redis = await connect_redis()

    async def worker() -> None:
        await redis.enqueue_job("sweep_job")
        await run_worker(redis, clock)

    yield worker
    await redis.flushdb()
    await redis.aclose()
