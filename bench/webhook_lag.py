#!/usr/bin/env python
"""Webhook delivery lag under load: from an event's commit to its receipt by a slow, real receiver.

One command, from the repository root (needs PostgreSQL on 127.0.0.1:5432 and `redis-server`):

    .venv/bin/python bench/webhook_lag.py                  # 66 requests/s for 60 s, a receiver taking 1 s

It (re)creates the database `bench_webhook_lag`, seeds it (bench/seed.py, 2,000 participants by default),
starts a private `redis-server` on a free loopback port, and then, each in its own process:

- a receiver: `http.server`'s ThreadingHTTPServer on loopback that reads each POST, waits `--delay` seconds
  (the receiver's own work) and answers 204, writing `<Standing-Event-Id> <unix time of receipt>` per request;
- the API: `standing serve` in distributed mode (STANDING_REDIS_URL set), which enqueues a delivery job in
  Redis after each commit with events;
- the worker: `standing worker`, arq on the same Redis, which runs the deliveries.

A webhook endpoint of the seeded organization subscribes to `standing.changed`. The load is open-loop (a
request is sent on schedule whether or not earlier ones have answered): `--rate` requests a second for
`--duration` seconds, a `--transition-share` of them transitions (sendReminder / approveReschedule, each
protégé in turn, so each one commits one standing.changed event and one webhook delivery) and the rest reads
(a page of 50 participants, or one participant). Before the load, `--idle-events` transitions sent one at a
time, 1.5 s apart, with no other load on Standing, give the floor: the lag of one delivery with nothing queued
(the commit, the enqueue in Redis, the worker's poll, one claim and one POST). The receiver's delay adds
nothing to that first receipt; it bounds throughput: `concurrency_per_endpoint` in flight per delivery run, so
about 8 deliveries a second per run with a 1 s receiver.

Lag is the receipt time (the request's arrival, before the receiver's delay) minus the event's `occurred_at` (outbox_event; written in the transaction of the
change, so it is the commit time to within the transaction's length). Duplicates are receipts beyond the
first of an event id. The run waits up to `--drain` seconds after the load for every delivery to arrive.
`--json FILE` writes the figures. All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from bench._common import (  # noqa: E402
    STANDING,
    free_port,
    machine,
    percentile,
    print_machine,
    recreate_database,
    stop_process,
)
from tests.support.queries import PAGE, SINGLE  # noqa: E402

DATABASE = "postgres://postgres@127.0.0.1:5432/bench_webhook_lag"
TRANSITION = """mutation($id: ID!) { %s(input: {participantId: $id, reason: "bench webhook lag"}) {
  __typename ... on TransitionPayload { participant { version } }
} }"""
EVENTS = ("sendReminder", "approveReschedule")  # good -> reminder -> good, for ever


# --- the receiver (its own process) -------------------------------------------------------------------


def run_receiver(port: int, delay: float, log_path: str) -> None:
    lock = threading.Lock()
    log = open(log_path, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            received = time.time()
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with lock:
                log.write(f"{self.headers.get('Standing-Event-Id')} {received:.6f}\n")
            time.sleep(delay)
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print("ready", flush=True)
    server.serve_forever()


# --- set-up ---------------------------------------------------------------------------------------------


async def prepare(participants: int, receiver_url: str | None) -> dict[str, Any]:
    from bench.seed import seed
    from domain.events.outbox import STANDING_CHANGED
    from domain.events.webhooks import register_webhook
    from domain.infra import db
    from domain.kernel.clock import SystemClock

    os.environ["STANDING_WEBHOOKS_ALLOW_LOOPBACK"] = "true"  # the receiver is on loopback
    await recreate_database(DATABASE)
    await db.migrate(DATABASE)
    await db.connect(DATABASE)
    try:
        seeded = await seed(participants)
        endpoint = (
            await register_webhook(
                organization_id=seeded.organization_id,
                url=receiver_url,
                event_types=[STANDING_CHANGED],
                clock=SystemClock(),
            )
            if receiver_url
            else None
        )
    finally:
        await db.disconnect()
    conn = await asyncpg.connect(DATABASE.replace("postgres://", "postgresql://", 1))
    try:
        rows = await conn.fetch(
            "SELECT id, standing FROM participant WHERE organization_id = $1 AND role = 'protege' "
            "AND standing IN ('good', 'reminder') ORDER BY id",
            seeded.organization_id,
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    if receiver_url and not hasattr(endpoint, "secret"):
        raise SystemExit(f"the webhook was refused: {endpoint}")
    return {
        "token": seeded.admin_token,
        "targets": [[r["id"], 0 if r["standing"] == "good" else 1] for r in rows],
    }


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def wait_for(check, what: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (OSError, httpx.TransportError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"{what} did not come up within {limit:.0f} s")


# --- load -----------------------------------------------------------------------------------------------


class Transitions:
    """Each protégé in turn, each time the event that moves it on (no two in-flight requests share a row)."""

    def __init__(self, targets: list[list[int]]) -> None:
        self.targets = targets
        self.k = 0

    def next_body(self) -> dict[str, Any]:
        i = self.k % len(self.targets)
        participant, first = self.targets[i]
        event = EVENTS[(first + self.k // len(self.targets)) % 2]
        self.k += 1
        return {"query": TRANSITION % event, "variables": {"id": str(participant)}}


async def load(
    base: str, token: str, transitions: Transitions, *, rate: float, seconds: float, share: float, seed: int
) -> dict[str, Any]:
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}"}
    outcomes: Counter[str] = Counter()
    latencies: list[float] = []
    ids = [t[0] for t in transitions.targets]

    async def one(client: httpx.AsyncClient, kind: str, body: dict[str, Any]) -> None:
        started = time.monotonic()
        try:
            response = await client.post(base + "/graphql", json=body, headers=headers)
            payload = response.json()
            ok = response.status_code == 200 and not payload.get("errors")
            if ok and kind == "transition":
                ok = next(iter(payload["data"].values()))["__typename"] == "TransitionPayload"
            outcomes[f"{kind} {'ok' if ok else 'failed'}"] += 1
        except (httpx.HTTPError, ValueError):
            outcomes[f"{kind} error"] += 1
        latencies.append(time.monotonic() - started)

    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        tasks: list[asyncio.Task] = []
        started = time.monotonic()
        n = int(rate * seconds)
        for i in range(n):
            await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
            if rng.random() < share:
                tasks.append(asyncio.create_task(one(client, "transition", transitions.next_body())))
            elif rng.random() < 0.5:
                tasks.append(asyncio.create_task(one(client, "read", {"query": PAGE, "variables": {"first": 50}})))
            else:
                body = {"query": SINGLE, "variables": {"id": str(rng.choice(ids))}}
                tasks.append(asyncio.create_task(one(client, "read", body)))
        sent_for = time.monotonic() - started
        await asyncio.gather(*tasks)
    return {
        "requests": n,
        "sent_for_s": round(sent_for, 1),
        "outcomes": dict(outcomes),
        "request_p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "request_p99_ms": round(percentile(latencies, 99) * 1000, 1),
    }


async def idle_events(base: str, token: str, transitions: Transitions, count: int) -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        for _ in range(count):
            await client.post(
                base + "/graphql", json=transitions.next_body(), headers={"Authorization": f"Bearer {token}"}
            )
            await asyncio.sleep(1.5)


# --- figures --------------------------------------------------------------------------------------------


async def events_since(after: int) -> dict[int, datetime]:
    conn = await asyncpg.connect(DATABASE.replace("postgres://", "postgresql://", 1))
    try:
        rows = await conn.fetch(
            "SELECT id, occurred_at FROM outbox_event WHERE type = 'standing.changed' AND id > $1", after
        )
    finally:
        await conn.close()
    return {r["id"]: r["occurred_at"] for r in rows}


async def max_event() -> int:
    conn = await asyncpg.connect(DATABASE.replace("postgres://", "postgresql://", 1))
    try:
        return int(await conn.fetchval("SELECT coalesce(max(id), 0) FROM outbox_event"))
    finally:
        await conn.close()


async def delivery_counts() -> dict[str, int]:
    conn = await asyncpg.connect(DATABASE.replace("postgres://", "postgresql://", 1))
    try:
        rows = await conn.fetch("SELECT status, count(*) AS n FROM webhook_delivery GROUP BY status")
    finally:
        await conn.close()
    return {r["status"]: int(r["n"]) for r in rows}


def receipts(log: Path) -> list[tuple[int, float]]:
    out = []
    for line in log.read_text().splitlines():
        event_id, at = line.split()
        out.append((int(event_id), float(at)))
    return out


def lag_figures(events: dict[int, datetime], seen: list[tuple[int, float]]) -> dict[str, Any]:
    first: dict[int, float] = {}
    for event_id, at in seen:
        if event_id in events:
            first[event_id] = min(at, first.get(event_id, at))
    lags = [first[i] - events[i].timestamp() for i in first]
    counts = Counter(i for i, _ in seen if i in events)
    figures: dict[str, Any] = {
        "events": len(events),
        "received": len(first),
        "missing": len(set(events) - set(first)),
        "duplicates": sum(n - 1 for n in counts.values()),
    }
    if lags:
        figures |= {
            "lag_p50_s": round(percentile(lags, 50), 2),
            "lag_p90_s": round(percentile(lags, 90), 2),
            "lag_p99_s": round(percentile(lags, 99), 2),
            "lag_max_s": round(max(lags), 2),
            "lag_min_s": round(min(lags), 2),
        }
    if len(first) > 1:
        span = max(first.values()) - min(first.values())
        figures["delivered_per_s"] = round(len(first) / span, 1) if span else None
    return figures


# --- main -----------------------------------------------------------------------------------------------


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    facts = machine()
    print_machine(facts)
    work = Path(tempfile.mkdtemp(prefix="bench-webhook-lag-"))
    processes: list[subprocess.Popen] = []
    try:
        redis_port, receiver_port, api_port = free_port(), free_port(), free_port()
        redis = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(work)],
            stdout=(work / "redis.log").open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        processes.append(redis)
        receipts_log = work / "receipts.log"
        receiver = subprocess.Popen(
            [sys.executable, __file__, "--receiver", str(receiver_port), "--delay", str(args.delay),
             "--receipts", str(receipts_log)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        processes.append(receiver)
        assert receiver.stdout is not None and receiver.stdout.readline().strip() == "ready"
        receiver_url = f"http://127.0.0.1:{receiver_port}/hooks/standing"

        started = time.perf_counter()
        state = await prepare(args.participants, None if args.no_endpoint else receiver_url)
        print(f"seeded {args.participants} participants in {time.perf_counter() - started:.0f} s")

        env = {
            "STANDING_DATABASE_URL": DATABASE,
            "STANDING_REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "STANDING_WEBHOOKS_ALLOW_LOOPBACK": "true",
            "STANDING_PRODUCTION": "false",
        }
        api = start([*STANDING, "serve", "--host", "127.0.0.1", "--port", str(api_port)], env, work / "api.log")
        processes.append(api)
        worker = start([*STANDING, "worker"], env, work / "worker.log")
        processes.append(worker)
        base = f"http://127.0.0.1:{api_port}"
        # `ready`, not `degraded`: the worker beats in Redis too (a 200 alone would pass without a worker).
        wait_for(lambda: httpx.get(base + "/readyz", timeout=2).json()["status"] == "ready", "the API and the worker")
        time.sleep(3)  # the worker's startup sweep

        transitions = Transitions(state["targets"])
        if args.no_endpoint:
            figures = await load(
                base, state["token"], transitions,
                rate=args.rate, seconds=args.duration, share=args.transition_share, seed=args.seed,
            )  # fmt: skip
            print(f"  load with no webhook endpoint: {figures}")
            return {"machine": facts, "control": True, "load": figures, "lag": {"missing": 0},
                    "loadavg_at_end": " ".join(Path("/proc/loadavg").read_text().split()[:3])}  # fmt: skip
        floor_from = await max_event()
        print(f"floor: {args.idle_events} transitions one at a time, no other load on Standing")
        await idle_events(base, state["token"], transitions, args.idle_events)
        await drain(floor_from, args.drain, receipts_log)
        floor = lag_figures(await events_since(floor_from), receipts(receipts_log))
        print(f"  floor: {floor}")

        load_from = await max_event()
        print(f"load: {args.rate:g} requests/s for {args.duration:g} s, {args.transition_share:.0%} transitions")
        figures = await load(
            base, state["token"], transitions,
            rate=args.rate, seconds=args.duration, share=args.transition_share, seed=args.seed,
        )  # fmt: skip
        print(f"  load: {figures}")
        drained = await drain(load_from, args.drain, receipts_log)
        lag = lag_figures(await events_since(load_from), receipts(receipts_log))
        for _ in range(120):  # the last answers (receipt is logged on arrival, before the receiver's delay)
            if not {"pending", "sending"} & set(await delivery_counts()):
                break
            await asyncio.sleep(0.5)
        print(f"  lag under load: {lag}")
        result = {
            "machine": facts,
            "command": " ".join([".venv/bin/python", "bench/webhook_lag.py", *sys.argv[1:]]),
            "settings": {k: v for k, v in vars(args).items() if k not in {"receiver", "receipts", "json"}},
            "floor": floor,
            "load": figures,
            "lag": lag,
            "drained_in_s": drained,
            "deliveries": await delivery_counts(),
            "loadavg_at_end": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
        }
        print(f"  deliveries by status: {result['deliveries']}; load average at end {result['loadavg_at_end']}")
        return result
    finally:
        for process in reversed(processes):
            stop_process(process, timeout=15)
        if args.keep:
            print(f"logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


async def drain(after: int, limit: float, log: Path) -> float | None:
    """Seconds until every standing.changed event after `after` was received at least once (None: not all)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        events = await events_since(after)
        got = {i for i, _ in receipts(log)} if log.exists() else set()
        if set(events) <= got:
            return round(time.monotonic() - started, 1)
        await asyncio.sleep(0.5)
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=66.0, help="requests a second (default: %(default)s)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default: %(default)s)")
    parser.add_argument("--transition-share", type=float, default=0.5, help="share of transitions (default: 0.5)")
    parser.add_argument("--delay", type=float, default=1.0, help="the receiver's seconds per request (default: 1)")
    parser.add_argument("--participants", type=int, default=2_000, help="seeded participants (default: 2000)")
    parser.add_argument("--idle-events", type=int, default=20, help="floor: transitions one at a time, before the load")
    parser.add_argument("--drain", type=float, default=300.0, help="seconds to wait for the last deliveries")
    parser.add_argument(
        "--no-endpoint", action="store_true", help="the control: the same load with no webhook endpoint registered"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the processes' logs")
    parser.add_argument("--receiver", type=int, help=argparse.SUPPRESS)  # internal: run as the receiver
    parser.add_argument("--receipts", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.receiver:
        run_receiver(args.receiver, args.delay, args.receipts)
        return 0
    # A SIGTERM stops the run through main_async's `finally`, which stops the processes it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    result = asyncio.run(main_async(args))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, default=str))
    return 0 if result["lag"].get("missing") == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
