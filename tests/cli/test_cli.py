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
    assert re.search(r"^1 +partner +acme +- +stk_\S+… +\d{4}-\d\d-\d\d \d\d:\d\d +- +crm sync$", listed.stdout, re.M)
    assert run(["token", "revoke", "1"], database_url).returncode == 0
    revoked = run(["token", "list"], database_url).stdout.splitlines()[1]
    assert re.search(r"\d\d:\d\d +\d{4}-\d\d-\d\d \d\d:\d\d +crm sync$", revoked), revoked
    assert run(["token", "revoke", "1"], database_url).returncode == 2


def test_token_list_has_a_header_names_the_participant_and_shows_no_secret(database_url):
    secret = run(["token", "create", "--role", "admin", "--org", "acme"], database_url).stdout.splitlines()[-1]

    async def register() -> int:
        await db.connect(database_url)
        try:
            from domain.kernel.clock import SystemClock
            from domain.kernel.roles import Role
            from domain.models import Organization
            from domain.participants.registration import ProfileInput, register_participant

            acme = await Organization.get(slug="acme")
            ada = await register_participant(
                organization_id=acme.id,
                role=Role.MENTOR,
                profile=ProfileInput("Ada", "ada@example.org", "UTC"),
                clock=SystemClock(),
            )
            return ada.id  # type: ignore[union-attr]
        finally:
            await db.disconnect()

    ada = asyncio.run(register())
    mine = run(["token", "create", "--role", "participant", "--org", "acme", "--participant", str(ada)], database_url)
    listed = run(["token", "list"], database_url).stdout.splitlines()
    assert listed[0].split() == [
        "ID",
        "ROLE",
        "ORGANIZATION",
        "PARTICIPANT",
        "PREFIX",
        "CREATED",
        "(UTC)",
        "REVOKED",
        "(UTC)",
        "LABEL",
    ]
    assert f"#{ada} Ada" in listed[2]
    for shown in (secret, mine.stdout.splitlines()[-1]):
        assert shown not in "\n".join(listed) and shown[:12] not in "\n".join(listed)  # a 10-character prefix at most


def test_a_typo_in_the_organization_is_refused_with_the_close_match(database_url):
    assert run(["token", "create", "--role", "admin", "--org", "inzpireu"], database_url).returncode == 0
    typo = run(["token", "create", "--role", "admin", "--org", "inzpiru"], database_url)
    assert typo.returncode == 2 and typo.stdout == ""
    assert "no organization 'inzpiru' (did you mean 'inzpireu'?). Pass --create-org" in typo.stderr

    async def slugs() -> list[str]:
        await db.connect(database_url)
        try:
            from domain.models import Organization

            return sorted(await Organization.all().values_list("slug", flat=True))
        finally:
            await db.disconnect()

    assert asyncio.run(slugs()) == ["inzpireu"]  # nothing was created
    made = run(
        ["token", "create", "--role", "admin", "--org", "acme", "--create-org", "--org-name", "Acme Mentors"],
        database_url,
    )
    assert made.returncode == 0 and "created organization 'acme' (Acme Mentors)" in made.stdout
    assert asyncio.run(slugs()) == ["acme", "inzpireu"]


def test_outside_the_checkout_a_command_says_to_migrate_and_creates_nothing(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "STANDING_DATABASE_URL"}
    env["PYTHONPATH"] = str(ROOT)
    for command in (["token", "list"], ["sweep", "--dry-run"], ["token", "create", "--role", "admin", "--org", "x"]):
        result = subprocess.run(STANDING + command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
        assert result.returncode == 2, result.stderr
        assert f"no Standing database at var/standing.sqlite3, in {tmp_path}" in result.stderr
        assert "standing migrate" in result.stderr and "STANDING_DATABASE_URL" in result.stderr
        assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no var/, no empty database


def test_a_database_that_is_not_migrated_is_named_with_what_to_do(tmp_path):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    result = run(["token", "list"], f"sqlite://{empty}")
    assert result.returncode == 2
    assert f"the database sqlite://{empty} has no Standing tables yet. Run `standing migrate`" in result.stderr


def test_sweep_into_a_pipe_whose_reader_left_exits_quietly(database_url):
    env = {**os.environ, "STANDING_DATABASE_URL": database_url}
    sweep = subprocess.Popen(
        STANDING + ["sweep", "--dry-run"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert sweep.stdout is not None
    sweep.stdout.close()  # `| head` that has read all it wanted before sweep writes its first line
    _, stderr = sweep.communicate(timeout=60)
    assert sweep.returncode == 0 and stderr == "", stderr


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


def test_the_database_check_accepts_the_pool_settings_the_deployment_docs_give():
    from cli.database import asyncpg_url

    url = "postgres://standing:pw@db:5432/standing?maxsize=20&sslmode=require&minsize=2"
    assert asyncpg_url(url) == "postgresql://standing:pw@db:5432/standing?sslmode=require"
    assert asyncpg_url("postgres://u@h/d?maxsize=20") == "postgresql://u@h/d"


def test_a_command_runs_on_a_postgres_url_with_pool_settings(database_url):
    """STANDING_DATABASE_URL=...?maxsize=20 (docs/deployment.md): the check before the command, which connects
    with asyncpg alone, no longer takes the pool setting for a server setting (SQLite URLs take no pool)."""
    url = f"{database_url}?maxsize=20" if database_url.startswith("postgres") else database_url
    swept = run(["sweep", "--dry-run"], url)
    assert swept.returncode == 0, swept.stderr
