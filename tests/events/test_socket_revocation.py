"""Against a real `standing serve`: revoking a token ends the websockets it opened (close code 4403) within
the token cache's bound, and one token holds at most 20 subscriptions across all its sockets."""

from __future__ import annotations

import asyncio
import json
import re
import time

import httpx
import websockets

from tests.support.live import cli, serve

SUBSCRIBE = 'subscription { standingChanged(after: "0") { cursor } }'  # replays the one event: a sign it is live


def partner(env) -> tuple[int, str]:
    result = cli(["token", "create", "--role", "partner", "--org", "demo"], env)
    assert result.returncode == 0, result.stderr
    token_id = int(re.search(r"token #(\d+)", result.stdout).group(1))
    return token_id, result.stdout.strip().splitlines()[-1]


async def connect(base: str, token: str):
    ws = await websockets.connect(base.replace("http", "ws") + "/graphql", subprotocols=["graphql-transport-ws"])
    await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    return ws


async def subscribe(ws, sub_id: str) -> None:
    await ws.send(json.dumps({"id": sub_id, "type": "subscribe", "payload": {"query": SUBSCRIBE}}))


async def live(ws, sub_id: str) -> dict:
    """Subscribe and wait for the replayed event, or the refusal: either way the server has decided."""
    await subscribe(ws, sub_id)
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
        if message.get("id") == sub_id:
            return message


def one_event(base, env) -> None:
    admin = cli(["token", "create", "--role", "admin", "--org", "demo"], env).stdout.strip().splitlines()[-1]
    body = httpx.post(
        f"{base}/graphql",
        headers={"Authorization": f"Bearer {admin}"},
        json={
            "query": (
                'mutation { registerParticipant(input: {role: PROTEGE, displayName: "Pat", email: "pat@example.org"}) '
                "{ ... on ParticipantPayload { participant { id } } } }"
            )
        },
        timeout=10,
    ).json()
    pid = body["data"]["registerParticipant"]["participant"]["id"]
    httpx.post(
        f"{base}/graphql",
        headers={"Authorization": f"Bearer {admin}"},
        json={
            "query": 'mutation($id: ID!) { sendReminder(input: {participantId: $id, reason: "r"}) { __typename } }',
            "variables": {"id": pid},
        },
        timeout=10,
    )


async def test_revoking_a_token_closes_its_open_sockets_within_five_seconds(database_url):
    with serve(database_url) as (base, env):
        one_event(base, env)
        token_id, secret = partner(env)
        sockets = [await connect(base, secret) for _ in range(2)]
        for ws in sockets:
            await subscribe(ws, "1")
        for ws in sockets:
            await ws.recv()  # the replayed event: the subscription is live on the server's side
        revoked_at = time.monotonic()
        assert cli(["token", "revoke", str(token_id)], env).returncode == 0  # another process revokes it
        for ws in sockets:
            try:
                while True:
                    await asyncio.wait_for(ws.recv(), timeout=10)
            except websockets.ConnectionClosed as closed:
                assert closed.rcvd is not None and closed.rcvd.code == 4403
        assert time.monotonic() - revoked_at <= 5.5
        other_id, other = partner(env)
        still_open = await connect(base, other)  # another token's socket is untouched
        await still_open.close()


async def test_one_token_holds_at_most_twenty_subscriptions_across_its_sockets(database_url):
    with serve(database_url) as (base, env):
        one_event(base, env)
        _, secret = partner(env)
        first, second = await connect(base, secret), await connect(base, secret)
        for i in range(10):
            assert (await live(first, f"a{i}"))["payload"]["data"] is not None
            assert (await live(second, f"b{i}"))["payload"]["data"] is not None
        message = await live(second, "one-too-many")
        assert message["type"] == "next" and message["payload"]["data"] is None
        assert message["payload"]["errors"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
        await first.close()  # its ten are given back once the server sees the socket go
        third = await connect(base, secret)
        answers = [await live(third, "again0")]
        deadline = time.monotonic() + 10
        while answers[-1]["payload"]["data"] is None and time.monotonic() < deadline:
            answers.append(await live(third, f"again{len(answers)}"))
        assert answers[-1]["payload"]["data"] is not None
        await second.close()
        await third.close()
