"""Background work that many callers ask for and that one run satisfies for all of them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("standing.coalesce")


class Coalesced:
    """Runs `work` in the background, at most one run at a time.

    A request that arrives while a run is in progress asks for one more run after it, so every request
    is followed by a complete run that started after it, however many requests arrive meanwhile. Used
    for webhook dispatch after commits: 8 concurrent transitions used to start 8 identical delivery
    passes (or 8 Redis enqueues); now they start at most two.
    """

    def __init__(self, work: Callable[[], Awaitable[object]], name: str) -> None:
        self._work, self._name = work, name
        self._task: asyncio.Task | None = None
        self._again = False
        self.runs = 0

    def request(self) -> None:
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.create_task(self._run(), name=self._name)

    async def _run(self) -> None:
        while True:
            self._again = False
            self.runs += 1
            try:
                await self._work()
            except Exception as exc:  # noqa: BLE001 - the next request or the periodic sweep retries
                log.warning("%s failed (%s); the next commit or the sweep retries", self._name, exc)
            if not self._again:
                return

    async def drain(self) -> None:
        """Wait for the run in progress and any run it owes."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)
