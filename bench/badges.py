#!/usr/bin/env python
"""Badge evaluation at scale, on PostgreSQL: the nightly run over 100,000 participants and 5,000,000 activity rows.

One command, from the repository root (needs PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python bench/badges.py                     # ~3 minutes of seeding on 2 cores, then the runs
    .venv/bin/python bench/badges.py --participants 10000 --rows 500000 --loop 200    # a quick look

It (re)creates the database `bench_badges`, migrates it, and seeds one organization in SQL
(INSERT … SELECT generate_series, no Python loop): 40 % mentors and 60 % protégés, and the activity the
badge criteria measure, in these shares of `--rows`: sessions 30 %, messages 30 %, session notes 18 %,
session feedback 12 %, community attendance 4 %, goals 2.4 %, goal progress 2.8 %, availability
windows 0.8 % (one per mentor at full scale). Times spread over the last 180 days, most sessions
attended, most messages answered within 48 hours, so that some participants earn the badge and some not.
Then ANALYZE, and:

1. **set-based**: `domain.badges.evaluation.evaluate_everyone(SystemClock())`, the entry point of the
   worker's nightly job (workers/jobs.py `nightly_badges_job`): every criterion one grouped statement per
   role, then every badge row, log row and outbox row written in bulk. Timed end to end; the first run
   creates every badge row, a second run (`--again`, on by default) updates them.
2. **ORM loop**: `evaluate_badges(clock=…, participant_ids=[id])` for `--loop` random participants one
   at a time, the on-demand path after an activity (the same criteria, one participant's population):
   the per-participant cost of evaluating in a Python loop, extrapolated to the whole population.

Reports seconds, rows per second, and the ratio (loop extrapolated ÷ set-based). The target of issue 19 is
20 s for 100,000 participants and 5,000,000 rows. Options: --database-url, --participants, --rows,
--loop, --no-again, --profile FILE (cProfile of the set-based run), --json FILE. All load goes to
127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import machine, pg_value, print_machine, recreate_database, require_loopback  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/bench_badges"
SHARES = {
    "mentorship_session": 0.30,
    "message": 0.30,
    "session_note": 0.18,
    "session_feedback": 0.12,
    "community_attendance": 0.04,
    "goal": 0.024,
    "goal_progress": 0.028,
    "availability_window": 0.008,
}


def seed_statements(participants: int, rows: int) -> list[tuple[str, str]]:
    """(table, SQL) in dependency order; $1 is the organization id. Ids are dense from each table's
    first id, so a participant, goal or session is found by arithmetic on the series number."""
    mentors = participants * 2 // 5
    proteges = participants - mentors
    n = {table: max(1, int(rows * share)) for table, share in SHARES.items()}
    goals_per_protege = max(1, n["goal"] // proteges)
    n["goal"] = goals_per_protege * proteges
    mentor = "(SELECT min(id) FROM participant WHERE organization_id = $1) + "  # + index in 0..mentors-1
    protege = f"(SELECT min(id) FROM participant WHERE organization_id = $1) + {mentors} + "
    first_goal = "(SELECT min(id) FROM goal WHERE organization_id = $1)"
    return [
        (
            "participant",
            f"""INSERT INTO participant (role, display_name, email, timezone, standing, standing_since, version,
                created_at, updated_at, organization_id, program_review, needs_rematch)
            SELECT CASE WHEN g < {mentors} THEN 'mentor' ELSE 'protege' END, 'Bench ' || g,
                'b' || g || '@bench.example.org', 'UTC', 'good', now() - interval '400 days', 1,
                now() - interval '400 days', now() - interval '400 days', $1, false, false
            FROM generate_series(0, {participants - 1}) g ORDER BY g""",
        ),
        (
            "goal",
            f"""INSERT INTO goal (specific, measurable, achievable, relevant, due_on, status, created_at, updated_at,
                mentor_id, organization_id, protege_id)
            SELECT 'goal ' || g, 'measured', 'yes', 'yes', current_date + 90,
                CASE WHEN g % 10 = 9 THEN 'achieved' ELSE 'active' END,
                now() - interval '200 days', now() - interval '200 days',
                {mentor}((g / {goals_per_protege}) % {mentors}), $1, {protege}(g / {goals_per_protege})
            FROM generate_series(0, {n["goal"] - 1}) g ORDER BY g""",
        ),
        (
            "mentorship_session",
            # g % 20: 0-13 attended, 14 no-show, 15-16 cancelled, 17-19 booked in the future.
            f"""INSERT INTO mentorship_session (scheduled_at, duration_minutes, status, booked_at, outcome_at,
                notes_due_at, goal_id, mentor_id, organization_id, protege_id)
            SELECT t, 60, s, t - interval '7 days', CASE WHEN s IN ('attended', 'no_show') THEN t + interval '1 hour' END,
                CASE WHEN s = 'attended' THEN t + interval '48 hours' END,
                {first_goal} + k * {goals_per_protege} + g % {goals_per_protege},
                {mentor}(k % {mentors}),
                $1, {protege}k
            FROM (SELECT g, g % {proteges} AS k,
                    CASE WHEN g % 20 < 14 THEN 'attended' WHEN g % 20 = 14 THEN 'no_show'
                         WHEN g % 20 < 17 THEN 'cancelled' ELSE 'booked' END AS s,
                    CASE WHEN g % 20 >= 17 THEN now() + (g % 30 + 1) * interval '1 day'
                         ELSE now() - (g % 180) * interval '1 day' - (g % 24) * interval '1 hour' END AS t
                  FROM generate_series(0, {n["mentorship_session"] - 1}) g) x ORDER BY g""",
        ),
        (
            "session_note",
            # notes for attended sessions until the table's share is reached; 9 in 10 on time
            f"""INSERT INTO session_note (body, submitted_at, on_time, session_id)
            SELECT 'notes', notes_due_at - interval '1 hour', id % 10 <> 0, id FROM mentorship_session
            WHERE organization_id = $1 AND status = 'attended' ORDER BY id LIMIT {n["session_note"]}""",
        ),
        (
            "session_feedback",
            f"""INSERT INTO session_feedback (body, rating, submitted_at, session_id)
            SELECT 'feedback', 5, scheduled_at + interval '2 hours', id FROM mentorship_session
            WHERE organization_id = $1 AND status = 'attended' ORDER BY id DESC LIMIT {n["session_feedback"]}""",
        ),
        (
            "message",
            # even g: protégé -> mentor, odd g: mentor -> protégé; 19 in 20 answered, most within 48 hours
            f"""INSERT INTO message (sent_at, respond_by, responded_at, organization_id, recipient_id, sender_id)
            SELECT t, t + interval '48 hours',
                CASE WHEN g % 20 = 19 THEN NULL ELSE t + (g % 53) * interval '1 hour' END, $1,
                CASE WHEN g % 2 = 0 THEN {mentor}(g / 2 % {mentors}) ELSE {protege}(g / 2 % {proteges}) END,
                CASE WHEN g % 2 = 0 THEN {protege}(g / 2 % {proteges}) ELSE {mentor}(g / 2 % {mentors}) END
            FROM (SELECT g, now() - (g % 120) * interval '1 day' - interval '3 days' AS t
                  FROM generate_series(0, {n["message"] - 1}) g) x ORDER BY g""",
        ),
        (
            "community_attendance",
            f"""INSERT INTO community_attendance (kind, title, attended_at, participant_id)
            SELECT (ARRAY['mentor_circle', 'training', 'webinar'])[g % 3 + 1], 'event ' || g % 100,
                now() - (g % 200) * interval '1 day', {mentor}(g % {participants})
            FROM generate_series(0, {n["community_attendance"] - 1}) g ORDER BY g""",
        ),
        (
            "goal_progress",
            f"""INSERT INTO goal_progress (note, percent_complete, created_at, author_id, goal_id)
            SELECT 'progress', g % 100, now() - (g % 60) * interval '1 day',
                {protege}(g % {n["goal"]} / {goals_per_protege}), {first_goal} + g % {n["goal"]}
            FROM generate_series(0, {n["goal_progress"] - 1}) g ORDER BY g""",
        ),
        (
            "availability_window",
            f"""INSERT INTO availability_window (starts_at, ends_at, created_at, mentor_id)
            SELECT now() - interval '10 days',
                CASE WHEN g % 5 = 4 THEN now() - interval '1 day' ELSE now() + interval '30 days' END,
                now() - interval '10 days', {mentor}(g % {mentors})
            FROM generate_series(0, {n["availability_window"] - 1}) g ORDER BY g""",
        ),
    ]


async def seed(url: str, participants: int, rows: int) -> dict[str, Any]:
    import asyncpg

    from domain.access.organizations import get_or_create_organization
    from domain.infra import db
    from domain.kernel.clock import SystemClock

    started = time.perf_counter()
    await recreate_database(url)
    await db.migrate(url)
    await db.connect(url)
    try:
        organization = await get_or_create_organization("bench-badges", SystemClock())
    finally:
        await db.disconnect()
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    counts: dict[str, int] = {}
    try:
        for table, sql in seed_statements(participants, rows):
            t0 = time.perf_counter()
            status = await conn.execute(sql, organization.id)
            counts[table] = int(status.split()[-1])
            print(f"  {table}: {counts[table]:,} rows in {time.perf_counter() - t0:.1f}s")
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    activity = sum(v for k, v in counts.items() if k != "participant")
    seconds = time.perf_counter() - started
    print(f"seeded {counts['participant']:,} participants and {activity:,} activity rows in {seconds:.1f}s")
    return {
        "organization_id": organization.id,
        "counts": counts,
        "activity_rows": activity,
        "seed_s": round(seconds, 1),
    }


async def _seeded(url: str) -> int:
    """Activity rows in a database seeded by an earlier run, 0 if there is none."""
    import asyncpg

    try:
        return int(await pg_value(url, " + ".join(f"(SELECT count(*) FROM {t})" for t in SHARES).join(["SELECT ", ""])))
    except (OSError, asyncpg.PostgresError):  # no such database or tables yet
        return 0


async def _reset_badges(url: str) -> None:
    """Back to the state a fresh seed leaves: no badge rows, no badge log, no outbox rows or cure deadlines."""
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        # The log and the outbox refuse TRUNCATE (append-only): in this throw-away database, for this session
        # only, their triggers are set aside.
        await conn.execute("SET session_replication_role = replica")
        await conn.execute("TRUNCATE badge, transition_log, outbox_event, deadline CASCADE")
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from domain.badges.evaluation import evaluate_badges, evaluate_everyone
    from domain.infra import db
    from domain.kernel.clock import SystemClock

    if args.reuse and await _seeded(args.database_url):
        seeded = {"reused": True, "activity_rows": await _seeded(args.database_url)}
        print(f"reusing bench_badges: {seeded['activity_rows']:,} activity rows; badge rows and badge log emptied")
        await _reset_badges(args.database_url)
    else:
        seeded = await seed(args.database_url, args.participants, args.rows)
    results: dict[str, Any] = {"seed": seeded}
    await db.connect(args.database_url)
    try:
        clock = SystemClock()
        profiler = cProfile.Profile() if args.profile else None
        t0 = time.perf_counter()
        if profiler:
            profiler.enable()
        changes = await evaluate_everyone(clock)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
            print(f"  profile of the set-based run: {args.profile}")
        first = time.perf_counter() - t0
        awarded = sum(1 for c in changes if c.event == "award")
        print(
            f"set-based, first run (creates every badge): {first:.2f}s, {len(changes):,} changes ({awarded:,} awards)"
        )
        results["set_based_first_s"] = round(first, 2)
        results["changes_first"] = len(changes)
        if args.again:
            t0 = time.perf_counter()
            changes = await evaluate_everyone(clock)
            again = time.perf_counter() - t0
            print(f"set-based, second run (updates every badge): {again:.2f}s, {len(changes):,} changes")
            results["set_based_again_s"] = round(again, 2)
        ids = [int(i) for i in await pg_value(args.database_url, "SELECT array_agg(id) FROM participant")]
        sample = random.Random(7).sample(ids, min(args.loop, len(ids)))
        t0 = time.perf_counter()
        for participant_id in sample:
            await evaluate_badges(clock=clock, participant_ids=[participant_id])
        loop = time.perf_counter() - t0
    finally:
        await db.disconnect()
    per = loop / len(sample)
    extrapolated = per * len(ids)
    best = min(results["set_based_first_s"], results.get("set_based_again_s", float("inf")))
    results.update(
        participants=len(ids),
        loop_participants=len(sample),
        loop_s=round(loop, 2),
        loop_ms_per_participant=round(per * 1000, 2),
        loop_extrapolated_s=round(extrapolated, 1),
        set_based_ms_per_participant=round(best * 1000 / len(ids), 4),
        speedup=round(extrapolated / best, 1),
        target_met=max(results["set_based_first_s"], results.get("set_based_again_s", 0.0)) <= 20.0,
    )
    print(
        f"ORM loop: {len(sample):,} participants one at a time in {loop:.2f}s = {per * 1000:.2f} ms each, "
        f"{extrapolated:,.0f}s extrapolated to {len(ids):,}: set-based is {results['speedup']}× faster"
    )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=5_000_000, help="activity rows in all")
    parser.add_argument("--loop", type=int, default=1_000, help="participants the ORM loop evaluates")
    parser.add_argument("--no-again", dest="again", action="store_false", help="skip the second set-based run")
    parser.add_argument("--reuse", action="store_true", help="keep the seeded activity of an earlier run")
    parser.add_argument("--profile", help="write a cProfile of the first set-based run here")
    parser.add_argument("--json", help="also write the results as JSON to this file")
    args = parser.parse_args()
    require_loopback(args.database_url)
    info = machine()
    print_machine(info)
    results = asyncio.run(run(args))
    results["machine"] = info
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
