"""Background work shared by the requests that arrive while it runs (workers/coalesce.py), and the
database connection setting that goes with the same benchmark (domain/db.py)."""

from __future__ import annotations

import asyncio

from domain.infra.db import NoResetConnection, connection_config
from workers.coalesce import Coalesced


async def test_requests_during_a_run_share_exactly_one_more_run():
    gate, started, seen = asyncio.Event(), asyncio.Event(), []
    commits = [0]

    async def work() -> None:
        seen.append(commits[0])  # what this run can see
        started.set()
        await gate.wait()

    dispatch = Coalesced(work, "test work")
    commits[0] = 1
    dispatch.request()
    await started.wait()
    for _ in range(7):  # seven more commits while the first run is busy
        commits[0] += 1
        dispatch.request()
    gate.set()
    await dispatch.drain()
    assert dispatch.runs == 2
    assert seen == [1, 8]  # the last run started after the last request: nothing is left unseen


async def test_a_failing_run_does_not_stop_later_requests():
    calls = []

    async def work() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("endpoint table locked")

    dispatch = Coalesced(work, "test work")
    dispatch.request()
    await dispatch.drain()
    dispatch.request()
    await dispatch.drain()
    assert calls == [0, 1]


def test_postgres_connections_go_back_to_the_pool_without_a_reset_round_trip():
    config = connection_config("postgres://postgres@127.0.0.1:5432/test?maxsize=7")
    assert config["credentials"]["connection_class"] is NoResetConnection
    assert config["credentials"]["maxsize"] == "7" and config["credentials"]["database"] == "test"
    assert NoResetConnection.get_reset_query(None) == ""  # type: ignore[arg-type]  # it reads nothing of the connection
    assert connection_config("sqlite://var/standing.sqlite3")["engine"] == "domain.infra.sqlite"  # tests/infra
