"""Running a Hypothesis state machine against the real GraphQL API: the test owns an event loop, since
Hypothesis rules are synchronous, and every request runs on it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from domain.infra import db
from domain.infra.config import Settings
from domain.kernel.clock import FixedClock
from schema.app import create_app


@dataclass
class LoopClient:
    loop: asyncio.AbstractEventLoop
    http: httpx.AsyncClient
    clock: FixedClock

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    def post(self, query: str, variables: dict[str, Any], token: str) -> dict:
        response = self.run(
            self.http.post(
                "/graphql", json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
            )
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]


@contextmanager
def api_on_a_loop(database_url: str, start: datetime) -> Iterator[LoopClient]:
    loop = asyncio.new_event_loop()
    loop.run_until_complete(db.connect(database_url))
    clock = FixedClock(start)
    app = create_app(Settings(database_url=database_url), clock=clock, manage_database=False)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://standing.test")
    try:
        yield LoopClient(loop, http, clock)
    finally:
        loop.run_until_complete(http.aclose())
        loop.run_until_complete(db.disconnect())
        loop.close()


def run_in(client: LoopClient, make: Callable[[], Any]) -> Any:
    """Run a coroutine factory on the client's loop (for setup written with the domain's async API)."""
    return client.run(make())
