"""Keeps this process's read model (domain/access/read_model.py) current from PostgreSQL's change notifications.

One dedicated connection, outside Tortoise's pool (whose connections keep no LISTEN), listens on the model's
channel and sends a heartbeat on it every HEARTBEAT_SECONDS, and at once after a local commit. What comes
back is handed to the model: a participant's id marks it dirty, a heartbeat of ours says how fresh the model
is, `t:<id>` drops a token revoked elsewhere from the token cache, `*` (a TRUNCATE) drops everything.
When the connection is lost, the model forgets all it holds and the reads go to the database until a new
connection has listened and heard its first heartbeat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from typing import Any

import asyncpg

from domain.access.read_model import CHANGES, HEARTBEAT, HEARTBEAT_SECONDS, TOKEN, ReadModel
from domain.access.tokens import TOKENS, TokenCache
from domain.infra.db import on_commit
from workers.loops import stop_if_cancelled

log = logging.getLogger("standing.read_model")
UNANSWERED = 1_000  # heartbeats remembered while none comes back; the model stops being trusted long before


class ReadModelListener:
    def __init__(
        self,
        model: ReadModel,
        connection: dict[str, Any],
        *,
        heartbeat: float = HEARTBEAT_SECONDS,
        tokens: TokenCache = TOKENS,
        retry: float = 1.0,
    ) -> None:
        self.model, self.connection, self.heartbeat, self.tokens, self.retry = (
            model,
            connection,
            heartbeat,
            tokens,
            retry,
        )
        self.tag = secrets.token_hex(4)  # tells our heartbeats from other processes' on the shared channel
        self._sent: dict[int, float] = {}  # heartbeat number -> when it was sent, by the model's clock
        self._beats = 0
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._unregister = lambda: None

    async def start(self) -> None:
        self.model.on_write = self._wake.set
        self._unregister = on_commit(self.model.committed)
        self._task = asyncio.create_task(self._run_forever(), name="standing-read-model")

    async def stop(self) -> None:
        self._unregister()
        self.model.on_write = lambda: None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self.model.forget()

    def on_notification(self, payload: str) -> None:
        if payload.startswith(HEARTBEAT):
            tag, _, number = payload.removeprefix(HEARTBEAT).partition(":")
            if tag == self.tag and (sent_at := self._sent.pop(int(number), None)) is not None:
                for older in [n for n in self._sent if n < int(number)]:
                    del self._sent[older]  # a later one came back: the earlier are covered by it
                self.model.heard(sent_at)
        elif payload.startswith(TOKEN):
            self.tokens.forget(int(payload.removeprefix(TOKEN)))
        elif payload == "*":
            self.model.changed_all()
        else:
            self.model.changed((int(payload),))

    async def _run_forever(self) -> None:
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the database restarted or is unreachable: reads use it directly
                stop_if_cancelled()
                log.warning("read model lost its notifications (%s); reconnecting", exc)
            self.model.forget()
            await asyncio.sleep(self.retry)

    async def _listen(self) -> None:
        connection = await asyncpg.connect(**self.connection)
        try:
            await connection.add_listener(CHANGES, self._deliver)
            self.model.forget()  # anything committed before LISTEN was missed: read it all again
            self._sent.clear()
            while not connection.is_closed():
                self._wake.clear()
                self._beats += 1
                self._sent[self._beats] = self.model.now()  # before sending: a change before it is marked
                self._sent.pop(self._beats - UNANSWERED, None)  # a stalled connection must not grow this for ever
                await connection.execute(f"NOTIFY {CHANGES}, '{HEARTBEAT}{self.tag}:{self._beats}'")
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.heartbeat)
                stop_if_cancelled()  # wait_for drops a cancellation that lands as the cue arrives
        finally:
            with contextlib.suppress(Exception):
                await connection.close(timeout=1)

    def _deliver(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        try:
            self.on_notification(payload)
        except ValueError:
            log.warning("read model ignored a notification it cannot read: %r", payload)
