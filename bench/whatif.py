"""Variants of the real app, for measuring changes proposed in files the read-path work does not own.

Each is the app exactly as `schema.app:create_app` builds it, with one documented change, served only
by `bench/api.py --what-if NAME`, never by the product:

- `no-pool-reset`: asyncpg's pool no longer sends its reset query ("SELECT pg_advisory_unlock_all();
  CLOSE ALL; UNLISTEN *; RESET ALL;") each time a connection goes back to the pool, which is a second
  round trip for every statement outside a transaction and for every transaction. That is what the
  change proposed for domain/db.py does (an asyncpg Connection subclass whose get_reset_query()
  returns "", passed as the pool's connection_class); asyncpg still rolls back an open transaction on
  release. Standing never changes session state (no LISTEN, no session-level advisory locks, no SET,
  no cursors), so nothing is left to reset.
- `coalesced-webhooks`: in embedded mode every committed transition starts its own `deliver_due`
  (three statements, whether or not any endpoint exists). Proposed for schema/app.py: at most one
  run at a time, and one more after it when commits arrived meanwhile — every due delivery is still
  attempted, as soon as the running pass ends.
- `both`: the two together.
"""

from __future__ import annotations

import asyncio

import asyncpg

from schema.app import create_app


def _without_pool_reset() -> None:
    asyncpg.Connection.get_reset_query = lambda self: ""  # type: ignore[method-assign]


def _coalesced_webhooks() -> None:
    from domain import webhooks

    deliver_due = webhooks.deliver_due
    state = {"running": None, "again": False}

    async def run(*args, **kwargs):
        while True:
            state["again"] = False
            result = await deliver_due(*args, **kwargs)
            if not state["again"]:
                return result

    async def coalesced(*args, **kwargs):
        running = state["running"]
        if running is not None and not running.done():
            state["again"] = True  # the running pass goes round once more and sees this commit's deliveries
            return await asyncio.shield(running)
        state["running"] = asyncio.ensure_future(run(*args, **kwargs))
        return await asyncio.shield(state["running"])

    webhooks.deliver_due = coalesced  # schema.app imports it when the lifespan starts


def create_app_without_pool_reset(*args, **kwargs):
    _without_pool_reset()
    return create_app(*args, **kwargs)


def create_app_with_coalesced_webhooks(*args, **kwargs):
    _coalesced_webhooks()
    return create_app(*args, **kwargs)


def create_app_with_both(*args, **kwargs):
    _without_pool_reset()
    _coalesced_webhooks()
    return create_app(*args, **kwargs)
