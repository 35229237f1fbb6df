"""Background loops stop when they are told to.

A loop that logs a failed round and carries on (`except Exception`) outlives its own cancellation when a library
on the way turned the CancelledError into an ordinary error, or swallowed it: the task stays "cancelling" while
it sleeps towards its next round, and whoever awaits it at shutdown waits for ever (seen as a test client whose
shutdown hung behind the embedded sweep). Each loop asks `stop_if_cancelled()` after a round."""

from __future__ import annotations

import asyncio


def stop_if_cancelled() -> None:
    """Raise CancelledError if the running task has been asked to stop, whatever became of that request."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
