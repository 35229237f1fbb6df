"""The start-up self-check of the compiled completion (schema/compiled.py), which relies on graphql-core
internals: a probe query over plain objects runs both ways, and any difference turns the fast path off.

The probe uses its own small schema, with the same execution context as Standing's, so it needs no
database and exercises every shape a plan compiles: nested objects, lists, enums, nullable and non-null
leaves, custom scalars, a synchronous resolver with arguments, aliases, fragments, @skip and __typename.
"""

from __future__ import annotations

import copy
import logging
from datetime import UTC, datetime
from enum import Enum

import strawberry

from schema import compiled

log = logging.getLogger("standing.fastpath")


@strawberry.enum
class ProbeState(Enum):
    GOOD = "good"
    HIDDEN = "hidden"


@strawberry.type
class ProbeLeaf:
    name: str
    state: ProbeState
    at: datetime
    score: float | None


@strawberry.type
class ProbeNode:
    id: strawberry.ID
    leaves: list[ProbeLeaf]
    best: ProbeLeaf | None

    @strawberry.field
    def greeting(self, loud: bool = False) -> str:
        return f"hello {self.id}{'!' if loud else ''}"


@strawberry.type
class ProbeQuery:
    @strawberry.field
    def nodes(self, first: int = 2) -> list[ProbeNode]:
        at = datetime(2026, 1, 1, tzinfo=UTC)
        leaves = [ProbeLeaf(name=f"leaf {i}", state=list(ProbeState)[i % 2], at=at, score=i or None) for i in range(3)]
        return [
            ProbeNode(id=strawberry.ID(str(n)), leaves=leaves, best=leaves[n % 3] if n else None) for n in range(first)
        ]


PROBE = """query Probe($loud: Boolean!, $skip: Boolean!) {
  nodes(first: 3) {
    __typename id greeting shout: greeting(loud: $loud)
    leaves { ...Leaf score @skip(if: $skip) }
    best { ...Leaf }
  }
}
fragment Leaf on ProbeLeaf { name state at __typename }"""


def _probe_schema(execution_context_class: type) -> strawberry.Schema:
    return strawberry.Schema(query=ProbeQuery, execution_context_class=execution_context_class)


def fast_path_agrees(execution_context_class: type) -> bool:
    """Run the probe with compiled plans and with graphql-core alone; True when both answer alike."""
    schema = _probe_schema(execution_context_class)
    variables = {"loud": True, "skip": False}
    previous, before = compiled.ENABLED, copy.copy(compiled.stats)
    try:
        compiled.ENABLED = True
        fast = schema.execute_sync(PROBE, variable_values=variables)
        compiled_runs = compiled.stats["compiled"] - before["compiled"]
        compiled.ENABLED = False
        slow = schema.execute_sync(PROBE, variable_values=variables)
    finally:
        compiled.ENABLED = previous
    return compiled_runs > 0 and fast.errors is None and slow.errors is None and fast.data == slow.data


def check_fast_path(execution_context_class: type) -> bool:
    """Keep the fast path only if it agrees with graphql-core; say so in the log when it does not."""
    try:
        agrees = fast_path_agrees(execution_context_class)
    except Exception:
        log.exception("compiled completion self-check raised; falling back to graphql-core's completion")
        agrees = False
    if not agrees:
        log.warning("compiled completion disagrees with graphql-core on the probe query; fast path turned off")
        compiled.ENABLED = False
    return agrees
