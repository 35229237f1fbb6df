"""How many rows every table holds: a test that sends bad input checks that nothing was written."""

from __future__ import annotations

from tortoise import connections


async def row_counts() -> dict[str, int]:
    """Rows per table of the connected database (SQLite or PostgreSQL), Tortoise's own tables left out."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        listing = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        listing = "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
    _, tables = await conn.execute_query(listing)
    counts: dict[str, int] = {}
    for table in sorted(row["name"] for row in tables):
        if table.startswith("tortoise"):
            continue
        _, rows = await conn.execute_query(f'SELECT COUNT(*) AS n FROM "{table}"')
        counts[table] = rows[0]["n"]
    return counts
