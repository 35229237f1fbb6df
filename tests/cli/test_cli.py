"""The `standing` command, run as a user would: in a subprocess, against the test database."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from domain.access.tokens import authenticate
from domain.infra import db

ROOT = Path(__file__).resolve().parents[2]
STANDING = [sys.executable, "-m", "cli.main"]


def run(args: list[str], database_url: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "STANDING_DATABASE_URL": database_url}
    return subprocess.run(STANDING + args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=60, **kwargs)


def test_token_create_prints_the_token_alone_on_the_last_line(database_url):
    result = run(["token", "create", "--role", "admin", "--org", "acme"], database_url)
    assert result.returncode == 0, result.stderr
    secret = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"stk_[A-Za-z0-9_-]{43}", secret)

    async def check() -> None:
        await db.connect(database_url)
        try:
            principal = await authenticate(secret)
            assert principal is not None and principal.role.value == "admin"
        finally:
            await db.disconnect()

    asyncio.run(check())


def test_token_create_for_a_participant_needs_the_participant(database_url):
    result = run(["token", "create", "--role", "participant", "--org", "acme"], database_url)
    assert result.returncode == 2
    assert "needs the participant" in result.stderr


def test_token_list_and_revoke(database_url):
    run(["token", "create", "--role", "partner", "--org", "acme", "--label", "crm sync"], database_url)
    listed = run(["token", "list"], database_url)
    assert "partner\tacme" in listed.stdout and "crm sync" in listed.stdout and "stk_" in listed.stdout
    assert run(["token", "revoke", "1"], database_url).returncode == 0
    assert "revoked" in run(["token", "list"], database_url).stdout
    assert run(["token", "revoke", "1"], database_url).returncode == 2


def test_migrate_is_idempotent(database_url):
    first, second = run(["migrate"], database_url), run(["migrate"], database_url)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr


def test_export_schema_prints_the_sdl(database_url):
    result = run(["export-schema"], database_url)
    assert result.stdout == (ROOT / "schema.graphql").read_text()


def test_policy_set_and_show(database_url, tmp_path):
    run(["token", "create", "--role", "admin", "--org", "acme"], database_url)
    overrides = tmp_path / "overrides.json"
    overrides.write_text('{"protege": {"session_attendance": {"threshold": 4, "window_days": 90}}}')
    result = run(["policy", "set", str(overrides), "--org", "acme", "--reason", "weekly cohorts"], database_url)
    assert result.returncode == 0, result.stderr
    shown = run(["policy", "show", "--org", "acme"], database_url).stdout
    assert "protege: protege-badge-" in shown and "+org." in shown
    assert "session_attendance\tcount >= 4 in 90 days" in shown
    overrides.write_text('{"protege": {"session_attendance": {"threshold": -4}}}')
    refused = run(["policy", "set", str(overrides), "--org", "acme", "--reason", "oops"], database_url)
    assert refused.returncode == 2 and "positive number" in refused.stderr
    assert run(["policy", "show", "--org", "nowhere"], database_url).returncode == 2


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["serve"],
        ["migrate"],
        ["token"],
        ["token", "create"],
        ["policy"],
        ["policy", "set"],
        ["export-schema"],
        ["diagrams"],
    ],
)
def test_every_command_has_help(command, database_url):
    result = run([*command, "--help"], database_url)
    assert result.returncode == 0 and "usage: standing" in result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _readme_first_query_script(port: int) -> str:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(TOKEN=.*?)```", readme, re.S)
    assert block, "README lost its first-query example"
    return (
        block.group(1).replace("127.0.0.1:8000", f"127.0.0.1:{port}").replace(".venv/bin/standing", " ".join(STANDING))
    )


@contextmanager
def serving(database_url: str, **extra_env: str) -> Iterator[tuple[int, dict[str, str]]]:
    """`standing serve` in a subprocess on a free port, in embedded mode (no Redis)."""
    port = _free_port()
    env = {**os.environ, "STANDING_DATABASE_URL": database_url, **extra_env}
    env.pop("STANDING_REDIS_URL", None)
    server = subprocess.Popen(
        STANDING + ["serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:  # wait for the server process to come up (a start-up wait, not a time control)
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).json() == {"status": "ok"}:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "standing serve did not start"
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            time.sleep(0.1)
        yield port, env
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_readme_first_query_returns_the_participants_standing(database_url):
    """The README's curl example, run verbatim against `standing serve`."""
    with serving(database_url) as (port, env):
        result = subprocess.run(
            ["bash", "-e", "-c", _readme_first_query_script(port)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    assert '"state":"FIRST_NOTICE"' in result.stdout
    assert '"reason":"Missed two sessions without notice"' in result.stdout
    assert '"kind":"ADMIN"' in result.stdout


def test_embedded_mode_lifts_a_suspension_on_time_without_redis(database_url):
    """`make run` has no Redis: the API process itself fires the suspension's end, to the second."""
    secret = run(["token", "create", "--role", "admin", "--org", "demo"], database_url).stdout.strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {secret}"}
    with serving(database_url, STANDING_SWEEP_INTERVAL="3600") as (port, _):  # only the precise timer can act
        url = f"http://127.0.0.1:{port}/graphql"

        def gql(query: str, variables: dict) -> dict:
            return httpx.post(url, json={"query": query, "variables": variables}, headers=headers, timeout=10).json()[
                "data"
            ]

        pid = gql(
            'mutation { registerParticipant(input: {role: MENTOR, displayName: "Ada", email: "ada@example.org"}) '
            "{ ... on ParticipantPayload { participant { id } } } }",
            {},
        )["registerParticipant"]["participant"]["id"]
        gql(
            'mutation($id: ID!) { issueNotice(input: {participantId: $id, reason: "late"}) { __typename } }',
            {"id": pid},
        )
        until = datetime.now(UTC) + timedelta(seconds=2)
        suspended = gql(
            'mutation($id: ID!, $until: DateTime!) { suspend(input: {participantId: $id, reason: "again", '
            "until: $until}) { __typename } }",
            {"id": pid, "until": until.isoformat()},
        )
        assert suspended["suspend"]["__typename"] == "TransitionPayload"
        query = "query($id: ID!) { participant(id: $id) { standing { state history(first: 1) { edges { node { actor { kind id } occurredAt } } } } } }"
        deadline = time.monotonic() + 15
        while (standing := gql(query, {"id": pid})["participant"]["standing"])["state"] == "SUSPENDED":
            assert time.monotonic() < deadline, "the suspension was never lifted"
            time.sleep(0.1)  # polling a live server on the wall clock: the only way to observe it
    lift = standing["history"]["edges"][0]["node"]
    assert standing["state"] == "FIRST_NOTICE" and lift["actor"] == {"kind": "SYSTEM", "id": "suspension_ends"}
    lifted_at = datetime.fromisoformat(lift["occurredAt"])
    assert until <= lifted_at <= until + timedelta(seconds=1)
