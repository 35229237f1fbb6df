"""Retries with an Idempotency-Key: the same mutation sent twice has one effect and one answer; the same key
with another request is refused (422); two at once still have one effect; a key lapses after 24 hours."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from domain.models import CommunityAttendance, ExcusedLeave, IdempotencyKey, Message, Participant, WebhookEndpoint

REGISTER = """mutation($name: String!) { registerParticipant(input: {role: MENTOR, displayName: $name,
  email: "ada@example.org"}) { __typename ... on ParticipantPayload { participant { id } } } }"""


async def post(gql, query: str, variables: dict, token: str, key: str | None, **headers: str):
    if key is not None:
        headers["Idempotency-Key"] = key
    return await gql.http.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}", **headers},
    )


@pytest.fixture
def mutations(world):
    """Each mutation the retry problem was found with, and the rows that count its effect."""
    m, p = world.mentor.id, world.protege.id
    return {
        "registerParticipant": (REGISTER, {"name": "Ada"}, lambda: Participant.filter(display_name="Ada").count()),
        "sendMessage": (
            'mutation { sendMessage(senderId: "%s", recipientId: "%s") { __typename } }' % (p, m),
            {},
            lambda: Message.all().count(),
        ),
        "recordCommunityEvent": (
            'mutation { recordCommunityEvent(participantId: "%s", kind: WEBINAR, title: "CV clinic") '
            "{ __typename } }" % p,
            {},
            lambda: CommunityAttendance.all().count(),
        ),
        "registerWebhook": (
            'mutation { registerWebhook(url: "http://127.0.0.1:9/hooks/standing") { __typename } }',
            {},
            lambda: WebhookEndpoint.all().count(),
        ),
        "grantLeave": (
            'mutation { grantLeave(participantId: "%s", startsAt: "2026-02-01T00:00:00Z", '
            'endsAt: "2026-02-08T00:00:00Z", reason: "Exams") { __typename } }' % m,
            {},
            lambda: ExcusedLeave.all().count(),
        ),
    }


@pytest.mark.parametrize(
    "name", ["registerParticipant", "sendMessage", "recordCommunityEvent", "registerWebhook", "grantLeave"]
)
async def test_a_retried_mutation_has_one_effect_and_the_first_answer(gql, world, mutations, name, monkeypatch):
    monkeypatch.setenv("STANDING_WEBHOOKS_ALLOW_LOOPBACK", "true")
    query, variables, effects = mutations[name]
    before = await effects()
    first = await post(gql, query, variables, world.admin, "retry-1")
    again = await post(gql, query, variables, world.admin, "retry-1")
    assert first.status_code == again.status_code == 200
    assert "errors" not in first.json() and "Error" not in str(first.json()), first.json()
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert again.headers["content-type"] == first.headers["content-type"]
    assert await effects() == before + 1
    other = await post(gql, query, variables, world.admin, "retry-2")  # a new key is a new request
    assert other.status_code == 200 and "Idempotent-Replayed" not in other.headers
    assert await effects() == before + 2


async def test_without_a_key_a_retry_is_a_second_request(gql, world):
    await post(gql, REGISTER, {"name": "Ada"}, world.admin, None)
    await post(gql, REGISTER, {"name": "Ada"}, world.admin, None)
    assert await Participant.filter(display_name="Ada").count() == 2
    assert await IdempotencyKey.all().count() == 0


async def test_the_same_key_with_another_request_is_refused_and_changes_nothing(gql, world):
    await post(gql, REGISTER, {"name": "Ada"}, world.admin, "k")
    reused = await post(gql, REGISTER, {"name": "Grace"}, world.admin, "k")
    assert reused.status_code == 422
    error = reused.json()["errors"][0]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED" and "registerParticipant" in error["message"]
    assert await Participant.filter(display_name="Grace").count() == 0


async def test_the_body_is_compared_as_json_not_as_bytes(gql, world):
    await post(gql, REGISTER, {"name": "Ada"}, world.admin, '"quoted-key"')  # the draft's sf-string form
    respaced = await gql.http.post(
        "/graphql",
        content=b'{ "variables": {"name": "Ada"},   "query": ' + _json_string(REGISTER) + b"}",
        headers={
            "Authorization": f"Bearer {world.admin}",
            "Idempotency-Key": "quoted-key",
            "Content-Type": "application/json",
        },
    )
    assert respaced.status_code == 200 and respaced.headers["Idempotent-Replayed"] == "true"
    assert await Participant.filter(display_name="Ada").count() == 1


def _json_string(text: str) -> bytes:
    return json.dumps(text).encode()


async def test_keys_belong_to_their_token(gql, world):
    """Another organization's admin with the same key is another client: its own request, its own effect."""
    await post(gql, REGISTER, {"name": "Ada"}, world.admin, "shared")
    theirs = await post(gql, REGISTER, {"name": "Ada"}, world.other_admin, "shared")
    assert "Idempotent-Replayed" not in theirs.headers
    assert await Participant.filter(display_name="Ada").count() == 2


async def test_two_requests_with_one_key_at_once_have_one_effect(gql, world):
    answers = await asyncio.gather(*(post(gql, REGISTER, {"name": "Ada"}, world.admin, "race") for _ in range(5)))
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1
    assert await Participant.filter(display_name="Ada").count() == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 4


async def test_a_refused_mutation_is_kept_too(gql, world):
    """A typed refusal is an answer: the retry gets it again, and nothing was created either time."""
    bad = REGISTER.replace('"ada@example.org"', '"not an email"')
    first = await post(gql, bad, {"name": "Ada"}, world.admin, "bad")
    again = await post(gql, bad, {"name": "Ada"}, world.admin, "bad")
    assert "InvalidInputError" in first.text and again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await Participant.filter(display_name="Ada").count() == 0


async def test_a_key_lasts_24_hours(gql, world, clock):
    await post(gql, REGISTER, {"name": "Ada"}, world.admin, "daily")
    clock.advance(timedelta(hours=23, minutes=59))
    assert (await post(gql, REGISTER, {"name": "Ada"}, world.admin, "daily")).headers["Idempotent-Replayed"] == "true"
    clock.advance(timedelta(minutes=2))
    later = await post(gql, REGISTER, {"name": "Ada"}, world.admin, "daily")
    assert "Idempotent-Replayed" not in later.headers
    assert await Participant.filter(display_name="Ada").count() == 2


async def test_nightly_purge_removes_expired_keys(world, clock):
    from domain.access.idempotency import KEY_LIFETIME, purge_expired_keys

    await IdempotencyKey.create(
        token_id=1,
        key="old",
        fingerprint="f",
        operation="mutation: x",
        status_code=200,
        media_type="application/json",
        body="{}",
        created_at=clock.now(),
        expires_at=clock.now() + KEY_LIFETIME,
    )
    assert await purge_expired_keys(clock) == 0
    clock.advance(KEY_LIFETIME)
    assert await purge_expired_keys(clock) == 1 and await IdempotencyKey.all().count() == 0


@pytest.mark.parametrize("key", ["", " ", "x" * 256, "clé"])
async def test_a_malformed_key_is_refused_before_anything_runs(gql, world, key):
    answer = await gql.http.post(
        "/graphql",
        json={"query": REGISTER, "variables": {"name": "Ada"}},
        headers={"Authorization": f"Bearer {world.admin}", "Idempotency-Key": key.encode()},
    )
    assert answer.status_code == 400 and answer.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_INVALID"
    assert await Participant.filter(display_name="Ada").count() == 0


async def test_a_query_with_a_key_is_answered_as_usual(gql, world):
    answer = await post(gql, "{ __typename }", {}, world.admin, "q")
    assert answer.status_code == 200 and answer.json() == {"data": {"__typename": "Query"}}
    assert await IdempotencyKey.all().count() == 0
