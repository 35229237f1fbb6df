"""Fuzz the GraphQL API with schemathesis for as long as you like, against a real `standing serve`.

    .venv/bin/python bench/fuzz.py --examples 500            # ~22,000 requests on a fresh SQLite database
    .venv/bin/python bench/fuzz.py --examples 200 --database-url postgres://postgres@127.0.0.1:5432/bench_fuzz

Every query and mutation of schema.graphql gets `--examples` generated requests (tests/support/fuzz.py), sent
with an admin token to a production-mode server. It prints the status codes, every finding (an HTTP 5xx, an
error masked as "Unexpected error.", a traceback in the server's log) and exits 1 if there was one.
`make test` runs the same pass with 20 examples per operation (tests/api/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import recreate_database
from domain.infra import db
from tests.support.fuzz import fuzz, tracebacks
from tests.support.live import SERVE_LOG, cli, serve


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=200, help="generated requests per operation")
    parser.add_argument("--database-url", help="a bench_* PostgreSQL database to (re)create; default: SQLite")
    args = parser.parse_args()
    if args.database_url:
        asyncio.run(recreate_database(args.database_url))
        url = args.database_url
    else:
        url = f"sqlite://{tempfile.mkdtemp(prefix='standing-fuzz-')}/fuzz.sqlite3"
    asyncio.run(db.migrate(url))
    started = time.perf_counter()
    with serve(url, STANDING_PRODUCTION="true") as (base, env):
        token = cli(["token", "create", "--role", "admin", "--org", "fuzz"], env).stdout.strip().splitlines()[-1]
        report = fuzz(base, token, examples=args.examples)
        errors = tracebacks(Path(env[SERVE_LOG]))
    elapsed = time.perf_counter() - started
    print(f"{report.requests} requests in {elapsed:.0f} s; statuses {dict(report.statuses)}")
    print(f"{len(report.findings)} findings, {len(errors)} tracebacks in the server's log")
    for finding in report.findings[:20]:
        print("---", finding, sep="\n")
    for line in errors[:20]:
        print("---", line[:600], sep="\n")
    return 1 if report.findings or errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
