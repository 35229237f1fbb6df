"""A downloaded certificate names the organization as it calls itself, prints the criteria in force with its
overrides, and links to /certificates/verify/<code>: a public page that shows the facts of verify_certificate
and nothing more, and says so when the badge is no longer held."""

from __future__ import annotations

import io

import pypdf
import pytest

from domain.activity.acting import Acting
from domain.badges.verification import verify_certificate
from domain.kernel.actors import Actor
from domain.kernel.roles import Role
from domain.models import BadgeRecord, Organization
from domain.standing.apply import StandingCommand, apply_event
from tests.support.activity import exemplary_pair

ORGANIZATION = "Université Côte d'Azur — Mentoring"


@pytest.fixture
async def awarded(world, clock) -> BadgeRecord:
    """Pat Protege, renamed Nguyễn Thị Minh Khai, holds an awarded badge in an organization with an override."""
    await Organization.filter(id=world.org_id).update(
        name=ORGANIZATION, policy_overrides={"protege": {"session_attendance": {"threshold": 2, "window_days": 90}}}
    )
    world.protege.display_name = "Nguyễn Thị Minh Khai"
    await world.protege.save(update_fields=["display_name"])
    await exemplary_pair(Acting(world.org_id), world.mentor, world.protege, clock)
    record = await BadgeRecord.get(participant_id=world.protege.id)
    assert record.state == "awarded" and record.certificate_code
    return record


async def test_the_download_names_the_organization_prints_the_overrides_and_links_to_its_verification(
    gql, world, awarded
):
    response = await gql.http.get(
        f"/certificates/{awarded.certificate_code}.pdf", headers={"Authorization": f"Bearer {world.protege_token}"}
    )
    assert response.status_code == 200
    page = pypdf.PdfReader(io.BytesIO(response.content)).pages[0]
    text = " ".join(page.extract_text().split())
    assert "Nguyễn Thị Minh Khai" in text and f"at {ORGANIZATION}, awarded on" in text
    assert "demo" not in text  # the slug never shows
    assert f"Attend at least 2 sessions over 90 days. (as set by {ORGANIZATION})" in text
    assert "Submit session feedback for at least 2 sessions." in text  # the Code's own criteria too
    verify_url = f"http://standing.test/certificates/verify/{awarded.certificate_code}"
    assert verify_url in text
    assert [a.get_object()["/A"]["/URI"] for a in page["/Annots"]] == [verify_url]
    assert (await gql.http.get(verify_url.removeprefix("http://standing.test"))).status_code == 200


async def test_verification_gives_the_public_facts_and_no_contact_details(world, awarded, clock):
    facts = await verify_certificate(awarded.certificate_code)
    assert facts is not None
    assert (facts.name, facts.organization_name, facts.role) == ("Nguyễn Thị Minh Khai", ORGANIZATION, Role.PROTEGE)
    assert facts.awarded_at == awarded.awarded_at and facts.still_held and facts.in_good_standing
    assert world.protege.email not in repr(facts)


async def test_the_public_page_needs_no_token_and_shows_the_same_facts(gql, world, awarded, clock):
    response = await gql.http.get(f"/certificates/verify/{awarded.certificate_code}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "Verified: the badge is still held" in html
    for fact in ("Nguyễn Thị Minh Khai", "Université Côte d&#x27;Azur — Mentoring", "Protégé Accountability Badge"):
        assert fact in html
    awarded_on = f"{awarded.awarded_at.day} {awarded.awarded_at:%B %Y}"
    assert f"<dt>Awarded on</dt><dd>{awarded_on}</dd>" in html
    today = clock.now()
    assert f"<dt>In good standing on {today.day} {today:%B %Y}</dt><dd>Yes</dd>" in html
    assert world.protege.email not in html and "@" not in html
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy  # the page runs no script at all
    assert response.headers["cache-control"] == "no-store"


async def test_once_the_badge_is_revoked_the_page_says_it_is_no_longer_held(gql, world, awarded, clock):
    await apply_event(
        StandingCommand(world.protege.id, "mark_ineligible", Actor.admin(1), "program review"), clock=clock
    )
    facts = await verify_certificate(awarded.certificate_code)
    assert facts is not None and not facts.still_held and not facts.in_good_standing
    assert facts.badge_status == "revoked"
    html = (await gql.http.get(f"/certificates/verify/{awarded.certificate_code}")).text
    assert "This badge is no longer held" in html and "still held" not in html
    assert "<dd>No longer held</dd>" in html and "</dt><dd>No</dd>" in html


@pytest.mark.parametrize("code", ["0000000000000000", "not-a-code", "ABCDEF", "0123456789abcdef0"])
async def test_an_unknown_code_verifies_nothing(gql, code):
    assert await verify_certificate(code) is None
    response = await gql.http.get(f"/certificates/verify/{code}")
    assert response.status_code == 404 and "No such certificate" in response.text
