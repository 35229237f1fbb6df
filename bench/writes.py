#!/usr/bin/env python
"""The background stream of bench/api.py's write variant, and its staleness probes.

    python bench/writes.py --config FILE    # started and stopped (SIGTERM) by bench/api.py

Sends `rate` standing transitions a second (sendReminder / approveReschedule on protégés, each protégé
revisited only after every other one) as admin mutations: to a second Standing process, the writer, and,
when the server under test is Standing, every other one to that server itself. After each mutation
returns, one probe reads the participant from the server under test, back to back, until a read shows
the new state. **Staleness = the time the first read showing it was sent − the time the mutation's
response arrived** (the commit happened before that response, so this is a lower bound by at most the
response's trip; 0 when the very first read shows it; reads 5 ms apart). "within one process" are the transitions sent to
the server under test; "across two" those sent to the writer. Results go to the config's `out` file as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import percentile  # noqa: E402
from bench.api import TRANSITION  # noqa: E402
from bench.peers import PGL_SINGLE  # noqa: E402
from schema.persisted import PARTICIPANT_STANDING, request_by_hash  # noqa: E402

EVENTS = ("sendReminder", "approveReschedule")
PROBE_TIMEOUT = 5.0  # a probe gives up after this long and counts as stale beyond it
PROBE_PAUSE = 0.005  # between a probe's reads: the figures' resolution, without flooding the server


def probe_request(kind: str, participant_id: int) -> dict[str, Any]:
    if kind == "postgraphile":
        return {"query": PGL_SINGLE, "variables": {"id": participant_id}}
    # Standing is read the way the comparison reads it: by the persisted operation (schema/persisted.py).
    return request_by_hash(PARTICIPANT_STANDING, {"id": str(participant_id)})


def state_of(kind: str, data: dict[str, Any]) -> str | None:
    if kind == "postgraphile":
        row = (data.get("data") or {}).get("participantById")
        return row["standing"].upper() if row else None
    row = (data.get("data") or {}).get("participant")
    return row["standing"]["state"] if row else None


async def run(config: dict[str, Any]) -> dict[str, Any]:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    admin = {"Authorization": f"Bearer {config['admin_token']}"}
    reader_headers = {"Authorization": f"Bearer {config['reader_token']}"} if config.get("reader_token") else {}
    kind = config["reader_kind"]
    destinations = [("across", config["writer_url"])]
    if config.get("self_url"):
        destinations.insert(0, ("within", config["self_url"]))
    targets: list[list[int]] = config["targets"]  # [participant id, index of the next event]
    staleness: dict[str, list[float]] = {name: [] for name, _ in destinations}
    results: dict[str, Any] = {"sent": 0, "applied": 0, "refused": 0, "failed": 0, "probe_timeouts": 0}
    mutation: list[float] = []
    async with (
        httpx.AsyncClient(limits=limits, timeout=10) as writes,
        httpx.AsyncClient(limits=limits, timeout=10) as reads,
    ):

        async def one(sequence: int) -> None:
            target = targets[sequence % len(targets)]
            participant_id, event = target[0], target[1] % 2
            target[1] += 1
            name, url = destinations[sequence % len(destinations)]
            body = {"query": TRANSITION % EVENTS[event], "variables": {"id": str(participant_id)}}
            sent = time.monotonic()
            try:
                response = await writes.post(url, json=body, headers=admin)
                payload = response.json()["data"][EVENTS[event]]
            except (httpx.HTTPError, KeyError, TypeError, ValueError):
                results["failed"] += 1
                return
            acked = time.monotonic()
            mutation.append((acked - sent) * 1000)
            if payload.get("__typename") != "TransitionPayload":
                results["refused"] += 1
                return
            results["applied"] += 1
            wanted = payload["participant"]["standing"]["state"]
            request = probe_request(kind, participant_id)
            while True:
                asked = time.monotonic()
                if asked - acked > PROBE_TIMEOUT:
                    results["probe_timeouts"] += 1
                    staleness[name].append(PROBE_TIMEOUT)
                    return
                try:
                    read = await reads.post(config["reader_url"], json=request, headers=reader_headers)
                    seen = state_of(kind, read.json())
                except (httpx.HTTPError, ValueError):
                    seen = None
                if seen == wanted:
                    staleness[name].append(max(0.0, asked - acked))
                    return
                await asyncio.sleep(PROBE_PAUSE)

        tasks: set[asyncio.Task] = set()
        interval, started, sequence = 1.0 / config["rate"], time.monotonic(), 0
        while not stop.is_set():
            due = started + sequence * interval  # open loop: a slow answer does not slow the stream
            wait = due - time.monotonic()
            if wait > 0:
                try:
                    await asyncio.wait_for(stop.wait(), wait)
                    break
                except TimeoutError:
                    pass
            task = asyncio.create_task(one(sequence))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            sequence += 1
            results["sent"] += 1
        elapsed = time.monotonic() - started
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=PROBE_TIMEOUT + 5)
            results["unfinished"] = len(late)  # mutations still unanswered: cancelled, counted here
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
    results["seconds"] = round(elapsed, 2)
    results["rate"] = round(results["applied"] / max(elapsed, 1e-9), 1)
    results["mutation_ms_samples"] = [round(v, 2) for v in mutation]
    results["samples"] = {name: [round(v, 5) for v in values] for name, values in staleness.items()}
    results["mutation_p50_ms"] = round(percentile(mutation, 50), 1) if mutation else None
    results["mutation_p99_ms"] = round(percentile(mutation, 99), 1) if mutation else None
    results["staleness"] = {
        name: {
            "n": len(values),
            "p50_ms": round(percentile(values, 50) * 1000, 2),
            "p99_ms": round(percentile(values, 99) * 1000, 2),
            "max_ms": round(max(values) * 1000, 2),
        }
        for name, values in staleness.items()
        if values
    }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, required=True)
    args = parser.parse_args()
    config = json.loads(args.config.read_text())
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    results = asyncio.run(run(config))
    Path(config["out"]).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
