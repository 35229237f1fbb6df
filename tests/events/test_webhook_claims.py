"""Webhook claims belong to their delivery run: a run that lasts past its lease keeps them while it lives, runs
started meanwhile never post its deliveries a second time, and a slow receiver gets deliveries side by side."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from domain.events.outbox import STANDING_CHANGED, NewEvent, record
from domain.events.policy import WEBHOOK_POLICY
from domain.events.webhooks import deliver_due, register_webhook
from domain.infra.db import transaction
from domain.models import WebhookDelivery
from tests.support.live import free_port
from tests.support.live import until as live_until

SOON = 30.0  # wall seconds a step may take before the test fails


class SlowReceiver:
    """A real HTTP endpoint on loopback that takes `delay` seconds per request (or waits for `gate`), and counts
    the requests it has in hand at once."""

    def __init__(self) -> None:
        self.delay = 0.0
        self.gate: threading.Event | None = None  # the first request waits until it is set
        self.event_ids: list[str] = []
        self.at_once = self.most_at_once = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                with receiver._lock:
                    first = not receiver.event_ids
                    receiver.event_ids.append(self.headers["Standing-Event-Id"])
                    receiver.at_once += 1
                    receiver.most_at_once = max(receiver.most_at_once, receiver.at_once)
                if first and receiver.gate is not None:
                    receiver.gate.wait(SOON)
                time.sleep(receiver.delay)  # the receiver's own work, on its own threads
                with receiver._lock:
                    receiver.at_once -= 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/standing"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        if self.gate is not None:
            self.gate.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(monkeypatch) -> Iterator[SlowReceiver]:
    monkeypatch.setenv("STANDING_WEBHOOKS_ALLOW_LOOPBACK", "true")
    r = SlowReceiver()
    yield r
    r.close()


async def backlog(world, clock, count: int) -> None:
    """`count` committed standing events of the world's organization, as a burst of changes leaves them."""
    async with transaction():
        await record(
            [
                NewEvent(STANDING_CHANGED, world.org_id, world.mentor.id, "test.backlog", clock.now())
                for _ in range(count)
            ]
        )


async def until(check: Callable[[], object], what: str) -> None:
    await live_until(check, what, SOON)


async def test_a_run_lasting_past_its_lease_keeps_its_claim_and_the_next_run_leaves_it_alone(world, clock, receiver):
    await register_webhook(organization_id=world.org_id, url=receiver.url, event_types=[STANDING_CHANGED], clock=clock)
    await backlog(world, clock, 1)
    receiver.gate = threading.Event()
    first = asyncio.create_task(deliver_due(clock, renew_every=0.01))
    await until(lambda: receiver.event_ids, "the first run's POST")
    clock.advance(2 * WEBHOOK_POLICY.claim_lease)  # the receiver is slow: the run has now lasted past its lease

    async def renewed() -> bool:
        delivery = await WebhookDelivery.get()
        return delivery.claimed_until is not None and delivery.claimed_until > clock.now()

    await until(renewed, "the living run to renew its claim")
    second = await deliver_due(clock)  # the next job, another worker or the minute sweep
    assert second.attempted == 0
    receiver.gate.set()
    assert (await first).delivered == 1
    assert len(receiver.event_ids) == 1
    delivery = await WebhookDelivery.get()
    assert (delivery.status, delivery.attempts, delivery.claimed_by) == ("delivered", 1, None)


async def test_a_claim_of_a_run_that_died_lapses_and_the_next_run_sends_it(world, clock, receiver):
    await register_webhook(organization_id=world.org_id, url=receiver.url, event_types=[STANDING_CHANGED], clock=clock)
    await backlog(world, clock, 1)
    await WebhookDelivery.all().update(
        status="sending", claimed_by="a-dead-run", claimed_until=clock.now() + WEBHOOK_POLICY.claim_lease
    )
    assert (await deliver_due(clock)).attempted == 0  # its lease still holds: that run may yet answer
    clock.advance(WEBHOOK_POLICY.claim_lease)
    assert (await deliver_due(clock)).delivered == 1  # it never renewed: the delivery is sent
    assert len(receiver.event_ids) == 1


async def test_120_events_to_a_slow_receiver_arrive_exactly_once_each_and_side_by_side(world, clock, receiver):
    """Three runs at once (three workers), more started while they work (the job re-enqueued, the minute sweep),
    and the clock moving a quarter lease every 0.2 s: every event arrives once, and the receiver has several in hand
    at once (how fast that is, bench/webhook_lag.py measures)."""
    await register_webhook(organization_id=world.org_id, url=receiver.url, event_types=[STANDING_CHANGED], clock=clock)
    await backlog(world, clock, 120)
    receiver.delay = 0.2
    workers = [asyncio.create_task(deliver_due(clock, renew_every=0.05)) for _ in range(3)]
    runs = list(workers)
    while not all(run.done() for run in workers) and len(runs) < 3 + 10:  # the runs started meanwhile too
        await asyncio.sleep(0.2)  # wall time passes; the domain clock moves with it, faster
        clock.advance(WEBHOOK_POLICY.claim_lease / 4)  # a run renews every 0.05 s: lapsing takes 0.8 s of starvation
        runs.append(asyncio.create_task(deliver_due(clock, renew_every=0.05)))
    results = await asyncio.gather(*runs)
    assert len(receiver.event_ids) == 120 and len(set(receiver.event_ids)) == 120
    assert sum(r.delivered for r in results) == 120
    assert await WebhookDelivery.filter(status="delivered").count() == 120
    assert 1 < receiver.most_at_once <= len(runs) * WEBHOOK_POLICY.concurrency_per_endpoint  # a bound per run


async def test_an_endpoint_that_fails_gets_one_delivery_at_a_time(world, clock, receiver):
    """Until an endpoint accepts one in this run, and again after a failure, it has one delivery in flight."""
    await register_webhook(organization_id=world.org_id, url=receiver.url, event_types=[STANDING_CHANGED], clock=clock)
    await backlog(world, clock, 6)
    in_hand = most = 0

    async def failing(url: str, body: bytes, headers: dict[str, str]) -> int:
        nonlocal in_hand, most
        in_hand += 1
        most = max(most, in_hand)
        await asyncio.sleep(0.01)
        in_hand -= 1
        return 503

    run = await deliver_due(clock, failing)
    assert run.attempted == WEBHOOK_POLICY.max_consecutive_failures and most == 1  # then it was disabled
    assert await WebhookDelivery.filter(status="pending", attempts=0).count() == 6 - run.attempted
