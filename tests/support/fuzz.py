"""Fuzzing the GraphQL API with schemathesis: every query and mutation of schema.graphql, with inputs
generated from its types, sent to a live `standing serve` in production mode with an admin token.

A finding is an HTTP 5xx, or an error the server masked as "Unexpected error." (production masks exactly
what a resolver raised unexpectedly), or a traceback in the server's log. tests/api/test_fuzz.py runs a
bounded pass in `make test`; bench/fuzz.py runs as many examples as you ask for.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import schemathesis
from graphql.language import ast
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
MASKED = "Unexpected error."


@dataclass
class FuzzReport:
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    findings: list[str] = field(default_factory=list)

    def add(self, operation: str, query: str, status: int, body: dict | None) -> None:
        self.requests += 1
        self.statuses[status] += 1
        masked = [e for e in (body or {}).get("errors") or [] if e.get("message") == MASKED]
        if status >= 500 or masked:
            self.findings.append(f"{operation}: HTTP {status} {masked[:1]}\n{query}")


def _json_values() -> st.SearchStrategy[ast.ValueNode]:
    """GraphQL literals for the JSON scalar: scalars, lists and objects, a few levels deep."""
    leaves = st.one_of(
        st.integers(-(2**40), 2**40).map(lambda n: ast.IntValueNode(value=str(n))),
        st.text(max_size=20).map(lambda t: ast.StringValueNode(value=t)),
        st.booleans().map(lambda b: ast.BooleanValueNode(value=b)),
        st.just(ast.NullValueNode()),
    )

    def containers(children: st.SearchStrategy[ast.ValueNode]) -> st.SearchStrategy[ast.ValueNode]:
        fields = st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), children, max_size=4).map(
            lambda d: ast.ObjectValueNode(
                fields=tuple(ast.ObjectFieldNode(name=ast.NameNode(value=k), value=v) for k, v in d.items())
            )
        )
        return st.one_of(
            st.lists(children, max_size=4).map(lambda items: ast.ListValueNode(values=tuple(items))), fields
        )

    return st.recursive(leaves, containers, max_leaves=12)


schemathesis.graphql.scalar("JSON", _json_values())


def fuzz(base: str, token: str, *, examples: int, seed: int = 0) -> FuzzReport:
    """Send `examples` generated requests to every operation; collect what went wrong instead of stopping."""
    schema = schemathesis.graphql.from_path(ROOT / "schema.graphql")
    report = FuzzReport()
    for result in schema.get_all_operations():
        _fuzz_operation(result.ok(), base, token, examples, report)
    return report


def _fuzz_operation(operation, base: str, token: str, examples: int, report: FuzzReport) -> None:  # type: ignore[no-untyped-def]
    @settings(
        max_examples=examples, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(operation.as_strategy())
    def send(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call(base_url=f"{base}/graphql", headers={"Authorization": f"Bearer {token}"})
        try:
            body = response.json()
        except ValueError:
            body = None
        report.add(operation.label, str(case.body), response.status_code, body)

    send()


def tracebacks(log: Path) -> list[str]:
    """Lines of the server's JSON log that carry an exception."""
    return [line for line in log.read_text(errors="replace").splitlines() if '"exception"' in line]
