#!/usr/bin/env python
"""Benchmark of durable deadlines: how late precise arq jobs fire, and how long the sweep takes.

One command, from the repository root (needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379):

    .venv/bin/python bench/timers.py

1. Timers. It (re)creates the database `bench_timers`, flushes Redis db 7 (its own), starts a real
   `standing worker` process (arq, SystemClock) and waits until it is polling. In this process it
   registers the API's hook, `domain.deadlines.on_scheduled(arq_listener(pool))`, and suspends 1,000
   mentors through `domain.standing.apply_event` with the real clock, each `until` = now + 3..6 s
   (uniformly spread), so each suspension's end gets a durable deadline and a precise deferred arq
   job. It waits until every suspension has been lifted, then reports for each deadline:
     lateness = TransitionRecord(event='lift_suspension').occurred_at - Deadline.due_at
   (occurred_at is the worker's clock when the job decided to act), plus, from arq's job results, the
   time the job finished (its transaction committed) minus the due time. Any lateness < 0 fails the
   run. The run starts at a point in the minute where the worker's minute sweep (cron at second 0)
   cannot fire any of them first; how many the precise jobs fired is reported.
2. Sweep. With the worker stopped, it seeds 100,000 protégés (bulk inserts) in a second organization,
   each with the 60-day inactivity deadline `register_participant` would arm, all pending; times
   `domain.sweep.sweep(clock)` with nothing due; then makes 5% of those deadlines due and times the
   sweep that fires them (each one an `issue_warning` transition through `apply_event`), and once
   more with nothing due.

Options: --database-url, --redis-url (db 0 and 3 are refused: others use them), --deadlines,
--lead/--spread (seconds ahead), --from-start (--lead counts from the start of scheduling, so every
deadline falls due within --spread seconds: issue 19's "1,000 due within 3 s"), --concurrency (scheduling tasks), --worker-max-jobs and
--worker-poll-delay (run the same WorkerSettings with arq's max_jobs/poll_delay overridden, to compare
with the product's defaults), --participants, --due-share, --only timers|sweep, --json FILE. All load goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import (  # noqa: E402
    STANDING,
    machine,
    print_machine,
    recreate_database,
    require_loopback,
    stop_process,
    summary_ms,
)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_timers"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"
SEED_BATCH = 5000


def check_redis_url(url: str) -> None:
    require_loopback(url)
    match = re.search(r"/(\d+)$", url)
    db = int(match.group(1)) if match else 0
    if db in (0, 3):
        raise SystemExit(f"refusing Redis db {db}: others use it; pass e.g. redis://127.0.0.1:6379/7")


# --- 1. precise timers through a real worker ---------------------------------------------------


def worker_label(args: argparse.Namespace) -> str:
    from workers.settings import WorkerSettings

    max_jobs = args.worker_max_jobs or getattr(WorkerSettings, "max_jobs", 10)  # arq's defaults: 10 and 0.5 s
    poll_delay = args.worker_poll_delay or getattr(WorkerSettings, "poll_delay", 0.5)
    which = "standing worker" if args.worker_max_jobs is None and args.worker_poll_delay is None else "WorkerSettings"
    return f"{which}, max_jobs {max_jobs}, poll_delay {poll_delay} s"


def worker_command(args: argparse.Namespace) -> list[str]:
    """`standing worker`, or, to compare, the same WorkerSettings with arq's max_jobs/poll_delay overridden
    (`--worker-max-jobs 10 --worker-poll-delay 0.5` are arq's defaults, the product's before d7cc397)."""
    if args.worker_max_jobs is None and args.worker_poll_delay is None:
        return STANDING + ["worker"]
    overrides = {
        k: v for k, v in (("max_jobs", args.worker_max_jobs), ("poll_delay", args.worker_poll_delay)) if v is not None
    }
    return [
        sys.executable,
        "-c",
        "from arq.worker import run_worker\n"
        "from domain.config import Settings\n"
        "from workers.settings import WorkerSettings, redis_settings\n"
        f"run_worker(WorkerSettings, redis_settings=redis_settings(Settings.from_env()), **{overrides!r})\n",
    ]


async def wait_for_quiet_part_of_minute(window: float) -> None:
    """The worker's cron sweep runs at second 0 of every minute. Start when the whole window (scheduling,
    lead, spread and a margin) ends before the next second 0, so the precise jobs alone fire the deadlines."""
    if window > 55:
        print(f"note: the run ({window:.0f} s) spans a minute boundary; the minute sweep may fire some deadlines")
        return
    while True:
        second = datetime.now(UTC).second + datetime.now(UTC).microsecond / 1e6
        if 2 <= second <= 58 - window:
            return
        await asyncio.sleep(0.2)


async def run_timers(args: argparse.Namespace) -> dict[str, Any]:
    from arq.connections import RedisSettings, create_pool

    from domain.access.organizations import get_or_create_organization
    from domain.deadlines.schedule import on_scheduled
    from domain.infra import db
    from domain.kernel.actors import Actor
    from domain.kernel.clock import SystemClock
    from domain.kernel.roles import Role
    from domain.models import Deadline, DeadlineKind, Participant, TransitionRecord
    from domain.standing.apply import StandingCommand, TransitionApplied, apply_event
    from workers.scheduling import arq_listener, job_id

    clock = SystemClock()
    redis = await create_pool(RedisSettings.from_dsn(args.redis_url))
    await redis.flushdb()
    await db.connect(args.database_url)
    log = tempfile.NamedTemporaryFile(prefix="bench-timers-worker-", suffix=".log", delete=False)
    env = {**os.environ, "STANDING_DATABASE_URL": args.database_url, "STANDING_REDIS_URL": args.redis_url}
    worker = subprocess.Popen(worker_command(args), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    unregister = lambda: None  # noqa: E731
    try:
        organization = await get_or_create_organization("bench-timers", clock)
        now = clock.now()
        # Mentors already under a first notice: the suspension is the step under test.
        await Participant.bulk_create(
            [
                Participant(
                    organization_id=organization.id,
                    role=Role.MENTOR,
                    display_name=f"Mentor {i}",
                    email=f"mentor{i}@bench.invalid",
                    standing="first_notice",
                    standing_since=now,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
                for i in range(args.deadlines)
            ],
            batch_size=SEED_BATCH,
        )
        mentors = list(
            await Participant.filter(organization_id=organization.id).order_by("id").values_list("id", flat=True)
        )

        async def worker_polling() -> bool:
            assert worker.poll() is None, f"the worker exited; see {log.name}"
            return bool(await redis.exists("arq:queue:health-check"))

        started = time.monotonic()
        while not await worker_polling():
            if time.monotonic() - started > 60:
                raise SystemExit(f"the worker did not start in 60 s; see {log.name}")
            await asyncio.sleep(0.1)

        # The API process's hook: every deadline scheduled here becomes a precise deferred arq job.
        unregister = on_scheduled(arq_listener(redis))
        window = args.deadlines * 0.015 + args.lead + args.spread + 8
        await wait_for_quiet_part_of_minute(window)

        rng = random.Random(4)
        queue: asyncio.Queue[int] = asyncio.Queue()
        for mentor in mentors:
            queue.put_nowait(mentor)
        refused: list[str] = []

        async def scheduler() -> None:
            while not queue.empty():
                mentor = queue.get_nowait()
                base = scheduling_began if args.from_start else clock.now()
                until = base + timedelta(seconds=args.lead + rng.random() * args.spread)
                result = await apply_event(
                    StandingCommand(
                        mentor, "suspend", Actor.admin("bench"), "benchmark suspension", params={"until": until}
                    ),
                    clock=clock,
                )
                if not isinstance(result, TransitionApplied):
                    refused.append(f"{mentor}: {result}")

        scheduling_started = time.perf_counter()
        scheduling_began = clock.now()
        await asyncio.gather(*(scheduler() for _ in range(args.concurrency)))
        scheduling_seconds = time.perf_counter() - scheduling_started
        if refused:
            raise SystemExit(f"{len(refused)} suspensions were refused, e.g. {refused[:3]}")
        if args.from_start and scheduling_seconds > args.lead:
            raise SystemExit(f"scheduling took {scheduling_seconds:.1f} s, more than --lead: some fell due first")
        deadlines = {
            d.participant_id: d
            for d in await Deadline.filter(kind=DeadlineKind.SUSPENSION_END, participant_id__in=mentors)
        }
        queued = await redis.zcard("arq:queue")
        last_due = max(d.due_at for d in deadlines.values())
        print(
            f"scheduled {len(deadlines)} deadlines in {scheduling_seconds:.2f} s "
            f"({len(deadlines) / scheduling_seconds:.0f}/s, {args.concurrency} tasks); {queued} jobs queued; "
            f"last due {(last_due - clock.now()).total_seconds():.1f} s from now"
        )

        async def all_lifted() -> bool:
            assert worker.poll() is None, f"the worker exited; see {log.name}"
            return await TransitionRecord.filter(
                organization_id=organization.id, event="lift_suspension"
            ).count() >= len(mentors)

        # Generous: a job that ran too early leaves its deadline to the next minute sweep.
        give_up = time.monotonic() + max((last_due - clock.now()).total_seconds(), 0) + 150
        while not await all_lifted():
            if time.monotonic() > give_up:
                break
            await asyncio.sleep(0.5)
        records = {
            r.participant_id: r
            for r in await TransitionRecord.filter(organization_id=organization.id, event="lift_suspension")
        }
        results = {r.job_id: r for r in await redis.all_job_results()}
    finally:
        unregister()
        stop_process(worker)
        log.close()
        await db.disconnect()

    missing = [pid for pid in mentors if pid not in records]
    lateness = {pid: (records[pid].occurred_at - deadlines[pid].due_at).total_seconds() for pid in records}
    finished = []
    by_job = 0
    idle_jobs = []
    for _pid, deadline in deadlines.items():
        result = results.get(job_id(deadline))
        if result is None:
            continue
        if str(result.result).startswith("lift_suspension"):
            by_job += 1
            finished.append((result.finish_time - deadline.due_at).total_seconds())
        else:
            idle_jobs.append(
                f"{result.job_id}: {result.result!r} started "
                f"{(result.start_time - deadline.due_at).total_seconds() * 1000:+.1f} ms from due"
            )
    early = {pid: s for pid, s in lateness.items() if s < 0}
    fired_at = sorted(r.occurred_at for r in records.values())
    figures = {
        "worker": worker_label(args),
        "deadlines": len(deadlines),
        "due_span_seconds": round((last_due - min(d.due_at for d in deadlines.values())).total_seconds(), 2),
        "firing_span_seconds": round((fired_at[-1] - fired_at[0]).total_seconds(), 2) if fired_at else None,
        "lead_seconds": [args.lead, args.lead + args.spread],
        "scheduling_seconds": round(scheduling_seconds, 2),
        "fired": len(records),
        "fired_by_precise_job": by_job,
        "not_fired": len(missing),
        "jobs_that_found_nothing_to_do": idle_jobs,
        "lateness": summary_ms(list(lateness.values())) if lateness else None,
        "job_finished_after_due": summary_ms(finished) if finished else None,
        "early": len(early),
        "worker_log": log.name,
    }
    print(json.dumps(figures, indent=2))
    if missing:
        raise SystemExit(f"{len(missing)} deadlines never fired (see {log.name})")
    if early:
        raise SystemExit(f"{len(early)} deadlines fired early: {sorted(early.values())[:5]}")
    return figures


# --- 2. the sweep over 100,000 participants ----------------------------------------------------


async def run_sweep(args: argparse.Namespace) -> dict[str, Any]:
    from tortoise import connections

    from domain.access.organizations import get_or_create_organization
    from domain.deadlines.schedule import deadline_key
    from domain.deadlines.sweep import sweep
    from domain.infra import db
    from domain.kernel.clock import SystemClock
    from domain.kernel.roles import Role
    from domain.models import Deadline, DeadlineKind, Participant
    from domain.standing.policy import TIME_POLICY

    clock = SystemClock()
    await db.connect(args.database_url)
    try:
        organization = await get_or_create_organization("bench-sweep", clock)
        if await Participant.filter(organization_id=organization.id).exists():
            raise SystemExit("the sweep organization is already seeded; run without --only or reset the database")
        rng = random.Random(7)
        now = clock.now()
        seed_started = time.perf_counter()
        for start in range(0, args.participants, SEED_BATCH):
            rows = []
            for i in range(start, min(start + SEED_BATCH, args.participants)):
                joined = now - timedelta(days=rng.uniform(1, 59))
                rows.append(
                    Participant(
                        organization_id=organization.id,
                        role=Role.PROTEGE,
                        display_name=f"Protege {i}",
                        email=f"protege{i}@bench.invalid",
                        standing="good",
                        standing_since=joined,
                        version=1,
                        created_at=joined,
                        updated_at=joined,
                    )
                )
            await Participant.bulk_create(rows, batch_size=SEED_BATCH)
        ids = await Participant.filter(organization_id=organization.id).order_by("id").values_list("id", flat=True)
        for start in range(0, len(ids), SEED_BATCH):
            rows = []
            for pid in ids[start : start + SEED_BATCH]:
                # The 60-day inactivity horizon, armed at the participant's last activity, still pending.
                last_active = now - timedelta(days=rng.uniform(0, 59.9))
                due_at = TIME_POLICY.inactivity_due(last_active)
                rows.append(
                    Deadline(
                        key=deadline_key(DeadlineKind.INACTIVITY, pid, None),
                        kind=DeadlineKind.INACTIVITY,
                        participant_id=pid,
                        due_at=due_at,
                        base_due_at=due_at,
                        armed_at=last_active,
                        created_at=last_active,
                    )
                )
            await Deadline.bulk_create(rows, batch_size=SEED_BATCH)
        conn = connections.get("default")
        await conn.execute_script("ANALYZE")
        seed_seconds = time.perf_counter() - seed_started
        total_deadlines = await Deadline.all().count()
        print(
            f"seeded {len(ids)} protégés and their inactivity deadlines in {seed_seconds:.1f} s "
            f"({total_deadlines} deadlines in the table)"
        )

        async def timed(label: str) -> dict[str, Any]:
            started = time.perf_counter()
            report = await sweep(clock)
            seconds = time.perf_counter() - started
            figures = {
                "ms": round(seconds * 1000, 2),
                "fired": len(report.fired),
                "transitions": len(report.transitions),
                "postponed": report.postponed,
            }
            if report.fired:
                figures["ms_per_fired_deadline"] = round(seconds * 1000 / len(report.fired), 2)
            print(f"sweep, {label}: {figures}")
            return figures

        nothing_due = [await timed(f"nothing due, run {n}") for n in (1, 2, 3)]
        # Make a share due: their last activity was 60 days and up to 10 more days ago (the worker was down).
        due_count = int(len(ids) * args.due_share)
        chosen = rng.sample(list(ids), due_count)
        now = clock.now()
        for start in range(0, due_count, SEED_BATCH):
            values = []
            for pid in chosen[start : start + SEED_BATCH]:
                last_active = now - TIME_POLICY.inactivity.value - timedelta(minutes=rng.uniform(1, 10 * 24 * 60))
                values.append((pid, TIME_POLICY.inactivity_due(last_active), last_active))
            await conn.execute_many(
                "UPDATE deadline SET due_at = $2, base_due_at = $2, armed_at = $3, created_at = $3 "
                "WHERE participant_id = $1 AND kind = 'inactivity'",
                values,
            )
        await conn.execute_script("ANALYZE deadline")
        with_due = await timed(f"{due_count} due ({args.due_share:.0%})")
        warned = await Participant.filter(organization_id=organization.id, standing="warning").count()
        after = await timed("nothing due, after firing")
    finally:
        await db.disconnect()
    if with_due["fired"] != due_count or warned != due_count:
        raise SystemExit(f"expected {due_count} warnings, the sweep fired {with_due['fired']} and {warned} are warned")
    return {
        "participants": len(ids),
        "deadlines_in_table": total_deadlines,
        "seed_seconds": round(seed_seconds, 1),
        "nothing_due": nothing_due,
        "due": due_count,
        "with_due": with_due,
        "after_firing": after,
    }


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    from domain.infra import db

    results: dict[str, Any] = {"machine": machine()}
    print_machine(results["machine"])
    if args.only != "sweep":
        await recreate_database(args.database_url)
        await db.migrate(args.database_url)
    elif not args.database_url:
        raise SystemExit("--only sweep needs --database-url")
    if args.only in (None, "timers"):
        results["timers"] = await run_timers(args)
    if args.only in (None, "sweep"):
        results["sweep"] = await run_sweep(args)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--deadlines", type=int, default=1000)
    parser.add_argument("--lead", type=float, default=3.0, help="seconds ahead, at least (default 3)")
    parser.add_argument("--spread", type=float, default=3.0, help="due times spread over this many more seconds")
    parser.add_argument(
        "--from-start",
        action="store_true",
        help="count --lead from the start of scheduling, not from each suspension: all due within --spread",
    )
    parser.add_argument("--concurrency", type=int, default=4, help="tasks scheduling suspensions at once")
    parser.add_argument("--worker-max-jobs", type=int, help="override arq's max_jobs (default: WorkerSettings')")
    parser.add_argument("--worker-poll-delay", type=float, help="override arq's poll_delay (default: WorkerSettings')")
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--due-share", type=float, default=0.05)
    parser.add_argument("--only", choices=["timers", "sweep"])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    require_loopback(args.database_url)
    check_redis_url(args.redis_url)
    results = asyncio.run(main_async(args))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
