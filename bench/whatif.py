"""Variants of the real app for measuring changes proposed in files the read-path work does not own.

`create_app_without_pool_reset`: the app as `schema.app:create_app` builds it, but asyncpg's pool no
longer sends its reset query ("SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL;")
each time a connection goes back to the pool. That is what the change proposed for domain/db.py does
(an asyncpg Connection subclass whose get_reset_query() returns "", passed as the pool's
connection_class); asyncpg still rolls back any open transaction on release. Standing never changes
session state (no LISTEN, no session-level advisory locks, no SET, no cursors), so nothing is left to
reset. Served only by `bench/api.py --what-if no-pool-reset`, never by the product.
"""

from __future__ import annotations

import asyncpg

from schema.app import create_app


def create_app_without_pool_reset(*args, **kwargs):
    asyncpg.Connection.get_reset_query = lambda self: ""  # type: ignore[method-assign]
    return create_app(*args, **kwargs)
