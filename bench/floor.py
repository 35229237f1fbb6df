#!/usr/bin/env python
"""What executing benchmark (b)'s selection costs before any of Standing's code runs.

    .venv/bin/python bench/floor.py

A page of 100 participants `{ id displayName profileVisible standing { state since } badge { status } }`
plus pageInfo is about 900 fields. This completes that exact selection over data already in memory:

1. graphql-core alone, default resolvers over dicts (no Strawberry, no database, no HTTP);
2. Strawberry with ParserCache/ValidationCache and every field a plain attribute;
3. the same JSON built by hand from the same dicts (what a persisted, pre-shaped query could cost).

CPU microseconds per page, best of several rounds. The first line is the floor for any resolver-level
optimization of (b) on this machine: 1e6 / floor is the most pages per second one worker can serve.
"""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime

import strawberry
from graphql import build_schema, execute, parse
from strawberry.extensions import ParserCache, ValidationCache

QUERY = """query($first: Int!) { participants(first: $first) { edges { node {
  id displayName profileVisible standing { state since } badge { status }
} } pageInfo { hasNextPage endCursor } } }"""
NOW = datetime.now(UTC)
ROWS = [
    {
        "id": f"UGFydGljaXBhbnQ6{i}",
        "displayName": f"Protege {i:05d}",
        "profileVisible": True,
        "standing": {"state": "GOOD", "since": NOW.isoformat()},
        "badge": {"status": "none"},
    }
    for i in range(100)
]


def graphql_core_alone() -> float:
    schema = build_schema("""
      type Standing { state: String! since: String! } type Badge { status: String! }
      type Participant { id: ID! displayName: String! profileVisible: Boolean! standing: Standing! badge: Badge! }
      type Edge { node: Participant! } type PageInfo { hasNextPage: Boolean! endCursor: String }
      type Connection { edges: [Edge!]! pageInfo: PageInfo! } type Query { participants(first: Int!): Connection! }""")
    document = parse(QUERY)
    root = {
        "participants": {
            "edges": [{"node": row} for row in ROWS],
            "pageInfo": {"hasNextPage": True, "endCursor": "YXJyYXljb25uZWN0aW9uOjk5"},
        }
    }
    return best(lambda: execute(schema, document, root_value=root, variable_values={"first": 100}))


@strawberry.type
class Standing:
    state: str
    since: datetime


@strawberry.type
class Badge:
    status: str


@strawberry.type
class Participant:
    id: strawberry.ID
    display_name: str
    profile_visible: bool
    standing: Standing
    badge: Badge


@strawberry.type
class Edge:
    node: Participant


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Connection:
    edges: list[Edge]
    page_info: PageInfo


@strawberry.type
class Query:
    @strawberry.field
    def participants(self, first: int) -> Connection:
        return Connection(
            edges=[
                Edge(
                    node=Participant(
                        id=strawberry.ID(r["id"]),
                        display_name=r["displayName"],
                        profile_visible=True,
                        standing=Standing(state="good", since=NOW),
                        badge=Badge(status="none"),
                    )
                )
                for r in ROWS[:first]
            ],
            page_info=PageInfo(has_next_page=True, end_cursor="YXJyYXljb25uZWN0aW9uOjk5"),
        )


def strawberry_plain_attributes() -> float:
    schema = strawberry.Schema(
        query=Query, extensions=[lambda: ParserCache(maxsize=8), lambda: ValidationCache(maxsize=8)]
    )

    async def rounds(rounds: int = 7, n: int = 100) -> float:
        times = []
        for _ in range(rounds):
            started = time.process_time()
            for _ in range(n):
                result = await schema.execute(QUERY, variable_values={"first": 100})
                assert not result.errors, result.errors
            times.append((time.process_time() - started) / n)
        return min(times) * 1e6

    return asyncio.run(rounds())


def hand_shaped() -> float:
    def shape() -> str:
        edges = [
            {
                "node": {
                    "id": r["id"],
                    "displayName": r["displayName"],
                    "profileVisible": r["profileVisible"],
                    "standing": {"state": r["standing"]["state"], "since": r["standing"]["since"]},
                    "badge": {"status": r["badge"]["status"]},
                }
            }
            for r in ROWS
        ]
        return json.dumps(
            {
                "data": {
                    "participants": {
                        "edges": edges,
                        "pageInfo": {"hasNextPage": True, "endCursor": "YXJyYXljb25uZWN0aW9uOjk5"},
                    }
                }
            }
        )

    return best(shape)


def best(work, rounds: int = 7, n: int = 100) -> float:
    times = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(n):
            work()
        times.append((time.process_time() - started) / n)
    return min(times) * 1e6


def main() -> None:
    core = graphql_core_alone()
    print(f"graphql-core alone, dicts:              {core:7.0f} µs CPU per page of 100 (≤ {1e6 / core:,.0f} pages/s)")
    plain = strawberry_plain_attributes()
    print(f"Strawberry, plain attributes:          {plain:7.0f} µs CPU per page of 100 (≤ {1e6 / plain:,.0f} pages/s)")
    shaped = hand_shaped()
    print(f"the same JSON shaped by hand:           {shaped:7.0f} µs CPU per page of 100")


if __name__ == "__main__":
    main()
