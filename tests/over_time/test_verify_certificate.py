"""`verifyCertificate(code)` answers anyone, with no token and no contact details: the name, the organization's
display name, the badge date, whether it is still held, and "in good standing on <date>" from the log's replay.
Once the badge is revoked it says so; an unknown or malformed code is a NotFoundError, never an error."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.activity.acting import Acting
from domain.kernel.actors import Actor
from domain.models import BadgeRecord, Organization
from domain.standing.apply import StandingCommand, apply_event
from tests.support.activity import exemplary_pair

VERIFY = """
query($code: String!) {
  verifyCertificate(code: $code) {
    __typename
    ... on CertificateVerification {
      code name organizationName role awardedAt badgeStatus stillHeld inGoodStanding checkedAt statement
    }
    ... on NotFoundError { message entity }
  }
}
"""

BADGE_AT = """
query($id: ID!, $at: DateTime!) {
  participant(id: $id) { standingAt(at: $at) { ... on StandingAt { state badge { status held } } } }
}
"""


@pytest.fixture
async def awarded(world, clock) -> BadgeRecord:
    await Organization.filter(id=world.org_id).update(name="Côte Mentoring")
    await exemplary_pair(Acting(world.org_id), world.mentor, world.protege, clock)
    record = await BadgeRecord.get(participant_id=world.protege.id)
    assert record.state == "awarded" and record.certificate_code
    return record


async def test_verify_certificate_needs_no_token_and_says_when_the_badge_is_no_longer_held(gql, world, clock, awarded):
    code = awarded.certificate_code
    held = (await gql.data(VERIFY, {"code": code}))["verifyCertificate"]  # no token at all
    day = f"{clock.now().day} {clock.now():%B %Y}"
    assert held == {
        "__typename": "CertificateVerification",
        "code": code,
        "name": "Pat Protege",
        "organizationName": "Côte Mentoring",
        "role": "PROTEGE",
        "awardedAt": awarded.awarded_at.isoformat(),
        "badgeStatus": "AWARDED",
        "stillHeld": True,
        "inGoodStanding": True,
        "checkedAt": clock.now().isoformat(),
        "statement": f"in good standing on {day}",
    }
    assert world.protege.email not in str(held) and "@" not in str(held)

    clock.advance(timedelta(days=1))
    await apply_event(StandingCommand(world.protege.id, "mark_ineligible", Actor.admin(1), "review"), clock=clock)
    revoked = (await gql.data(VERIFY, {"code": code}))["verifyCertificate"]
    assert (revoked["badgeStatus"], revoked["stillHeld"], revoked["inGoodStanding"]) == ("REVOKED", False, False)
    assert revoked["statement"].startswith("not in good standing on ")
    assert revoked["awardedAt"] == awarded.awarded_at.isoformat()  # the badge date stays what it was

    # The same replay, asked for the moment before the revocation, still finds the badge held.
    variables = {"id": str(world.protege.id), "at": (clock.now() - timedelta(seconds=1)).isoformat()}
    earlier = (await gql.data(BADGE_AT, variables, token=world.admin))["participant"]["standingAt"]
    assert earlier == {"state": "GOOD", "badge": {"status": "AWARDED", "held": True}}
    variables["at"] = clock.now().isoformat()
    now = (await gql.data(BADGE_AT, variables, token=world.admin))["participant"]["standingAt"]
    assert now == {"state": "INELIGIBLE", "badge": {"status": "REVOKED", "held": False}}


@pytest.mark.parametrize("code", ["0000000000000000", "not-a-code", "", "x" * 200, "0123456789abcdef0"])
async def test_an_unknown_or_malformed_code_is_not_found(gql, world, code):
    answer = (await gql.data(VERIFY, {"code": code}))["verifyCertificate"]
    assert answer["__typename"] == "NotFoundError" and answer["entity"] == "Certificate"


async def test_only_verify_certificate_answers_without_a_token(gql, world):
    body = await gql.execute('{ participant(id: "1") { displayName } }')
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
