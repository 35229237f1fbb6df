"""A background loop stops when told to, even when a library on the way turned its cancellation into an ordinary
error: the test client's shutdown hung behind the embedded sweep before (workers/loops.py)."""

from __future__ import annotations

import asyncio

import pytest

from domain.kernel.clock import FixedClock
from workers.embedded import EmbeddedScheduler


@pytest.mark.parametrize("swallow", ["as an error", "silently"])
async def test_the_embedded_sweep_stops_even_when_its_round_swallows_the_cancellation(monkeypatch, swallow):
    started = asyncio.Event()

    async def a_round_that_hides_cancellation(self) -> bool:
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            if swallow == "as an error":
                raise RuntimeError("the driver's own error, raised while cancelled") from None
        return True

    monkeypatch.setattr(EmbeddedScheduler, "sweep_retrying", a_round_that_hides_cancellation)
    scheduler = EmbeddedScheduler(FixedClock(), interval=3600)
    await scheduler.start()
    await started.wait()
    stopping = asyncio.create_task(scheduler.stop())
    done, _ = await asyncio.wait({stopping}, timeout=10)  # a guard against the hang, not a measure of speed
    assert stopping in done, "stop() is still waiting for a sweep loop that outlived its cancellation"
    assert scheduler._loop_task is not None and scheduler._loop_task.cancelled()
