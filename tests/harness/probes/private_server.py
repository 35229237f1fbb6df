"""Run by tests/harness/test_test_databases.py in a pytest of its own, with STANDING_TEST_POSTGRES_URL=private."""

import asyncio

import asyncpg

from tests.support.databases import LOCAL_SERVER, server_url


def test_the_session_runs_on_a_server_of_its_own(database_url):
    assert server_url() != LOCAL_SERVER and database_url.startswith(server_url().rsplit("/", 1)[0])

    async def version() -> str:
        conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
        try:
            return await conn.fetchval("SHOW data_directory")
        finally:
            await conn.close()

    assert "/var/test-postgres-" in asyncio.run(version())
