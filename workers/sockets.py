"""Open websockets per token: revoking a token ends its sockets, and one token holds a bounded number of
subscriptions across all of them.

Each API process keeps its own registry. `SocketWatch` asks the database every second which of the tokens
behind open sockets were revoked, and closes their sockets with 4403, so a revocation made anywhere (another
process, `standing token revoke`) ends them within the token cache's bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

from domain.access.tokens import revoked_among
from workers.loops import stop_if_cancelled

log = logging.getLogger("standing.sockets")
REVOKED_CLOSE_CODE = 4403
MAX_SUBSCRIPTIONS_PER_TOKEN = 20


class TooManySubscriptions(Exception):
    pass


class SocketRegistry:
    def __init__(self, max_subscriptions: int = MAX_SUBSCRIPTIONS_PER_TOKEN) -> None:
        self.max_subscriptions = max_subscriptions
        self._sockets: dict[int, set[Any]] = {}
        self._owners: dict[Any, int] = {}
        self._subscriptions: Counter[int] = Counter()

    def opened(self, token_id: int, websocket: Any) -> None:
        self._sockets.setdefault(token_id, set()).add(websocket)
        self._owners[websocket] = token_id

    def closed(self, websocket: Any) -> None:
        token_id = self._owners.pop(websocket, None)
        sockets = self._sockets.get(token_id) if token_id is not None else None
        if sockets is not None:
            sockets.discard(websocket)
            if not sockets:
                del self._sockets[token_id]  # type: ignore[arg-type]

    @property
    def token_ids(self) -> list[int]:
        return list(self._sockets)

    def sockets_of(self, token_id: int) -> list[Any]:
        return list(self._sockets.get(token_id, ()))

    def hold_subscription(self, token_id: int) -> Callable[[], None]:
        """Take one of the token's subscriptions, across all its sockets; returns the function that gives it back."""
        if self._subscriptions[token_id] >= self.max_subscriptions:
            raise TooManySubscriptions(f"this token already holds {self.max_subscriptions} subscriptions")
        self._subscriptions[token_id] += 1

        def release() -> None:
            self._subscriptions[token_id] -= 1
            if self._subscriptions[token_id] <= 0:
                del self._subscriptions[token_id]

        return release


class SocketWatch:
    """Closes the sockets of revoked tokens, checking once per `interval` seconds."""

    def __init__(self, registry: SocketRegistry, interval: float = 1.0) -> None:
        self.registry, self.interval = registry, interval
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._watch_forever(), name="standing-socket-watch")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def check(self) -> int:
        """Close every socket whose token was revoked; returns how many were closed."""
        ids = self.registry.token_ids
        if not ids:
            return 0
        closed = 0
        for token_id in await revoked_among(ids):
            for websocket in self.registry.sockets_of(token_id):
                self.registry.closed(websocket)
                with contextlib.suppress(Exception):  # already closing: nothing more to do
                    await websocket.close(code=REVOKED_CLOSE_CODE, reason="token revoked")
                closed += 1
        return closed

    async def _watch_forever(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.check()
            except Exception:
                stop_if_cancelled()
                log.exception("socket watch failed")
