"""How fast a real `standing serve` refuses the request-cost attacks, against the floor of a normal query.

    .venv/bin/python bench/limits.py [--runs 30]

For both modes (default and STANDING_PRODUCTION=true) it times, over `--runs` requests each: the fragment
bomb at 22 and 39 levels, 1,000 aliases of a heavy field, a 10 MB body; then `{ viewer { role } }` (the floor)
and /healthz right after each refusal. It prints p50 and max in milliseconds and the ratio to the floor. The
target (Security issue): the 39-level bomb refused in under 50 ms, and the next query as fast as usual.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import machine, print_machine
from domain.infra import db
from tests.support.live import cli, serve
from tests.support.queries import ALIASES, fragment_bomb


def timed(send, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        send()
        out.append((time.perf_counter() - started) * 1000)
    return out


def measure(base: str, token: str, runs: int) -> dict[str, list[float]]:
    client = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60)

    def post(query: str) -> None:
        client.post("/graphql", json={"query": query})

    normal = "{ viewer { role } }"
    return {
        "normal query (floor)": timed(lambda: post(normal), runs),
        "fragment bomb, 22 levels": timed(lambda: post(fragment_bomb(22)), runs),
        "fragment bomb, 39 levels": timed(lambda: post(fragment_bomb(39)), runs),
        "1,000 aliases": timed(lambda: post(ALIASES), runs),
        "10 MB body": timed(lambda: client.post("/graphql", content=b"{" + b" " * (10 << 20) + b"}"), 5),
        "a bomb, then a normal query": timed(lambda: (post(fragment_bomb(39)), post(normal)), runs),
        "a bomb, then /healthz": timed(lambda: (post(fragment_bomb(39)), client.get("/healthz")), runs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print_machine(machine())
    for production in ("false", "true"):
        url = f"sqlite://{tempfile.mkdtemp(prefix='standing-limits-')}/limits.sqlite3"
        asyncio.run(db.migrate(url))
        with serve(url, STANDING_PRODUCTION=production) as (base, env):
            token = cli(["token", "create", "--role", "partner", "--org", "demo"], env).stdout.strip().splitlines()[-1]
            rows = measure(base, token, args.runs)
        floor = statistics.median(rows["normal query (floor)"])
        print(f"\nSTANDING_PRODUCTION={production}")
        print("| request | p50 ms | max ms | × floor (p50) |\n|---|---:|---:|---:|")
        for name, samples in rows.items():
            p50 = statistics.median(samples)
            print(f"| {name} | {p50:.2f} | {max(samples):.2f} | {p50 / floor:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
