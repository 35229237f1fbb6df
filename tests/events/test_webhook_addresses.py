"""Webhooks reach public addresses only: loopback, private, link-local and metadata addresses are refused at
registration and again at delivery, after DNS resolution, against a real `standing serve` too."""

from __future__ import annotations

import ipaddress

import httpx
import pytest

from domain.events import addresses
from domain.events.addresses import AddressRefused, resolve, why_refused
from domain.events.webhooks import deliver_due, register_webhook
from domain.kernel.actors import Actor
from domain.models import WebhookAttempt, WebhookEndpoint
from domain.standing.apply import StandingCommand, apply_event
from tests.support.live import cli, serve

INTERNAL = [
    "http://127.0.0.1:8080/hook",
    "http://[::1]:9000/x",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/hook",
    "http://192.168.1.10/hook",
    "http://172.16.0.1/hook",
    "http://100.64.0.1/hook",
    "http://0.0.0.0/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fd00:ec2::254]/hook",
    "http://224.0.0.1/hook",
    "http://localhost:8000/hook",
]


@pytest.fixture(autouse=True)
def no_loopback(monkeypatch):
    monkeypatch.delenv("STANDING_WEBHOOKS_ALLOW_LOOPBACK", raising=False)


@pytest.mark.parametrize("url", INTERNAL)
async def test_registering_an_internal_address_is_refused(world, clock, url):
    result = await register_webhook(organization_id=world.org_id, url=url, event_types=[], clock=clock)
    assert type(result).__name__ == "InvalidInput" and result.field == "url", result
    assert await WebhookEndpoint.all().count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://user:pw@example.org/x",
        "ftp://example.org/x",
        "http://exa mple.org/",
        "http://example.org:notaport/",
        "http://example.org/\x00",
        "http://" + "a" * 2100,
    ],
)
async def test_malformed_urls_are_refused_with_a_reason(world, clock, url):
    result = await register_webhook(organization_id=world.org_id, url=url, event_types=[], clock=clock)
    assert type(result).__name__ == "InvalidInput" and result.field == "url"


async def test_a_public_name_is_accepted_and_a_name_that_resolves_inside_is_refused(world, clock, monkeypatch):
    async def lookup(host, port):
        return [ipaddress.ip_address({"partner.example": "93.184.216.34", "rebind.example": "127.0.0.1"}[host])]

    monkeypatch.setattr(addresses, "_lookup", lookup)
    ok = await register_webhook(
        organization_id=world.org_id, url="https://partner.example/hook", event_types=[], clock=clock
    )
    assert type(ok).__name__ == "Registered"
    refused = await register_webhook(
        organization_id=world.org_id, url="https://rebind.example/hook", event_types=[], clock=clock
    )
    assert "resolves to 127.0.0.1" in refused.problem


async def test_a_name_that_starts_resolving_inside_after_registration_is_refused_at_delivery(world, clock, monkeypatch):
    answers = {"partner.example": "93.184.216.34"}

    async def lookup(host, port):
        return [ipaddress.ip_address(answers[host])]

    monkeypatch.setattr(addresses, "_lookup", lookup)
    await register_webhook(
        organization_id=world.org_id, url="http://partner.example/hook", event_types=["standing.changed"], clock=clock
    )
    await apply_event(StandingCommand(world.mentor.id, "issue_notice", Actor.admin(1), "late"), clock=clock)
    answers["partner.example"] = "169.254.169.254"  # DNS rebinding after registration
    run = await deliver_due(clock)  # the real HTTP poster: it resolves and checks before connecting
    assert run.attempted == 1 and run.delivered == 0
    attempt = await WebhookAttempt.get()
    assert attempt.status_code is None and "link-local" in attempt.error


def test_loopback_is_allowed_only_by_the_explicit_setting():
    loopback = ipaddress.ip_address("127.0.0.1")
    assert why_refused(loopback, allow_loopback=False) is not None
    assert why_refused(loopback, allow_loopback=True) is None
    assert why_refused(ipaddress.ip_address("169.254.169.254"), allow_loopback=True) is not None
    assert why_refused(ipaddress.ip_address("10.1.2.3"), allow_loopback=True) is not None


async def test_the_pinned_url_connects_to_the_checked_address():
    destination = await resolve("https://93.184.216.34:8443/hook?x=1")
    assert destination.pinned_url == "https://93.184.216.34:8443/hook?x=1"
    with pytest.raises(AddressRefused):
        await resolve("http://127.0.0.1/", allow_loopback=False)


def test_a_live_server_refuses_to_register_its_own_loopback(database_url):
    with serve(database_url) as (base, env):  # the development setting is off
        token = cli(["token", "create", "--role", "admin", "--org", "demo"], env).stdout.strip().splitlines()[-1]
        for url in (f"{base}/graphql", "http://169.254.169.254/latest/meta-data/", "http://[::1]:6379/"):
            body = httpx.post(
                f"{base}/graphql",
                headers={"Authorization": f"Bearer {token}"},
                json={
                    "query": "mutation($u: String!) { registerWebhook(url: $u) { __typename ... on UserError { message } } }",
                    "variables": {"u": url},
                },
                timeout=10,
            ).json()
            assert body["data"]["registerWebhook"]["__typename"] == "InvalidInputError", body
