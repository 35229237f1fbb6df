"""The floor for Python: a minimal Starlette + asyncpg + orjson endpoint answering bench/api.py's two reads.

    uvicorn bench.floor_app:app        # BENCH_FLOOR_DSN=postgresql://... BENCH_FLOOR_ORG=<organization id>

It takes the same POST /graphql bodies as Standing (the single read and the page at a cursor) and returns
the same JSON, byte for byte in content (bench/api.py checks it against Standing's answers before it
measures). What it leaves out is everything else: no token, no GraphQL parsing or validation, no ORM.
It recognises which of the two reads a body is by its variables. Its pool has 5 connections, like
Tortoise's default.
"""

from __future__ import annotations

import base64
import os
from contextlib import asynccontextmanager

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.standing.machines import MACHINES

# The machines' hidden states, read once at start-up: profileVisible is derived from them.
HIDDEN = {(role.value, state) for role, machine in MACHINES.items() for state in machine.hidden_states}
SINGLE_SQL = "SELECT standing, standing_since FROM participant WHERE organization_id = $1 AND id = $2"
PAGE_SQL = (
    "SELECT p.id, p.role, p.display_name, p.standing, p.standing_since, b.state AS badge FROM participant p "
    "LEFT JOIN badge b ON b.participant_id = p.id WHERE p.organization_id = $1 ORDER BY p.id LIMIT $2 OFFSET $3"
)


def cursor(offset: int) -> str:
    return base64.b64encode(f"arrayconnection:{offset}".encode()).decode()


def node_id(participant_id: int) -> str:
    return base64.b64encode(f"Participant:{participant_id}".encode()).decode()


async def graphql(request: Request) -> Response:
    variables = orjson.loads(await request.body()).get("variables") or {}
    pool: asyncpg.Pool = request.app.state.pool
    organization = request.app.state.organization
    if "id" in variables:
        row = await pool.fetchrow(SINGLE_SQL, organization, int(variables["id"]))
        data = {"participant": {"standing": {"state": row[0].upper(), "since": row[1]}} if row else None}
    else:
        first = int(variables.get("first", 100))
        after = variables.get("after")
        offset = int(base64.b64decode(after).decode().split(":")[1]) + 1 if after else 0
        rows = await pool.fetch(PAGE_SQL, organization, first + 1, offset)  # one more: is there a next page
        edges = [
            {
                "node": {
                    "id": node_id(r[0]),
                    "displayName": r[2],
                    "profileVisible": (r[1], r[3]) not in HIDDEN,
                    "standing": {"state": r[3].upper(), "since": r[4]},
                    "badge": {"status": (r[5] or "none").upper()},
                }
            }
            for r in rows[:first]
        ]
        data = {
            "participants": {
                "edges": edges,
                "pageInfo": {"hasNextPage": len(rows) > first, "endCursor": cursor(offset + len(edges) - 1)},
            }
        }
    return Response(orjson.dumps({"data": data}), media_type="application/json")


@asynccontextmanager
async def lifespan(app: Starlette):
    app.state.pool = await asyncpg.create_pool(os.environ["BENCH_FLOOR_DSN"], min_size=5, max_size=5)
    app.state.organization = int(os.environ["BENCH_FLOOR_ORG"])
    try:
        yield
    finally:
        await app.state.pool.close()


app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"])], lifespan=lifespan)
