"""The attacks on request cost, against a real `standing serve` in both modes: the fragment bomb, 1,000 aliases
and a 10 MB body are refused at once, and the process keeps answering. bench/limits.py measures how fast."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.support.live import cli, serve
from tests.support.queries import ALIASES, fragment_bomb

# A refusal that took exponential time would take tens of seconds (21 s at 22 levels before the fix); this
# bound only tells "refused up front" from "walked the expansion", it measures nothing finer.
UP_FRONT_SECONDS = 2.0


@pytest.mark.parametrize("production", ["false", "true"])
def test_the_39_level_fragment_bomb_is_refused_and_the_next_query_is_answered(database_url, production):
    with serve(database_url, STANDING_PRODUCTION=production) as (base, env):
        token = cli(["token", "create", "--role", "partner", "--org", "demo"], env).stdout.strip().splitlines()[-1]
        headers = {"Authorization": f"Bearer {token}"}
        started = time.monotonic()
        refused = httpx.post(f"{base}/graphql", json={"query": fragment_bomb(39)}, headers=headers, timeout=60)
        assert time.monotonic() - started < UP_FRONT_SECONDS
        assert [e["message"] for e in refused.json()["errors"]] == [
            "the query selects 1099511627776 fields once fragments are expanded; at most 2000 are allowed"
        ]
        answered = httpx.post(f"{base}/graphql", json={"query": "{ viewer { role } }"}, headers=headers, timeout=10)
        assert answered.json() == {"data": {"viewer": {"role": "PARTNER"}}}
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200

        started = time.monotonic()
        body = httpx.post(f"{base}/graphql", json={"query": ALIASES}, headers=headers, timeout=60).json()
        assert time.monotonic() - started < UP_FRONT_SECONDS and body.get("data") is None

        started = time.monotonic()
        big = httpx.post(
            f"{base}/graphql", content=b"{" + b" " * (10 * 1024 * 1024) + b"}", headers=headers, timeout=60
        )
        assert big.status_code == 413 and time.monotonic() - started < UP_FRONT_SECONDS
        deep = httpx.post(
            f"{base}/graphql",
            content=b'{"query": "{ viewer { role } }", "variables": {"v": ' + b"[" * 2000 + b"]" * 2000 + b"}}",
            headers={**headers, "Content-Type": "application/json"},
            timeout=10,
        )
        assert deep.status_code == 400 and "nested" in deep.text
