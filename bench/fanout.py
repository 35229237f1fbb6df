#!/usr/bin/env python
"""Benchmark of subscription fan-out: 2,000 websocket subscribers on one `standing serve` process.

One command, from the repository root (needs PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python bench/fanout.py                    # embedded mode: no Redis
    .venv/bin/python bench/fanout.py --redis-url redis://127.0.0.1:6379/8

It (re)creates the database `bench_fanout`, starts ONE `standing serve` process (uvicorn, one worker,
PostgreSQL; with --redis-url also its Redis relay and listener), creates an admin token of organization
`bench` with `standing token create` and one partner token per 20 subscribers with the domain's
`create_token` (the server lets one token hold at most 20 subscriptions, MAX_SUBSCRIPTIONS_PER_TOKEN in
workers/sockets.py: 2,000 subscribers are 100 partner tools), registers a protégé and causes a first
event. Then client processes (--clients, default 2; asyncio + uvloop and the `websockets` library) open
--subscribers graphql-transport-ws connections, each authenticated with its partner token in
connection_init and subscribed to `standingChanged(after: <just before the first event>)`: receiving
that first event (replayed) proves the subscription is live. The server's VmRSS (/proc/<pid>/status)
is read before the connections open and once they are all live (after a warm-up of 20 subscriptions
opened and closed, so one-time imports are not counted per subscriber).

Then it causes --events admin mutations on the protégé (approveReschedule and sendReminder
alternating), one every --interval seconds, over one HTTP connection, and records when each returned.
Each client stamps every message on arrival (time.time(), same machine and clock) and reports:
  latency from the event  = arrival - the event's occurredAt (the server's clock when the transition
                            was applied, before its commit)
  latency from the return = arrival - the moment the mutation's HTTP response was read
over all subscribers x events deliveries: p50, p99, max. Every delivery must arrive, in order, once.

Options: --subscribers, --events, --interval, --clients, --connect-concurrency, --compression
deflate|none (what the client offers; browsers and Node's ws offer permessage-deflate), --redis-url
(db 0 and 3 are refused), --database-url, --timeout, --json FILE, --profile FILE (py-spy, if
installed in the venv, samples the server during the events). All load goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    STANDING,
    free_port,
    machine,
    pg_value,
    print_machine,
    raise_open_files,
    recreate_database,
    require_loopback,
    rss_kib,
    stop_process,
    summary_ms,
)
from workers.sockets import MAX_SUBSCRIPTIONS_PER_TOKEN  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_fanout"
PROTOCOL = "graphql-transport-ws"
SUBSCRIBE = """subscription($after: ID) {
  standingChanged(after: $after) {
    cursor type participantId machine event fromState toState reasonCode occurredAt } }"""
REGISTER = """mutation { registerParticipant(input: {role: PROTEGE, displayName: "Bench", email: "bench@bench.invalid"}) {
  ... on ParticipantPayload { participant { id } } } }"""
EVENT = """mutation($id: ID!) { %s(input: {participantId: $id, reason: "fan-out benchmark"}) {
  __typename ... on TransitionPayload { transition { event } } } }"""


# --- a client process: N subscribers ----------------------------------------------------------


async def subscriber(
    url: str,
    token: str,
    after: str,
    events: int,
    compression: str | None,
    gate: asyncio.Semaphore,
    ready: list[int],
    deadline: float,
) -> list[tuple[float, str]]:
    import websockets

    async with gate:
        ws = await websockets.connect(
            url, subprotocols=[PROTOCOL], compression=compression, ping_interval=None, open_timeout=60, max_queue=None
        )
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 60))
        assert ack["type"] == "connection_ack", ack
        await ws.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": {"after": after}}})
        )
        first = json.loads(await asyncio.wait_for(ws.recv(), 60))  # the replayed first event: live from here
        assert first["type"] == "next", first
    ready[0] += 1
    received: list[tuple[float, str]] = []
    try:
        while len(received) < events:
            message = await asyncio.wait_for(ws.recv(), max(deadline - time.monotonic(), 0.01))
            received.append((time.time(), message))  # stamp first, parse later
    except (TimeoutError, Exception):  # noqa: BLE001 - reported as missing deliveries
        pass
    finally:
        await ws.close()
    return received


async def client_main(args: argparse.Namespace) -> None:
    gate = asyncio.Semaphore(args.connect_concurrency)
    ready = [0]
    deadline = time.monotonic() + args.timeout
    compression = None if args.compression == "none" else "deflate"
    tokens = os.environ["BENCH_TOKENS"].split(",")  # not on the command line, where `ps` shows them
    if len(tokens) * MAX_SUBSCRIPTIONS_PER_TOKEN < args.count:
        raise SystemExit(f"{len(tokens)} tokens cannot hold {args.count} subscriptions")
    tasks = [
        asyncio.create_task(
            subscriber(
                args.url,
                tokens[i // MAX_SUBSCRIPTIONS_PER_TOKEN],
                args.after,
                args.events,
                compression,
                gate,
                ready,
                deadline,
            )
        )
        for i in range(args.count)
    ]
    # A subscriber that failed before going live is done: stop waiting for it, and say why it failed.
    while ready[0] + sum(t.done() for t in tasks) < args.count and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    for task in tasks:
        if task.done() and task.exception() is not None:
            print(f"a subscriber failed: {task.exception()!r}", file=sys.stderr, flush=True)
            break
    print(f"READY {ready[0]}", flush=True)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    deliveries, failures = [], []
    for index, result in enumerate(results):
        if isinstance(result, BaseException):
            failures.append(f"{type(result).__name__}: {result}")
            continue
        for arrived, raw in result:
            message = json.loads(raw)
            if message.get("type") != "next":
                failures.append(f"unexpected message {raw[:200]}")
                continue
            event = message["payload"]["data"]["standingChanged"]
            deliveries.append((index, int(event["cursor"]), event["occurredAt"], arrived))
    Path(args.out).write_text(json.dumps({"deliveries": deliveries, "failures": failures}))
    print("DONE", flush=True)


# --- the coordinator ---------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cli(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(STANDING + args, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"standing {' '.join(args)} failed: {result.stderr}")
    return result.stdout.strip().splitlines()[-1]


async def read_line(process: asyncio.subprocess.Process, timeout: float) -> str:
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), timeout)
    if not line:
        raise SystemExit("a client process exited early")
    return line.decode().strip()


async def coordinator(args: argparse.Namespace) -> dict[str, Any]:
    import httpx

    info = machine()
    print_machine(info)
    limit = raise_open_files(args.subscribers * 2 + 2000)
    if limit < args.subscribers + 500:
        raise SystemExit(f"the open-files limit is {limit}; {args.subscribers} subscribers need more")
    await recreate_database(args.database_url)
    env = {**os.environ, "STANDING_DATABASE_URL": args.database_url}
    env.pop("STANDING_REDIS_URL", None)
    if args.redis_url:
        from redis.asyncio import Redis

        env["STANDING_REDIS_URL"] = args.redis_url
        redis = Redis.from_url(args.redis_url)
        await redis.flushdb()
        await redis.aclose()
    migrated = subprocess.run(STANDING + ["migrate"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if migrated.returncode != 0:
        raise SystemExit(migrated.stderr)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    ws_url = f"ws://127.0.0.1:{port}/graphql"
    log = tempfile.NamedTemporaryFile(prefix="bench-fanout-server-", suffix=".log", delete=False)
    server = subprocess.Popen(
        STANDING + ["serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    clients: list[asyncio.subprocess.Process] = []
    outs: list[Path] = []
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            started = time.monotonic()
            while True:
                if server.poll() is not None:
                    raise SystemExit(f"standing serve exited; see {log.name}")
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() - started > 60:
                    raise SystemExit(f"standing serve did not start; see {log.name}")
                await asyncio.sleep(0.1)
            admin = cli(["token", "create", "--role", "admin", "--org", "bench"], env)

            async def gql(query: str, variables: dict | None = None) -> dict:
                response = await http.post(
                    "/graphql",
                    json={"query": query, "variables": variables or {}},
                    headers={"Authorization": f"Bearer {admin}"},
                )
                body = response.json()
                if "errors" in body:
                    raise SystemExit(f"GraphQL errors: {body['errors']}")
                return body["data"]

            protege = (await gql(REGISTER))["registerParticipant"]["participant"]["id"]
            await gql(EVENT % "sendReminder", {"id": protege})  # the first event: each subscriber's "live" signal
            # Only its standing.changed event: a reminder also writes a notice.issued event after it.
            first_id = await pg_value(
                args.database_url, "SELECT max(id) FROM outbox_event WHERE type = 'standing.changed'"
            )
            after = str(first_id - 1)
            rss_start = rss_kib(server.pid)
            share = [
                args.subscribers // args.clients + (1 if i < args.subscribers % args.clients else 0)
                for i in range(args.clients)
            ]
            # One token for the warm-up, then each client's: made at once, on one connection.
            needed = [1] + [-(-count // MAX_SUBSCRIPTIONS_PER_TOKEN) for count in share]
            tokens = await partner_tokens(args.database_url, sum(needed))
            token_sets = [tokens[sum(needed[:i]) : sum(needed[: i + 1])] for i in range(len(needed))]

            # Warm-up: what the first websocket costs once (imports, caches) is not a per-subscriber cost.
            warm_out = Path(tempfile.mkstemp(prefix="bench-fanout-warm-", suffix=".json")[1])
            warm = await asyncio.create_subprocess_exec(
                sys.executable,
                __file__,
                "--client",
                "--url",
                ws_url,
                "--after",
                after,
                "--count",
                "20",
                "--events",
                "0",
                "--out",
                str(warm_out),
                "--compression",
                args.compression,
                "--connect-concurrency",
                "20",
                "--timeout",
                "60",
                stdout=asyncio.subprocess.PIPE,
                cwd=ROOT,
                env={**os.environ, "BENCH_TOKENS": ",".join(token_sets[0])},
            )
            await read_line(warm, 90)
            await read_line(warm, 90)
            await warm.wait()
            warm_out.unlink(missing_ok=True)
            await asyncio.sleep(2)
            rss_before = rss_kib(server.pid)

            connect_started = time.perf_counter()
            for count, client_tokens in zip(share, token_sets[1:], strict=True):
                client_env = {**os.environ, "BENCH_TOKENS": ",".join(client_tokens)}
                out = Path(tempfile.mkstemp(prefix="bench-fanout-client-", suffix=".json")[1])
                outs.append(out)
                clients.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable,
                        __file__,
                        "--client",
                        "--url",
                        ws_url,
                        "--after",
                        after,
                        "--count",
                        str(count),
                        "--events",
                        str(args.events),
                        "--out",
                        str(out),
                        "--compression",
                        args.compression,
                        "--connect-concurrency",
                        str(args.connect_concurrency),
                        "--timeout",
                        str(args.timeout),
                        stdout=asyncio.subprocess.PIPE,
                        cwd=ROOT,
                        env=client_env,
                    )
                )
            live = 0
            for client in clients:
                line = await read_line(client, args.timeout)
                live += int(line.split()[1])
            connect_seconds = time.perf_counter() - connect_started
            if live < args.subscribers:
                raise SystemExit(f"only {live} of {args.subscribers} subscriptions went live; see {log.name}")
            print(f"{live} subscriptions live in {connect_seconds:.1f} s")
            await asyncio.sleep(2)
            rss_after = rss_kib(server.pid)
            print(
                f"server VmRSS: {rss_start / 1024:.1f} MiB at start, {rss_before / 1024:.1f} MiB after the warm-up, "
                f"{rss_after / 1024:.1f} MiB with {live} subscribers: "
                f"{(rss_after - rss_before) / live:.1f} KiB per subscriber"
            )

            returned: list[float] = []
            mutation_ms: list[float] = []
            profiler = None
            if args.profile:  # py-spy samples the server during the events (flamegraph-ready "raw" output)
                spy = Path(sys.executable).parent / "py-spy"
                profiler = subprocess.Popen(
                    [str(spy), "record", "-p", str(server.pid), "-f", "raw", "-r", "50", "-o", str(args.profile)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                await asyncio.sleep(1)
            cpu_before = cpu_seconds(server.pid)
            events_started = time.perf_counter()
            for n in range(args.events):
                due = events_started + n * args.interval
                await asyncio.sleep(max(due - time.perf_counter(), 0))
                sent = time.perf_counter()
                data = await gql(EVENT % ("approveReschedule" if n % 2 == 0 else "sendReminder"), {"id": protege})
                returned.append(time.time())
                mutation_ms.append((time.perf_counter() - sent) * 1000)
                name = "approveReschedule" if n % 2 == 0 else "sendReminder"
                if data[name]["__typename"] != "TransitionPayload":
                    raise SystemExit(f"event {n} was refused: {data}")
            for client in clients:
                await read_line(client, args.timeout + 60)
                await client.wait()
            events_seconds = time.perf_counter() - events_started
            cpu_used = cpu_seconds(server.pid) - cpu_before
            rss_end = rss_kib(server.pid)
            if profiler:
                profiler.send_signal(2)  # SIGINT: py-spy writes its file and exits
                profiler.wait(timeout=60)
    finally:
        for client in clients:
            if client.returncode is None:
                client.kill()
                await client.wait()
        stop_process(server)
        log.close()

    cursors = sorted({int(c) for c in await all_cursors(args.database_url) if int(c) > first_id})
    index_of = {cursor: i for i, cursor in enumerate(cursors)}
    from_event, from_return, failures = [], [], []
    per_subscriber: dict[tuple[int, int], list[int]] = {}
    arrivals: dict[int, list[float]] = {}  # per event: when each subscriber got it
    for client_number, out in enumerate(outs):
        report = json.loads(out.read_text())
        out.unlink(missing_ok=True)
        failures.extend(report["failures"])
        for index, cursor, occurred_at, arrived in report["deliveries"]:
            per_subscriber.setdefault((client_number, index), []).append(cursor)
            arrivals.setdefault(cursor, []).append(arrived)
            from_event.append(arrived - datetime.fromisoformat(occurred_at).timestamp())
            from_return.append(arrived - returned[index_of[cursor]])
    in_order = sum(1 for seen in per_subscriber.values() if seen == cursors)
    expected = args.subscribers * args.events
    figures = {
        "machine": info,
        "mode": f"with Redis ({args.redis_url})" if args.redis_url else "embedded (no Redis)",
        "subscribers": args.subscribers,
        "client_processes": args.clients,
        "compression": args.compression,
        "events": args.events,
        "interval_seconds": args.interval,
        "connect_seconds": round(connect_seconds, 1),
        "deliveries": len(from_event),
        "expected_deliveries": expected,
        "subscribers_with_every_event_in_order_once": in_order,
        "latency_from_occurred_at": summary_ms(from_event) if from_event else None,
        "latency_from_mutation_return": summary_ms(from_return) if from_return else None,
        "mutation_round_trip": summary_ms([ms / 1000 for ms in mutation_ms]),
        # How long one event took to reach all its subscribers: the server's time to fan it out.
        "fan_out_spread_per_event": summary_ms([max(times) - min(times) for times in arrivals.values()]),
        "slowest_events": sorted(
            ((round((max(t) - returned[index_of[c]]) * 1000, 1), index_of[c]) for c, t in arrivals.items()),
            reverse=True,
        )[:5],
        "rss_kib": {
            "start": rss_start,
            "before_subscribers": rss_before,
            "with_subscribers": rss_after,
            "after_events": rss_end,
        },
        "kib_per_subscriber": round((rss_after - rss_before) / args.subscribers, 1),
        "server_cpu_seconds_during_events": round(cpu_used, 1),
        "events_phase_seconds": round(events_seconds, 1),
        "client_failures": failures[:10],
        "server_log": log.name,
    }
    print(json.dumps({k: v for k, v in figures.items() if k != "machine"}, indent=2))
    if len(from_event) != expected or in_order != args.subscribers:
        raise SystemExit(f"{len(from_event)} of {expected} deliveries; {in_order} subscribers saw every event in order")
    return figures


async def partner_tokens(url: str, count: int) -> list[str]:
    """`count` new partner tokens of organization `bench`, made by the domain's own `create_token`."""
    from domain.access.organizations import get_or_create_organization
    from domain.access.principals import TokenRole
    from domain.access.tokens import IssuedToken, create_token
    from domain.infra import db
    from domain.kernel.clock import SystemClock

    clock = SystemClock()
    await db.connect(url)
    try:
        organization = await get_or_create_organization("bench", clock)
        secrets = []
        for n in range(count):
            issued = await create_token(
                organization=organization, role=TokenRole.PARTNER, clock=clock, label=f"fan-out partner {n}"
            )
            assert isinstance(issued, IssuedToken), issued
            secrets.append(issued.secret)
        return secrets
    finally:
        await db.disconnect()


async def all_cursors(url: str) -> list[int]:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return [r["id"] for r in await conn.fetch("SELECT id FROM outbox_event WHERE type = 'standing.changed'")]
    finally:
        await conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between events (default 1)")
    parser.add_argument("--clients", type=int, default=2, help="client processes (default 2)")
    parser.add_argument("--connect-concurrency", type=int, default=50, help="handshakes in flight per client")
    parser.add_argument("--compression", choices=["deflate", "none"], default="deflate")
    parser.add_argument("--redis-url", help="run the server with Redis (its relay and listener); default: embedded")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--timeout", type=float, default=600, help="bound on each phase, in seconds")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--profile", type=Path, help="py-spy (in the venv) records the server during the events")
    # the client process's own options
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--after", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        import uvloop

        require_loopback(args.url)
        uvloop.run(client_main(args))
        return 0
    require_loopback(args.database_url)
    if args.redis_url:
        require_loopback(args.redis_url)
        match = re.search(r"/(\d+)$", args.redis_url)
        if (int(match.group(1)) if match else 0) in (0, 3):
            raise SystemExit("refusing Redis db 0 or 3: others use them; pass e.g. redis://127.0.0.1:6379/8")
    figures = asyncio.run(coordinator(args))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
