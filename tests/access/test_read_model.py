"""The read model (domain/access/read_model.py): it answers what the database answers, is trusted only within
its staleness bound and never across this process's own commits, and, on PostgreSQL, its listener
(workers/read_model_listener.py) hears every committed change and revocation, from any connection.

Trust is tested on an injected clock. What crosses connections (a NOTIFY from another session) is waited for
on the wall clock: PostgreSQL's delivery cannot be faked.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator, Callable

import asyncpg
import httpx
import pytest

from domain.access.principals import Principal
from domain.access.read_model import ReadModel, StandingRow
from domain.access.tokens import ACTING, TokenCache, authenticate, hash_secret
from domain.access.visibility import visible_participant, visible_participants
from domain.infra.config import Settings
from domain.infra.db import direct_connection, transaction
from domain.kernel.roles import Role
from domain.models import ApiToken, BadgeRecord, Participant
from schema.app import read_model
from schema.persisted import PARTICIPANT_STANDING, request_by_hash
from tests.support.databases import BACKEND
from tests.support.live import serve, wait_until
from tests.support.live import until as live_until
from tests.support.queries import SEND_REMINDER, crowd

SOON = 10.0  # seconds to wait for PostgreSQL to deliver what another session committed


async def until(check: Callable[[], object], what: str) -> None:
    await live_until(check, what, SOON)


class Ticking:
    """A monotonic clock that stands still until told to move."""

    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def shown(row) -> tuple:
    """What the two hot reads show of a participant, from a model row or a database snapshot."""
    return (row.id, row.display_name, row.standing, row.standing_since, row.profile_visible)


async def principals(world) -> dict[str, Principal]:
    secrets = {
        "admin": world.admin,
        "partner": world.partner,
        "mentor": world.mentor_token,
        "protege": world.protege_token,
        "other organization": world.other_admin,
    }
    found = {who: await authenticate(secret) for who, secret in secrets.items()}
    assert all(found.values())
    return found  # type: ignore[return-value]


# --- trust -----------------------------------------------------------------------------------------------


def test_the_model_is_trusted_only_between_a_heartbeat_and_its_bound_and_never_across_a_local_commit():
    clock = Ticking()
    model = ReadModel(bound=1.0, now=clock)
    assert not model.trusted()  # nothing heard yet: not listening
    model.heard(100.0)
    clock.t = 101.0
    assert model.trusted()  # exactly the bound old
    clock.t = 101.001
    assert not model.trusted()  # past it
    model.heard(100.9)
    assert model.trusted()
    model.heard(100.5)  # an older heartbeat arriving late takes nothing back
    assert model.fresh_as_of == 100.9
    clock.t = 101.2
    model.committed()  # this process committed at 101.2, for no client (a timer) ...
    model.heard(101.1)  # ... so a heartbeat sent before that does not vouch for it
    assert not model.trusted()
    model.heard(101.2)  # nor one stamped with the same reading of the clock
    assert not model.trusted()
    model.heard(101.201)
    assert model.trusted()
    model.forget()
    assert not model.trusted() and model.fresh_as_of is None


def test_a_clients_commit_sends_that_clients_reads_to_the_database_until_it_is_heard():
    clock = Ticking()
    model = ReadModel(bound=1.0, now=clock)
    model.heard(100.0)
    writer, reader = 7, 8
    token = ACTING.set(writer)
    try:
        clock.t = 100.1
        model.committed()
    finally:
        ACTING.reset(token)
    assert not model.trusted(writer)  # the client that made the change reads it from the database ...
    assert model.trusted(reader) and model.trusted()  # ... others within the bound, as in any other process
    model.heard(100.1)
    assert not model.trusted(writer)
    model.heard(100.15)
    assert model.trusted(writer)


def test_a_local_commit_cues_the_listener_to_send_a_heartbeat_at_once():
    model, cues = ReadModel(now=Ticking()), []
    model.on_write = lambda: cues.append("beat")
    model.committed()
    assert cues == ["beat"]


# --- answers ---------------------------------------------------------------------------------------------


async def test_the_model_answers_what_the_database_reads_answer_for_every_token(gql, world):
    await crowd(gql, world, 12)
    other = await world.participant(Role.MENTOR, "Elsewhere", org_id=None)
    model = ReadModel(now=Ticking())
    everyone = [p.id for p in await Participant.all()] + [other.id, 999_999]
    for who, principal in (await principals(world)).items():
        for participant_id in everyone:
            held = await model.one(principal, participant_id)
            stored = await visible_participant(principal, participant_id)
            assert (held and shown(held)) == (stored and shown(stored)), (who, participant_id)
        for start, count in itertools.product((0, 1, 5, 13, 40), (0, 1, 2, 7, 101)):
            held_page = await model.page(principal, start, count)
            stored_page = await visible_participants(principal).order_by("id").offset(start).limit(count)
            assert [shown(r) for r in held_page] == [shown(r) for r in stored_page], (who, start, count)
    badges = dict(await BadgeRecord.all().values_list("participant_id", "state"))
    admin = (await principals(world))["admin"]
    rows = await model.page(admin, 0, 101)
    assert {r.badge_state for r in rows} >= {"awarded", "revoked", None}  # the crowd has badges to compare
    assert all(r.badge_state == badges.get(r.id) for r in rows)


async def test_a_change_is_shown_once_it_is_marked_and_not_before(world):
    model = ReadModel(now=Ticking())
    admin = (await principals(world))["admin"]
    assert (await model.one(admin, world.protege.id)).standing == "good"  # type: ignore[union-attr]
    await Participant.filter(id=world.protege.id).update(standing="reminder")
    newcomer = await world.participant(Role.MENTOR, "Newcomer")
    held = await model.one(admin, world.protege.id)
    assert held is not None and held.standing == "good"  # held in memory: unmarked, the change is not read
    assert newcomer.id not in [r.id for r in await model.page(admin, 0, 100)]
    model.changed([world.protege.id, newcomer.id])
    assert (await model.one(admin, world.protege.id)).standing == "reminder"  # type: ignore[union-attr]
    assert [r.id for r in await model.page(admin, 0, 100)][-1] == newcomer.id  # in id order
    model.changed_all()
    assert isinstance(await model.one(admin, newcomer.id), StandingRow)


async def test_a_row_marked_while_the_model_reads_is_read_again(world):
    model = ReadModel(now=Ticking())
    admin = (await principals(world))["admin"]
    await model.one(admin, world.protege.id)
    reads = 0
    real_filter = Participant.filter

    def filter_and_change(**filters):
        nonlocal reads
        reads += 1
        if reads == 1:  # another change of the same row is heard while the first refresh is under way
            model.changed([world.protege.id])
        return real_filter(**filters)

    model.changed([world.protege.id])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Participant, "filter", filter_and_change)
        await model.one(admin, world.protege.id)
    assert reads == 2  # the row was read once more after the mark that arrived mid-read


async def test_no_reader_takes_the_old_row_while_a_refresh_of_it_is_under_way(world, monkeypatch):
    from domain.access import read_model as module

    model = ReadModel(now=Ticking())
    admin = (await principals(world))["admin"]
    await model.one(admin, world.protege.id)
    await Participant.filter(id=world.protege.id).update(standing="reminder")
    model.changed([world.protege.id])
    reading, release, real_read = asyncio.Event(), asyncio.Event(), module._read_rows

    async def held_read(**filters):
        reading.set()
        await release.wait()
        return await real_read(**filters)

    monkeypatch.setattr(module, "_read_rows", held_read)
    first = asyncio.create_task(model.one(admin, world.protege.id))
    await reading.wait()  # the first reader's refresh is under way
    second = asyncio.create_task(model.one(admin, world.protege.id))
    await asyncio.sleep(0)
    assert not second.done()  # it waits for the refresh rather than answer from the old row
    release.set()
    assert [(await task).standing for task in (first, second)] == ["reminder", "reminder"]  # type: ignore[union-attr]


# --- the listener, on PostgreSQL -------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def listening(database_url: str, model: ReadModel, tokens: TokenCache) -> AsyncIterator[object]:
    from workers.read_model_listener import ReadModelListener

    # With a pool setting in the URL, as deployments write it: the listener's own connection must not send it.
    connection = direct_connection(f"{database_url}?maxsize=3") or {}
    listener = ReadModelListener(model, connection, heartbeat=0.05, tokens=tokens, retry=0.05)
    await listener.start()
    try:
        yield listener
    finally:
        await listener.stop()


async def other_session(database_url: str) -> asyncpg.Connection:
    return await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))


async def test_the_listener_runs_on_postgresql_only(orm):
    from schema.persisted import READ_MODEL

    async with read_model(Settings(database_url=orm)):
        if BACKEND == "postgres":
            await until(READ_MODEL.trusted, "the first heartbeat")
        else:  # one process, no notifications: the reads always go to the database
            assert READ_MODEL.on_write() is None and not READ_MODEL.trusted()
    assert not READ_MODEL.trusted()  # stopped: forgotten


def off_on_sqlite(orm: str) -> None:
    """The listener tests' SQLite half: there is nothing to listen to."""
    assert direct_connection(orm) is None


async def test_the_listener_hears_what_any_connection_commits(orm, world):
    if BACKEND != "postgres":
        return off_on_sqlite(orm)
    model, tokens = ReadModel(), TokenCache()
    admin = (await principals(world))["admin"]
    async with listening(orm, model, tokens):
        await until(model.trusted, "the first heartbeat")
        assert (await model.one(admin, world.protege.id)).standing == "good"  # type: ignore[union-attr]
        elsewhere = await other_session(orm)
        try:
            with contextlib.suppress(asyncpg.PostgresError):
                async with elsewhere.transaction():
                    await elsewhere.execute(
                        "UPDATE participant SET standing = 'warning' WHERE id = $1", world.protege.id
                    )
                    raise asyncpg.PostgresError("rolled back")
            await elsewhere.execute(
                "UPDATE participant SET standing = 'reminder', display_name = 'Renamed' WHERE id = $1", world.protege.id
            )
            committed_at = model.now()
            await until(lambda: (model.fresh_as_of or 0) > committed_at, "a heartbeat sent after the commit")
            held = await model.one(admin, world.protege.id)
            assert held is not None and (held.standing, held.display_name) == ("reminder", "Renamed")
        finally:
            await elsewhere.close()


async def test_a_token_revoked_by_another_connection_is_forgotten_as_soon_as_it_is_heard(orm, world):
    if BACKEND != "postgres":
        return off_on_sqlite(orm)
    model, tokens = ReadModel(), TokenCache(ttl=3600)  # a cache that would trust the token for an hour
    token = await ApiToken.get(secret_hash=hash_secret(world.partner))
    principal = await authenticate(world.partner)
    assert principal is not None
    tokens.put(hash_secret(world.partner), principal)
    async with listening(orm, model, tokens):
        await until(model.trusted, "the first heartbeat")
        elsewhere = await other_session(orm)
        try:
            await elsewhere.execute("UPDATE api_token SET revoked_at = now() WHERE id = $1", token.id)
        finally:
            await elsewhere.close()
        await until(lambda: tokens.get(hash_secret(world.partner)) is None, "the revocation to be heard")


async def test_a_lost_connection_forgets_everything_until_the_listener_listens_again(orm, world):
    if BACKEND != "postgres":
        return off_on_sqlite(orm)
    model = ReadModel()
    admin = (await principals(world))["admin"]
    async with listening(orm, model, TokenCache()) as listener:
        await until(model.trusted, "the first heartbeat")
        await model.one(admin, world.protege.id)
        elsewhere = await other_session(orm)
        try:
            await elsewhere.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'NOTIFY standing_read_model%' "
                "AND pid <> pg_backend_pid()"
            )
            await until(lambda: model.fresh_as_of is None, "the model to forget")
            await elsewhere.execute("UPDATE participant SET standing = 'reminder' WHERE id = $1", world.protege.id)
        finally:
            await elsewhere.close()
        assert listener is not None
        await until(model.trusted, "the listener to listen again")
        held = await model.one(admin, world.protege.id)  # missed while away: read again from the database
        assert held is not None and held.standing == "reminder"


async def test_a_local_commit_is_read_from_the_database_until_a_later_heartbeat_returns(orm, world):
    if BACKEND != "postgres":
        return off_on_sqlite(orm)
    model = ReadModel()
    async with listening(orm, model, TokenCache()):
        await until(model.trusted, "the first heartbeat")
        async with transaction() as conn:
            await Participant.filter(id=world.protege.id).using_db(conn).update(standing="reminder")
        assert not model.trusted()  # at once: no heartbeat has been sent since the commit
        await until(model.trusted, "a heartbeat sent after the commit")
        assert model.wrote < (model.fresh_as_of or 0)
        admin = (await principals(world))["admin"]
        assert (await model.one(admin, world.protege.id)).standing == "reminder"  # type: ignore[union-attr]


REGISTER = (
    "mutation($p: RegisterParticipantInput!) { registerParticipant(input: $p) "
    "{ ... on ParticipantPayload { participant { id } } } }"
)


def model_check(base: str) -> str:
    return httpx.get(f"{base}/readyz", timeout=5).json()["checks"]["readModel"]


def test_two_served_processes_each_show_what_the_other_commits(database_url, admin_secret):
    """End to end, as deployed: two `standing serve` processes on one database. A change made through one is
    on its own next read, and on the other's within the bound; once shown, the old state never comes back."""
    headers = {"Authorization": f"Bearer {admin_secret}"}
    with serve(database_url) as (one, _), serve(database_url) as (other, _):
        expected = "current" if BACKEND == "postgres" else "off"
        for base in (one, other):
            wait_until(lambda b=base: model_check(b).startswith(expected), f"the read model to be {expected}", 10)
        variables = {"p": {"role": "PROTEGE", "displayName": "Pat", "email": "pat@example.org"}}
        created = httpx.post(f"{one}/graphql", json={"query": REGISTER, "variables": variables}, headers=headers)
        participant = created.json()["data"]["registerParticipant"]["participant"]["id"]
        read = request_by_hash(PARTICIPANT_STANDING, {"id": participant})

        def state(base: str) -> str:
            answer = httpx.post(f"{base}/graphql", json=read, headers=headers).json()
            return answer["data"]["participant"]["standing"]["state"]

        assert state(one) == state(other) == "GOOD"  # both now hold the newcomer
        reminder = {"query": SEND_REMINDER, "variables": {"id": participant}}
        assert httpx.post(f"{one}/graphql", json=reminder, headers=headers).json()["data"]["sendReminder"]
        assert state(one) == "REMINDER"  # its own next read
        wait_until(lambda: state(other) == "REMINDER", "the other process to show the change")
        assert all(state(base) == "REMINDER" for _ in range(10) for base in (one, other))
