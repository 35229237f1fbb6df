"""The compiled completion is fenced in: at start-up a probe query runs both ways, and a disagreement turns
the fast path off with a log line. Every mutation resolver is async, since synchronous ones may run twice."""

from __future__ import annotations

import inspect
import logging

import pytest
from starlette.testclient import TestClient

from domain.infra.config import Settings
from schema import compiled
from schema.app import create_app
from schema.build import StandingExecutionContext, build_schema
from schema.fastpath_check import check_fast_path, fast_path_agrees


@pytest.fixture(autouse=True)
def restore_fast_path():
    yield
    compiled.ENABLED = True


def test_the_fast_path_agrees_with_graphql_core_on_the_probe():
    assert fast_path_agrees(StandingExecutionContext)
    assert compiled.ENABLED


def test_a_fast_path_that_disagrees_is_turned_off_at_start_up(monkeypatch, caplog, database_url):
    original = compiled.PlanCompiler._compile_object

    def wrong(self, object_type, field_details_list):  # a graphql-core upgrade that changed what plans see
        plan = original(self, object_type, field_details_list)
        return None if plan is None else (lambda source, path: {**plan(source, path), "id": "wrong"})

    monkeypatch.setattr(compiled.PlanCompiler, "_compile_object", wrong)
    with caplog.at_level(logging.WARNING, logger="standing.fastpath"):
        with TestClient(create_app(Settings(database_url=database_url))) as client:
            assert client.get("/healthz").status_code == 200
    assert compiled.ENABLED is False
    assert "fast path turned off" in caplog.text


def test_the_check_keeps_the_fast_path_when_it_agrees():
    assert check_fast_path(StandingExecutionContext) and compiled.ENABLED


def test_every_mutation_resolver_is_async():
    schema = build_schema()
    mutation = schema.schema_converter.type_map["Mutation"].definition  # type: ignore[attr-defined]
    synchronous = [f.name for f in mutation.fields if not f.is_async]
    assert synchronous == [], f"mutations must be async (a synchronous resolver may run twice): {synchronous}"
    assert all(inspect.iscoroutinefunction(f.base_resolver.wrapped_func) for f in mutation.fields if f.base_resolver)
