"""Partner subscriptions over real websockets, against real `standing serve` processes and Redis."""

from __future__ import annotations

import asyncio
import json
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
import websockets

from domain.infra import db
from domain.models import OutboxEvent
from schema.ids import parse_participant_id
from tests.support.live import ROOT, STANDING, PrivateRedis, cli, graphql, serve

SUBSCRIBE = """subscription($after: ID, $participantId: ID) {
  standingChanged(after: $after, participantId: $participantId) {
    cursor type participantId machine event fromState toState reasonCode occurredAt } }"""
REGISTER = """mutation($name: String!, $role: Role!) { registerParticipant(input: {role: $role, displayName: $name,
  email: "someone@example.org"}) { ... on ParticipantPayload { participant { id } } } }"""
EVENT = """mutation($id: ID!) { %s(input: {participantId: $id, reason: "test"}) { __typename } }"""


@pytest.fixture
def redis_server(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def admin_token(env) -> str:
    result = cli(["token", "create", "--role", "admin", "--org", "demo"], env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def partner_token(env) -> str:
    return cli(["token", "create", "--role", "partner", "--org", "demo"], env).stdout.strip().splitlines()[-1]


def register(base, token, name="Pat", role="PROTEGE") -> str:
    return graphql(base, token, REGISTER, {"name": name, "role": role})["registerParticipant"]["participant"]["id"]


class Subscriber:
    def __init__(self, ws):
        self.ws = ws

    @classmethod
    async def open(cls, base: str, token: str, **variables) -> Subscriber:
        ws = await websockets.connect(base.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"])
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE, "variables": variables}})
        )
        return cls(ws)

    async def take(self, count: int, timeout: float = 30) -> list[dict]:
        events = []
        while len(events) < count:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            assert message["type"] == "next", message
            events.append(message["payload"]["data"]["standingChanged"])
        return events

    async def close(self) -> None:
        await self.ws.close()


async def test_a_mutation_reaches_a_partners_subscription_without_contact_details(database_url, redis_server):
    with serve(database_url, STANDING_REDIS_URL=redis_server.url) as (base, env):
        admin, partner = admin_token(env), partner_token(env)
        pid = register(base, admin)
        subscriber = await Subscriber.open(base, partner, after="0")
        graphql(base, admin, EVENT % "sendReminder", {"id": pid})
        [event] = await subscriber.take(1)
        await subscriber.close()
    assert (event["type"], event["fromState"], event["toState"], event["reasonCode"]) == (
        "standing.changed",
        "GOOD",
        "REMINDER",
        "admin.send_reminder",
    )
    assert "email" not in json.dumps(event) and "example.org" not in json.dumps(event)


async def test_an_event_from_a_worker_job_in_another_process_reaches_the_subscriber(database_url, redis_server):
    with serve(database_url, STANDING_REDIS_URL=redis_server.url) as (base, env):
        admin = admin_token(env)
        mentor = register(base, admin, "Maya", "MENTOR")
        graphql(base, admin, EVENT % "issueNotice", {"id": mentor})
        subscriber = await Subscriber.open(base, admin, participantId=mentor)  # live only, from now
        until = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
        graphql(
            base,
            admin,
            'mutation($id: ID!, $u: DateTime!) { suspend(input: {participantId: $id, reason: "r", '
            "until: $u}) { __typename } }",
            {"id": mentor, "u": until},
        )
        worker = subprocess.Popen(
            STANDING + ["worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            suspended, lifted = await subscriber.take(2)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
            await subscriber.close()
    assert (suspended["event"], suspended["toState"]) == ("SUSPEND", "SUSPENDED")
    assert (lifted["event"], lifted["toState"], lifted["reasonCode"]) == (
        "LIFT_SUSPENSION",
        "FIRST_NOTICE",
        "suspension_ends",
    )


async def test_a_partner_that_reconnects_with_its_cursor_gets_exactly_what_it_missed(database_url, redis_server):
    with serve(database_url, STANDING_REDIS_URL=redis_server.url) as (base, env):
        admin, partner = admin_token(env), partner_token(env)
        pids = [register(base, admin, f"P{i}") for i in range(5)]
        subscriber = await Subscriber.open(base, partner, after="0")
        graphql(base, admin, EVENT % "sendReminder", {"id": pids[0]})
        graphql(base, admin, EVENT % "sendReminder", {"id": pids[1]})
        seen = await subscriber.take(2)
        await subscriber.close()  # offline for a while
        for pid in pids[2:]:
            graphql(base, admin, EVENT % "sendReminder", {"id": pid})
        subscriber = await Subscriber.open(base, partner, after=seen[-1]["cursor"])
        missed = await subscriber.take(3)
        graphql(base, admin, EVENT % "approveReschedule", {"id": pids[0]})
        [live] = await subscriber.take(1)
        await subscriber.close()
    assert [int(e["participantId"]) for e in missed] == [parse_participant_id(p) for p in pids[2:]]
    assert len({e["cursor"] for e in seen + missed + [live]}) == 6
    assert [int(e["cursor"]) for e in missed] == sorted(int(e["cursor"]) for e in missed)
    assert int(missed[0]["cursor"]) > int(seen[-1]["cursor"]) and live["event"] == "APPROVE_RESCHEDULE"


async def test_killing_the_relay_and_restarting_redis_midstream_loses_nothing(database_url, redis_server):
    with serve(database_url, STANDING_REDIS_URL=redis_server.url) as (base_a, env):
        admin, partner = admin_token(env), partner_token(env)
        pids = [register(base_a, admin, f"P{i}") for i in range(12)]
        subscriber = await Subscriber.open(base_a, partner, after="0")
        with serve(database_url, STANDING_REDIS_URL=redis_server.url) as (base_b, _):
            for pid in pids[:4]:
                graphql(base_b, admin, EVENT % "sendReminder", {"id": pid})
        # server B (possibly the leading relay) is gone; now Redis goes away and comes back
        redis_server.stop()
        for pid in pids[4:8]:
            graphql(base_a, admin, EVENT % "sendReminder", {"id": pid})
        redis_server.start()
        for pid in pids[8:]:
            graphql(base_a, admin, EVENT % "sendReminder", {"id": pid})
        delivered = await subscriber.take(12)
        await subscriber.close()

    async def committed() -> list[int]:
        await db.connect(database_url)
        try:
            return list(await OutboxEvent.filter(type="standing.changed").order_by("id").values_list("id", flat=True))
        finally:
            await db.disconnect()

    assert [int(e["cursor"]) for e in delivered] == await committed()
