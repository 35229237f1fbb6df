"""Test harness: every test runs against a real database, SQLite or PostgreSQL.

`make test` runs the suite twice, with STANDING_TEST_DATABASE=sqlite and =postgres. The PostgreSQL
URL defaults to the local `test` database and can be overridden with STANDING_TEST_POSTGRES_URL.
With CI=true an unreachable PostgreSQL fails the run instead of skipping it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from domain.infra import db
from domain.access.organizations import get_or_create_organization
from domain.access.principals import TokenRole
from domain.access.tokens import create_token
from domain.kernel.clock import FixedClock
from domain.infra.config import Settings
from domain.infra.db import StatementLog, logging_statements
from domain.models import Participant
from domain.participants.registration import ProfileInput, register_participant
from domain.kernel.roles import Role
from schema.app import create_app

BACKEND = os.environ.get("STANDING_TEST_DATABASE", "sqlite")
POSTGRES_URL = os.environ.get("STANDING_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _postgres_reachable(url: str) -> str | None:
    async def probe() -> None:
        import asyncpg

        conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1), timeout=5)
        await conn.close()

    try:
        asyncio.run(probe())
        return None
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"


async def _reset_postgres_schema(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database with every migration applied once per session; tests get a clean copy of it."""
    if BACKEND == "postgres":
        problem = _postgres_reachable(POSTGRES_URL)
        if problem:
            message = f"PostgreSQL at {POSTGRES_URL} is unreachable ({problem})"
            if IN_CI:
                pytest.fail(message + "; CI must run the PostgreSQL tests", pytrace=False)
            pytest.skip(message)
        asyncio.run(_reset_postgres_schema(POSTGRES_URL))
        asyncio.run(db.migrate(POSTGRES_URL))
        return POSTGRES_URL
    template = tmp_path_factory.mktemp("template") / "standing.sqlite3"
    asyncio.run(db.migrate(f"sqlite://{template}"))
    return str(template)


@pytest.fixture
def database_url(migrated_database: str, tmp_path: Path) -> Iterator[str]:
    """A clean database for one test: a copy of the SQLite template, or truncated PostgreSQL tables."""
    if BACKEND == "postgres":
        asyncio.run(_truncate_postgres(migrated_database))
        yield migrated_database
        return
    target = tmp_path / "standing.sqlite3"
    shutil.copy(migrated_database, target)
    yield f"sqlite://{target}"


async def _truncate_postgres(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'tortoise%'"
        )
        names = ", ".join(f'"{t["tablename"]}"' for t in tables)
        if names:
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    finally:
        await conn.close()


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


@dataclass
class GraphQLClient:
    """Posts GraphQL to the real ASGI app over httpx, with or without a bearer token."""

    http: httpx.AsyncClient

    async def execute(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None) -> dict:
        body = await self.execute(query, variables, token=token)
        assert "errors" not in body, body["errors"]
        return body["data"]


@pytest.fixture
async def gql(app) -> AsyncIterator[GraphQLClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://standing.test") as http:
        yield GraphQLClient(http)


@dataclass
class World:
    """A small organization to act on: tokens of each role and one participant of each role."""

    clock: FixedClock
    org_id: int
    admin: str
    partner: str
    mentor: Participant
    protege: Participant
    mentor_token: str
    protege_token: str
    other_admin: str  # an admin of another organization

    async def participant(self, role: Role, name: str = "Someone", org_id: int | None = None) -> Participant:
        result = await register_participant(
            organization_id=org_id or self.org_id, role=role,
            profile=ProfileInput(name, f"{name.lower().replace(' ', '.')}@example.org", "Europe/Oslo"),
            clock=self.clock,
        )
        assert isinstance(result, Participant), result
        return result


async def issue(org_slug: str, role: TokenRole, clock: FixedClock, participant_id: int | None = None) -> str:
    organization = await get_or_create_organization(org_slug, clock)
    issued = await create_token(organization=organization, role=role, clock=clock, participant_id=participant_id)
    return issued.secret  # type: ignore[union-attr]


@pytest.fixture
async def world(orm: str, clock: FixedClock) -> World:
    organization = await get_or_create_organization("demo", clock)
    w = World(clock, organization.id, "", "", None, None, "", "", "")  # type: ignore[arg-type]
    w.mentor = await w.participant(Role.MENTOR, "Maya Mentor")
    w.protege = await w.participant(Role.PROTEGE, "Pat Protege")
    w.admin = await issue("demo", TokenRole.ADMIN, clock)
    w.partner = await issue("demo", TokenRole.PARTNER, clock)
    w.mentor_token = await issue("demo", TokenRole.PARTICIPANT, clock, w.mentor.id)
    w.protege_token = await issue("demo", TokenRole.PARTICIPANT, clock, w.protege.id)
    w.other_admin = await issue("elsewhere", TokenRole.ADMIN, clock)
    return w


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


