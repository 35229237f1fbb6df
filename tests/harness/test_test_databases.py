"""The tests never wipe a database they did not create, and a PostgreSQL pass without a server starts one of
its own or fails loudly: it never passes with skips."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.databases import (
    TEST_DATABASE_PREFIX,
    drop_test_database,
    is_test_database,
    new_test_database_name,
    truncate_all,
)
from tests.support.live import ROOT

SOMEONES = ["postgres://postgres@127.0.0.1:5432/standing", "postgres://u@db.example.org/test", "postgres://h/postgres"]


@pytest.mark.parametrize("url", SOMEONES)
def test_a_database_the_tests_did_not_create_is_never_dropped_or_emptied(url):
    with pytest.raises(ValueError, match="not a test database"):
        drop_test_database(url)
    with pytest.raises(ValueError, match="not a test database"):
        asyncio.run(truncate_all(url))  # refused before any connection is made


def test_the_databases_the_tests_create_are_marked_as_theirs():
    name = new_test_database_name()
    assert name.startswith(TEST_DATABASE_PREFIX) and is_test_database(name) and str(os.getpid()) in name
    assert not any(is_test_database(url.rsplit("/", 1)[1]) for url in SOMEONES)


def test_no_test_drops_a_schema():
    """`DROP SCHEMA public CASCADE` on the database STANDING_TEST_POSTGRES_URL named wiped it, for good."""
    this = Path(__file__).resolve()
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("*.py")
        if path.resolve() != this and "DROP SCHEMA" in path.read_text().upper()
    ]
    assert offenders == []


def _pytest(probe: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"tests/harness/probes/{probe}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=300,
    )


def test_a_postgres_pass_without_a_server_starts_one_of_its_own_and_removes_it():
    before = set((ROOT / "var").glob("test-postgres-*"))
    result = _pytest("private_server.py", STANDING_TEST_DATABASE="postgres", STANDING_TEST_POSTGRES_URL="private")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert set((ROOT / "var").glob("test-postgres-*")) == before  # stopped and deleted at the end


def test_a_named_server_that_cannot_be_reached_fails_the_run_at_once():
    unreachable = "postgres://postgres@127.0.0.1:1/postgres"
    result = _pytest("private_server.py", STANDING_TEST_DATABASE="postgres", STANDING_TEST_POSTGRES_URL=unreachable)
    assert result.returncode == 3
    assert f"PostgreSQL at {unreachable} is unreachable" in result.stdout + result.stderr
    assert "passed" not in result.stdout and "skipped" not in result.stdout
