"""A bounded fuzz pass over every query and mutation (tests/support/fuzz.py) against a real `standing serve` in
production mode: no HTTP 500, no masked unhandled exception, no traceback in the server's log."""

from __future__ import annotations

from pathlib import Path

from tests.support.fuzz import fuzz, tracebacks
from tests.support.live import SERVE_LOG, cli, serve

EXAMPLES_PER_OPERATION = 20  # bench/fuzz.py runs as many as you like; this keeps make test quick


def test_generated_requests_never_make_the_server_fail(database_url):
    with serve(database_url, STANDING_PRODUCTION="true") as (base, env):
        token = cli(["token", "create", "--role", "admin", "--org", "demo"], env).stdout.strip().splitlines()[-1]
        report = fuzz(base, token, examples=EXAMPLES_PER_OPERATION)
        errors = tracebacks(Path(env[SERVE_LOG]))
    assert report.requests >= 44 * 2  # every operation was exercised
    assert report.findings == []
    assert errors == [], errors[:3]
