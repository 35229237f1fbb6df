"""The API's read path as bench/api.py measures it: what each benchmarked query costs in SQL
statements, that its faster paths answer exactly what the general ones do, and the token cache's
revocation window.

SINGLE and PAGE are the benchmark's (a) and (b): bench/api.py imports them from tests/support/queries.py.
If one of these counts must change, docs/benchmarks.md changes with it.
"""

from __future__ import annotations

import asyncio

import pytest

from domain.access import tokens as access
from domain.access.principals import Principal, TokenRole
from domain.access.tokens import TOKEN_CACHE_SECONDS, TokenCache, hash_secret, revoke_token
from domain.models import ApiToken
from tests.support.queries import PAGE, SINGLE, VIEWER, crowd


async def count(gql, counter, query: str, variables: dict, token: str) -> tuple[int, dict]:
    counter.statements.clear()
    data = await gql.data(query, variables, token=token)
    return len(counter.statements), data


# --- statements per request -------------------------------------------------------------------------


async def test_one_participants_standing_costs_one_statement_once_the_token_is_known(gql, world, sql_counter):
    access.forget_tokens()
    variables = {"id": str(world.protege.id)}
    cold, data = await count(gql, sql_counter, SINGLE, variables, world.partner)
    assert cold == 2, sql_counter.statements  # the token, then the participant
    warm, again = await count(gql, sql_counter, SINGLE, variables, world.partner)
    assert warm == 1, sql_counter.statements  # the participant alone
    assert data == again
    assert data["participant"]["standing"]["state"] == "GOOD"
    assert data["participant"]["standing"]["since"] == world.protege.standing_since.isoformat()


async def test_a_page_costs_the_same_statements_whatever_its_size(gql, world, sql_counter):
    await crowd(gql, world, 100)
    access.forget_tokens()
    cold, _ = await count(gql, sql_counter, PAGE, {"first": 1}, world.partner)
    assert cold == 3, sql_counter.statements  # the token, the page, the page's badges
    one, _ = await count(gql, sql_counter, PAGE, {"first": 1}, world.partner)
    hundred, data = await count(gql, sql_counter, PAGE, {"first": 100}, world.partner)
    assert one == hundred == 2, sql_counter.statements
    assert len(data["participants"]["edges"]) == 100


async def test_a_page_without_badges_does_not_load_them(gql, world, sql_counter):
    await crowd(gql, world, 5)
    await gql.data(VIEWER, token=world.partner)  # the token is known from here on
    statements, _ = await count(
        gql, sql_counter, "{ participants(first: 10) { edges { node { id } } } }", {}, world.partner
    )
    assert statements == 1, sql_counter.statements


# --- the fast paths answer what the general ones do ---------------------------------------------------

BADGE_WITHOUT_EVIDENCE = "status since policyVersion evaluatedAt perks { priorityListing certificateUrl }"
BADGE_WITH_EVIDENCE = BADGE_WITHOUT_EVIDENCE + " criteria { key met value threshold windowStart windowEnd }"


@pytest.mark.parametrize("fields", [BADGE_WITHOUT_EVIDENCE, BADGE_WITH_EVIDENCE], ids=["summary", "evidence"])
async def test_badges_loaded_with_the_page_match_badges_loaded_one_by_one(gql, world, fields):
    await crowd(gql, world, 24)
    page = await gql.data(
        "{ participants(first: 100) { edges { node { id badge { " + fields + " } } } } }", token=world.admin
    )
    statuses, criteria = set(), 0
    for edge in page["participants"]["edges"]:
        alone = await gql.data(
            "query($id: ID!) { node(id: $id) { ... on Participant { badge { " + fields + " } } } }",
            {"id": edge["node"]["id"]},
            token=world.admin,
        )
        assert alone["node"]["badge"] == edge["node"]["badge"]
        statuses.add(edge["node"]["badge"]["status"])
        criteria += len(edge["node"]["badge"].get("criteria", []))
    assert statuses == {"NONE", "AWARDED", "REVOKED"}
    assert criteria == (6 if fields == BADGE_WITH_EVIDENCE else 0)


async def test_a_page_that_shows_no_evidence_does_not_read_it(gql, world, sql_counter):
    await crowd(gql, world, 8)
    await gql.data(VIEWER, token=world.partner)
    sql_counter.statements.clear()
    await gql.data("{ participants(first: 8) { edges { node { badge { status } } } } }", token=world.partner)
    badge_query = [s for s in sql_counter.statements if '"badge"' in s]
    assert len(badge_query) == 1 and '"criteria"' not in badge_query[0]
    sql_counter.statements.clear()
    await gql.data(
        "{ participants(first: 8) { edges { node { badge { advice { criterion } } } } } }", token=world.admin
    )
    badge_query = [s for s in sql_counter.statements if 'FROM "badge"' in s]
    assert len(badge_query) == 1 and '"criteria"' in badge_query[0]


async def test_badges_on_a_page_through_a_fragment_are_loaded_with_the_page(gql, world, sql_counter):
    await crowd(gql, world, 8)
    await gql.data(VIEWER, token=world.partner)
    query = """{ participants(first: 8) { ...page } }
      fragment page on ParticipantConnection { edges { node { ... on Participant { badge { status } } } } }"""
    statements, data = await count(gql, sql_counter, query, {}, world.partner)
    assert statements == 2, sql_counter.statements
    assert {e["node"]["badge"]["status"] for e in data["participants"]["edges"]} == {"NONE", "AWARDED", "REVOKED"}


FIELDS = """id role displayName timezone version profileVisible bookingNeedsApproval programReview createdAt email
  standing { state since suspendedUntil machine allowedEvents } organization { slug }"""
FULL = "query($id: ID!) { participant(id: $id) { " + FIELDS + " } }"


async def test_one_participant_read_answers_what_the_listing_does(gql, world):
    await crowd(gql, world, 6)
    listing = await gql.data("{ participants(first: 100) { edges { node { " + FIELDS + " } } } }", token=world.admin)
    assert len(listing["participants"]["edges"]) == 8
    for edge in listing["participants"]["edges"]:
        node = edge["node"]
        for token in (world.admin, world.partner):
            alone = (await gql.data(FULL, {"id": node["id"]}, token=token))["participant"]
            assert alone == (node if token == world.admin else {**node, "email": None})


@pytest.mark.parametrize("participant_id", ["2147483648", "99999999999999999999", "0"])
async def test_an_id_no_participant_can_have_is_null_not_an_error(gql, world, participant_id):
    assert (await gql.data(SINGLE, {"id": participant_id}, token=world.partner))["participant"] is None


async def test_a_participant_token_still_reads_only_itself(gql, world, sql_counter):
    await gql.data(VIEWER, token=world.protege_token)
    statements, data = await count(gql, sql_counter, SINGLE, {"id": str(world.mentor.id)}, world.protege_token)
    # The visibility rule is written once, as SQL: asking for someone else costs the same one statement.
    assert data["participant"] is None and statements == 1
    assert (await gql.data(SINGLE, {"id": str(world.protege.id)}, token=world.protege_token))["participant"]


# --- the token cache --------------------------------------------------------------------------------


def test_the_revocation_window_is_at_most_five_seconds():
    assert 0 < TOKEN_CACHE_SECONDS <= 5


@pytest.fixture
def fake_time(monkeypatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(access.TOKENS, "now", lambda: now[0])
    access.forget_tokens()
    yield now
    access.forget_tokens()


async def revoke_elsewhere(secret: str, world) -> None:
    """What `standing token revoke` in another process does: the row changes, this process is not told."""
    assert (
        await ApiToken.filter(secret_hash=hash_secret(secret), revoked_at=None).update(revoked_at=world.clock.now())
        == 1
    )


async def test_a_token_revoked_in_another_process_is_refused_once_the_cache_expires(gql, world, fake_time, sql_counter):
    assert (await gql.data(VIEWER, token=world.partner))["viewer"]["role"] == "PARTNER"
    await revoke_elsewhere(world.partner, world)
    # Within the window this process may still trust what it looked up...
    fake_time[0] += TOKEN_CACHE_SECONDS - 0.01
    assert (await gql.data(VIEWER, token=world.partner))["viewer"]["role"] == "PARTNER"
    # ...and once it has passed, the token is refused, on every later request too.
    fake_time[0] += 0.01
    for _ in range(2):
        body = await gql.execute(VIEWER, token=world.partner)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    # Other tokens are unaffected.
    assert (await gql.data(VIEWER, token=world.admin))["viewer"]["role"] == "ADMIN"


async def test_a_revoked_token_is_refused_within_the_window_in_real_time(gql, world, monkeypatch):
    monkeypatch.setattr(access.TOKENS, "ttl", 0.3)
    access.forget_tokens()
    assert (await gql.data(VIEWER, token=world.partner))["viewer"]["role"] == "PARTNER"
    await revoke_elsewhere(world.partner, world)
    await asyncio.sleep(0.35)
    body = await gql.execute(VIEWER, token=world.partner)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


async def test_revoking_in_this_process_takes_effect_at_once(gql, world, fake_time):
    assert (await gql.data(VIEWER, token=world.admin))["viewer"]["role"] == "ADMIN"
    row = await ApiToken.get(secret_hash=hash_secret(world.admin))
    assert await revoke_token(row.id, world.clock) is True
    body = await gql.execute(VIEWER, token=world.admin)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert (await gql.data(VIEWER, token=world.partner))["viewer"]["role"] == "PARTNER"


async def test_unknown_secrets_are_looked_up_every_time_and_never_cached(gql, world, fake_time, sql_counter):
    junk = "stk_" + "x" * 43
    for _ in range(3):
        sql_counter.statements.clear()
        body = await gql.execute(VIEWER, token=junk)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
        assert len(sql_counter.statements) == 1
    assert access.TOKENS.get(hash_secret(junk)) is None


def test_the_cache_keeps_at_most_maxsize_tokens_and_drops_the_oldest():
    now = [0.0]
    cache = TokenCache(ttl=5, maxsize=3, now=lambda: now[0])
    for i in range(5):
        cache.put(f"h{i}", Principal(i, TokenRole.PARTNER, 1))
    assert [cache.get(f"h{i}") is not None for i in range(5)] == [False, False, True, True, True]
    now[0] = 5.0
    assert cache.get("h4") is None


async def test_a_cached_token_keeps_its_role_and_organization(gql, world, fake_time):
    """The cache stores the principal as looked up; a participant token stays confined to itself."""
    for _ in range(2):
        viewer = (await gql.data("{ viewer { role participantId } }", token=world.protege_token))["viewer"]
        assert viewer == {"role": "PARTICIPANT", "participantId": str(world.protege.id)}
    assert access.TOKENS.get(hash_secret(world.protege_token)) == Principal(
        (await ApiToken.get(secret_hash=hash_secret(world.protege_token))).id,
        TokenRole.PARTICIPANT,
        world.org_id,
        world.protege.id,
    )


def test_entries_expire_after_the_ttl():
    now = [0.0]
    cache = TokenCache(ttl=5, now=lambda: now[0])
    cache.put("h", Principal(1, TokenRole.ADMIN, 1))
    now[0] = 4.99
    assert cache.get("h") is not None
    now[0] = 5.0
    assert cache.get("h") is None
