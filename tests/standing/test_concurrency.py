"""Optimistic locking under load: 20 conflicting standing events sent at once, on SQLite and PostgreSQL.

Every race is run twice: through the real GraphQL API (20 admin tokens, 20 concurrent HTTP requests
on the ASGI app) and through 20 direct `apply_event` calls. On PostgreSQL each `in_transaction()`
takes its own pooled connection, so the transactions really overlap and the `FOR UPDATE` row lock
serialises them; on SQLite Tortoise has one connection and its transaction lock serialises them.
Either way: one winner per version, no skipped state, no step logged twice.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import re
import sqlite3
import threading
from dataclasses import dataclass
from datetime import timedelta
from itertools import cycle, islice

import pytest
from tortoise import connections
from tortoise.transactions import in_transaction

from domain.access.principals import TokenRole
from domain.kernel.actors import Actor
from domain.kernel.rejections import InvalidInput, NotFound, StaleVersion, TransitionNotAllowed
from domain.kernel.roles import Role
from domain.models import Participant, TransitionRecord
from domain.standing.apply import StandingCommand, TransitionApplied, apply_event
from schema.mutations.standing import camel
from tests.support.databases import BACKEND
from tests.support.requests import transition_request
from tests.support.world import issue

# apply_event locks the participant row FOR NO KEY UPDATE (inserts that reference it need not wait); the
# holder here takes FOR UPDATE. Either is a row lock the racers queue behind.
ROW_LOCK = re.compile(r"FOR (NO KEY )?UPDATE")
RACERS = 20

MUTATION = """
mutation($pid: ID!, $reason: String!, $version: Int %(until_var)s) {
  %(field)s(input: {participantId: $pid, reason: $reason, expectedVersion: $version %(extra)s}) {
    __typename
    ... on TransitionPayload {
      participant { version standing { state } }
      transition { id event fromState toState actor { kind id } }
    }
    ... on StaleVersionError { expectedVersion actualVersion }
    ... on TransitionNotAllowedError { state }
    ... on UserError { message }
  }
}
"""

# Every event an admin may send from each state (no time-dependent guard fails at a fixed clock).
VALID_FROM = {
    Role.PROTEGE: {
        "good": ["send_reminder", "issue_warning", "mark_ineligible"],
        "reminder": ["approve_reschedule", "issue_warning", "mark_ineligible"],
        "warning": ["restore_good_standing", "mark_ineligible"],
        "ineligible": ["restore_good_standing"],
    },
    Role.MENTOR: {
        "good": ["issue_notice"],
        "first_notice": ["suspend", "remove", "clear_notice"],
        "suspended": ["lift_suspension", "remove"],
        "removed": ["undo_removal"],
    },
}


@dataclass(frozen=True)
class Outcome:
    """One racer's result, the same shape whether it came over GraphQL or from apply_event."""

    kind: str  # the GraphQL __typename
    version: int | None = None
    state: str | None = None
    record_id: int | None = None
    event: str | None = None
    from_state: str | None = None
    to_state: str | None = None
    actor_id: str | None = None
    expected_version: int | None = None
    actual_version: int | None = None


def _from_graphql(result: dict) -> Outcome:
    kind = result["__typename"]
    if kind == "TransitionPayload":
        t = result["transition"]
        return Outcome(
            kind,
            version=result["participant"]["version"],
            state=result["participant"]["standing"]["state"].lower(),
            record_id=int(t["id"]),
            event=t["event"].lower(),
            from_state=t["fromState"].lower(),
            to_state=t["toState"].lower(),
            actor_id=t["actor"]["id"],
        )
    if kind == "StaleVersionError":
        return Outcome(kind, expected_version=result["expectedVersion"], actual_version=result["actualVersion"])
    if kind == "TransitionNotAllowedError":
        return Outcome(kind, state=result["state"].lower())
    return Outcome(kind)


def _from_domain(result) -> Outcome:
    match result:
        case TransitionApplied(participant=p, record=r):
            return Outcome(
                "TransitionPayload",
                version=p.version,
                state=p.standing,
                record_id=r.id,
                event=r.event,
                from_state=r.from_state,
                to_state=r.to_state,
                actor_id=r.actor_id,
            )
        case StaleVersion():
            return Outcome(
                "StaleVersionError", expected_version=result.expected_version, actual_version=result.actual_version
            )
        case TransitionNotAllowed():
            return Outcome("TransitionNotAllowedError", state=result.state)
        case InvalidInput():
            return Outcome("InvalidInputError")
        case NotFound():
            return Outcome("NotFoundError")
    raise AssertionError(f"unexpected result {result!r}")


@dataclass
class Racers:
    """Sends one event per racer, all at once, through GraphQL or straight to apply_event."""

    via: str
    gql: object
    tokens: list[str]
    org_id: int
    clock: object

    async def one(self, racer: int, event: str, participant_id: int, version: int | None) -> Outcome:
        until = self.clock.now() + timedelta(days=7)
        reason = f"racer {racer}"
        if self.via == "apply_event":
            return _from_domain(
                await apply_event(
                    StandingCommand(
                        participant_id=participant_id,
                        event=event,
                        actor=Actor.admin(f"racer-{racer}"),
                        reason=reason,
                        params={"until": until} if event == "suspend" else {},
                        expected_version=version,
                        organization_id=self.org_id,
                    ),
                    clock=self.clock,
                )
            )
        query, variables = transition_request(MUTATION, event, participant_id, reason, version, until.isoformat())
        data = await self.gql.data(query, variables, token=self.tokens[racer])
        return _from_graphql(data[camel(event)])

    async def race(self, participant_id: int, events: list[str], version: int | None) -> list[Outcome]:
        assert len(events) == RACERS
        return list(
            await asyncio.gather(*(self.one(i, event, participant_id, version) for i, event in enumerate(events)))
        )


@pytest.fixture(params=["graphql", "apply_event"])
async def racers(request, gql, world, clock) -> Racers:
    tokens = [await issue("demo", TokenRole.ADMIN, clock) for _ in range(RACERS)]
    if BACKEND == "postgres":
        await _fill_pool()
    return Racers(request.param, gql, tokens, world.org_id, clock)


async def _fill_pool() -> int:
    """Open as many transactions at once as the pool allows, so every connection exists before a race."""
    size = connections.get("default").pool_maxsize
    everyone_in = asyncio.Barrier(size)

    async def hold() -> int:
        async with in_transaction() as conn:
            _, rows = await conn.execute_query("SELECT pg_backend_pid() AS pid")
            await everyone_in.wait()  # every transaction is open at this point
            return rows[0]["pid"]

    return len(set(await asyncio.gather(*(hold() for _ in range(size)))))


def winners(outcomes: list[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.kind == "TransitionPayload"]


async def assert_log_is_one_unbroken_chain(participant_id: int, successes: list[Outcome]) -> list[TransitionRecord]:
    """Log rows == successful results, each row starts where the previous one ended, version == 1 + rows."""
    rows = await TransitionRecord.filter(participant_id=participant_id).order_by("id")
    assert len(rows) == len(successes)
    state = "good"
    for row in rows:
        assert row.from_state == state, [(r.event, r.from_state, r.to_state) for r in rows]
        state = row.to_state
    participant = await Participant.get(id=participant_id)
    assert participant.standing == state
    assert participant.version == 1 + len(rows)
    # Each success saw its own version, and each matches exactly one log row, in order.
    by_version = sorted(successes, key=lambda o: o.version)
    assert [o.version for o in by_version] == list(range(2, 2 + len(rows)))
    assert [(o.record_id, o.event, o.from_state, o.to_state, o.actor_id) for o in by_version] == [
        (r.id, r.event, r.from_state, r.to_state, r.actor_id) for r in rows
    ]
    return rows


# --- does the harness really run transactions in parallel? -------------------------------------------


async def test_each_transaction_gets_its_own_connection_on_postgres_and_one_at_a_time_on_sqlite(orm):
    if BACKEND == "postgres":
        size = connections.get("default").pool_maxsize
        assert size >= 2
        # Every transaction is open at once (the barrier), and each runs on its own backend process.
        assert await _fill_pool() == size
        return
    # SQLite: one connection; Tortoise's transaction lock never lets two transactions interleave.
    trace: list[str] = []

    async def work(i: int) -> None:
        async with in_transaction() as conn:
            trace.append(f"begin {i}")
            await conn.execute_query("SELECT count(*) FROM participant")
            await conn.execute_query("SELECT count(*) FROM transition_log")
            trace.append(f"end {i}")

    await asyncio.gather(*(work(i) for i in range(RACERS)))
    assert len(trace) == 2 * RACERS
    assert all(
        a.split()[1] == b.split()[1] and a.startswith("begin") and b.startswith("end")
        for a, b in zip(trace[::2], trace[1::2], strict=False)
    ), trace


async def test_twenty_racers_queue_behind_an_open_transaction_then_exactly_one_wins(orm, world, clock, sql_counter):
    """Real parallelism, shown without timing luck: while one transaction holds the participant, the
    racers pile up. On PostgreSQL every pooled connection but the holder's is inside apply_event,
    blocked on the row lock; on SQLite no racer even starts. Then the holder commits and one racer wins."""
    pid = world.mentor.id
    pool_size = connections.get("default").pool_maxsize if BACKEND == "postgres" else 1
    if BACKEND == "postgres":
        assert await _fill_pool() == pool_size
    commands = [
        StandingCommand(
            pid, "issue_notice", Actor.admin(f"racer-{i}"), "r", expected_version=1, organization_id=world.org_id
        )
        for i in range(RACERS)
    ]
    outside = contextvars.copy_context()  # see the test below: racers must not inherit our transaction
    loop = asyncio.get_running_loop()
    async with in_transaction() as holder:
        await Participant.filter(id=pid).select_for_update().using_db(holder).first()
        sql_counter.statements.clear()
        # One copy of the outside context each: tasks sharing one Context would share one transaction.
        tasks = [loop.create_task(apply_event(c, clock=clock), context=outside.copy()) for c in commands]
        if BACKEND == "postgres":
            blocked = await _blocked_for_update_reads(orm, until_at_least=pool_size - 1)
            assert blocked == pool_size - 1  # the pool is full: four transactions open at once, all waiting
        else:
            for _ in range(20):  # many turns of the event loop
                await holder.execute_query("SELECT 1")
            assert not any(t.done() for t in tasks)
            assert not [s for s in sql_counter.statements if '"participant"' in s], sql_counter.statements
    outcomes = [_from_domain(r) for r in await asyncio.gather(*tasks)]

    won = winners(outcomes)
    assert len(won) == 1, outcomes
    assert {(o.kind, o.expected_version, o.actual_version) for o in outcomes if o not in won} == {
        ("StaleVersionError", 1, 2)
    }
    reads = [s for s in sql_counter.statements if s.startswith("SELECT") and 'FROM "participant"' in s]
    assert len(reads) == RACERS
    assert all((ROW_LOCK.search(s) is not None) is (BACKEND == "postgres") for s in reads)
    await assert_log_is_one_unbroken_chain(pid, won)


async def test_the_read_waits_for_a_concurrent_writer_and_then_sees_its_commit(orm, world, clock):
    """A writer holds the row; apply_event waits for it (row lock / transaction lock), then decides on fresh data."""
    pid = world.mentor.id
    waited_on_row_lock = None
    # A task inherits the context it is created in, and Tortoise keeps the current transaction in a
    # context variable: the racer must be started from a context outside our transaction, or it
    # would just open a savepoint inside it.
    outside = contextvars.copy_context()
    async with in_transaction() as holder:
        row = await Participant.filter(id=pid).select_for_update().using_db(holder).first()
        assert row.version == 1
        task = asyncio.get_running_loop().create_task(
            apply_event(
                StandingCommand(pid, "issue_notice", Actor.admin("late"), "too late", organization_id=world.org_id),
                clock=clock,
            ),
            context=outside,
        )
        if BACKEND == "postgres":
            waited_on_row_lock = await _blocked_for_update_reads(orm) == 1
        else:
            # Give the task many turns of the loop: it cannot start its transaction while ours is open.
            for _ in range(20):
                await holder.execute_query("SELECT 1")
            waited_on_row_lock = not task.done()
        await (
            Participant.filter(id=pid, version=1)
            .using_db(holder)
            .update(standing="first_notice", version=2, standing_since=clock.now(), updated_at=clock.now())
        )
    result = _from_domain(await task)
    assert waited_on_row_lock is True
    assert result == Outcome("TransitionNotAllowedError", state="first_notice")
    assert await TransitionRecord.filter(participant_id=pid).count() == 0
    assert (await Participant.get(id=pid)).version == 2


async def _blocked_for_update_reads(database_url: str, until_at_least: int = 1) -> int:
    """How many `SELECT ... FROM participant ... FOR UPDATE` wait on a lock right now, polled (without
    sleeping) on a separate connection until there are `until_at_least` of them, or 2000 polls pass."""
    import asyncpg

    raw = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        blocked = 0
        for _ in range(2000):
            rows = await raw.fetch(
                "SELECT query FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND state = 'active'"
            )
            blocked = sum(
                1 for r in rows if 'FROM "participant"' in r["query"] and ROW_LOCK.search(r["query"]) is not None
            )
            if blocked >= until_at_least:
                break
        return blocked
    finally:
        await raw.close()


class OtherProcessWriter(logging.Handler):
    """Plays a second process (a separate arq worker, a second API worker) on its own connection.

    Tortoise logs each statement just before it sends it, so this handler runs synchronously at the
    first statement apply_event sends after it has read the participant row, i.e. between its read
    and its write. There it tries to bump the participant's version on a connection of its own,
    without waiting for any lock (PostgreSQL: FOR UPDATE NOWAIT; SQLite: busy timeout 0).
    """

    def __init__(self, database_url: str, participant_id: int) -> None:
        super().__init__(logging.DEBUG)
        self.url, self.participant_id = database_url, participant_id
        self.read_seen = False
        self.outcome: str | None = None  # "wrote" or "refused"

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not self.read_seen:
            self.read_seen = message.startswith("SELECT") and 'FROM "participant"' in message
            return
        if self.outcome is None:
            self.outcome = self._write_postgres() if BACKEND == "postgres" else self._write_sqlite()

    def _write_sqlite(self) -> str:
        conn = sqlite3.connect(self.url.removeprefix("sqlite://"), timeout=0)
        try:
            conn.execute(
                "UPDATE participant SET version = version + 1, standing = 'first_notice' WHERE id = ?",
                (self.participant_id,),
            )
            conn.commit()
            return "wrote"
        except sqlite3.OperationalError:
            return "refused"
        finally:
            conn.close()

    def _write_postgres(self) -> str:
        import asyncpg

        async def write() -> str:
            conn = await asyncpg.connect(self.url.replace("postgres://", "postgresql://", 1))
            try:
                async with conn.transaction():
                    await conn.execute("SELECT 1 FROM participant WHERE id = $1 FOR UPDATE NOWAIT", self.participant_id)
                    await conn.execute(
                        "UPDATE participant SET version = version + 1, standing = 'first_notice' WHERE id = $1",
                        self.participant_id,
                    )
                return "wrote"
            except asyncpg.LockNotAvailableError:
                return "refused"
            finally:
                await conn.close()

        outcome: list[str] = []
        # The event loop is busy running this very handler, so the other "process" gets its own loop.
        thread = threading.Thread(target=lambda: outcome.append(asyncio.run(write())))
        thread.start()
        thread.join()
        return outcome[0]


async def test_a_write_from_another_process_between_read_and_write_never_escapes_as_an_exception(orm, world, clock):
    pid = world.mentor.id
    logger = logging.getLogger("tortoise.db_client")
    other, level = OtherProcessWriter(orm, pid), logger.level
    logger.addHandler(other)
    logger.setLevel(logging.DEBUG)
    try:
        result = await apply_event(
            StandingCommand(
                pid, "issue_notice", Actor.admin("racer"), "r", expected_version=1, organization_id=world.org_id
            ),
            clock=clock,
        )
    finally:
        logger.removeHandler(other)
        logger.setLevel(level)

    assert other.outcome in {"wrote", "refused"}
    if BACKEND == "postgres":
        assert other.outcome == "refused"  # the row lock keeps everyone else out until we commit
    outcome = _from_domain(result)
    participant = await Participant.get(id=pid)
    rows = await TransitionRecord.filter(participant_id=pid).count()
    if other.outcome == "wrote":
        # The other process won: we must not write over it, and must say why.
        assert (outcome.kind, outcome.expected_version, outcome.actual_version) == ("StaleVersionError", 1, 2)
        assert (participant.version, rows) == (2, 0)
    else:
        assert outcome.kind == "TransitionPayload"
        assert (participant.version, participant.standing, rows) == (2, "first_notice", 1)


# --- (a) twenty admins, one version ------------------------------------------------------------------


async def test_twenty_admins_issue_the_same_notice_at_once_and_exactly_one_wins(racers, world):
    pid = world.mentor.id
    outcomes = await racers.race(pid, ["issue_notice"] * RACERS, version=1)

    won = winners(outcomes)
    lost = [o for o in outcomes if o.kind != "TransitionPayload"]
    assert len(won) == 1, outcomes
    assert len(lost) == RACERS - 1
    assert {o.kind for o in lost} <= {"StaleVersionError", "TransitionNotAllowedError"}, outcomes
    for o in lost:
        if o.kind == "StaleVersionError":
            assert (o.expected_version, o.actual_version) == (1, 2)
    assert won[0].version == 2 and won[0].state == "first_notice"

    rows = await assert_log_is_one_unbroken_chain(pid, won)
    assert len(rows) == 1
    assert (rows[0].event, rows[0].from_state, rows[0].to_state) == ("issue_notice", "good", "first_notice")
    participant = await Participant.get(id=pid)
    assert (participant.version, participant.standing) == (2, "first_notice")


# --- (b) many rounds, each racer trying to move one step from the current version ---------------------


@pytest.mark.parametrize("role", [Role.PROTEGE, Role.MENTOR])
async def test_rounds_of_twenty_racers_move_one_step_per_round_and_skip_nothing(racers, world, role):
    participant = world.protege if role is Role.PROTEGE else world.mentor
    pid = participant.id
    state, version, successes = "good", 1, []
    for round_ in range(8):
        # Every racer sends an event that is valid from the current state, all with the same version.
        events = list(islice(cycle(VALID_FROM[role][state]), round_, round_ + RACERS))
        outcomes = await racers.race(pid, events, version=version)

        won = winners(outcomes)
        assert len(won) == 1, (round_, state, outcomes)
        stale = [o for o in outcomes if o.kind == "StaleVersionError"]
        assert len(stale) == RACERS - 1, outcomes
        assert {(o.expected_version, o.actual_version) for o in stale} == {(version, version + 1)}
        assert won[0].from_state == state and won[0].version == version + 1
        successes += won
        state, version = won[0].to_state, version + 1

    rows = await assert_log_is_one_unbroken_chain(pid, successes)
    assert len(rows) == 8


# --- (c) the same races without expectedVersion --------------------------------------------------------


async def test_twenty_identical_events_without_version_are_logged_once(racers, world):
    pid = world.protege.id
    outcomes = await racers.race(pid, ["send_reminder"] * RACERS, version=None)
    won = winners(outcomes)
    assert len(won) == 1
    assert [o.kind for o in outcomes].count("TransitionNotAllowedError") == RACERS - 1
    assert {o.state for o in outcomes if o.kind == "TransitionNotAllowedError"} == {"reminder"}
    rows = await assert_log_is_one_unbroken_chain(pid, won)
    assert [(r.event, r.from_state, r.to_state) for r in rows] == [("send_reminder", "good", "reminder")]


@pytest.mark.parametrize(
    ("role", "toggle"),
    [
        (Role.PROTEGE, ["send_reminder", "approve_reschedule"]),
        (Role.MENTOR, ["issue_notice", "clear_notice"]),
    ],
)
async def test_toggling_races_without_version_never_skip_or_repeat_a_step(racers, world, role, toggle):
    pid = (world.protege if role is Role.PROTEGE else world.mentor).id
    successes: list[Outcome] = []
    for round_ in range(5):
        events = list(islice(cycle(toggle), round_, round_ + RACERS))
        outcomes = await racers.race(pid, events, version=None)
        won = winners(outcomes)
        assert won, outcomes  # the state always allows one of the two events
        assert {o.kind for o in outcomes} <= {"TransitionPayload", "TransitionNotAllowedError"}, outcomes
        # Taken in version order, the round's winners alternate between the two events.
        in_order = [o.event for o in sorted(won, key=lambda o: o.version)]
        assert all(a != b for a, b in zip(in_order, in_order[1:], strict=False)), in_order
        successes += won

    rows = await assert_log_is_one_unbroken_chain(pid, successes)
    assert {(r.from_state, r.to_state) for r in rows} <= {
        ("good", "reminder"),
        ("reminder", "good"),
        ("good", "first_notice"),
        ("first_notice", "good"),
    }
    assert len(rows) == len(successes) >= 5


async def test_one_deadline_fired_by_twenty_runs_at_once_acts_and_reports_once(orm, world, clock):
    """Two jobs and the sweep may run one deadline at the same moment. The rule's effect and the mark
    'fired' commit together under the participant's lock, so exactly one run reports the lift (and the
    deadline's recorded outcome is the lift), and the others find nothing to do."""
    from domain.deadlines.sweep import fire
    from domain.models import Deadline

    admin = Actor.admin(1)
    await apply_event(StandingCommand(world.mentor.id, "issue_notice", admin, "late"), clock=clock)
    await apply_event(
        StandingCommand(world.mentor.id, "suspend", admin, "again", params={"until": clock.now() + timedelta(days=1)}),
        clock=clock,
    )
    deadline = await Deadline.get(participant_id=world.mentor.id, kind="suspension_end")
    clock.advance(timedelta(days=2))
    results = await asyncio.gather(*(fire(deadline, clock.now()) for _ in range(RACERS)))
    acted = [r for r in results if r is not None]
    assert len(acted) == 1 and acted[0].firing.transition
    assert await TransitionRecord.filter(participant_id=world.mentor.id, event="lift_suspension").count() == 1
    fired = await Deadline.get(id=deadline.id)
    assert fired.fired_at is not None and fired.outcome == acted[0].firing.outcome
