"""Observation hooks: the domain says what happened; whoever exports metrics (schema/metrics.py) listens.

The domain never imports a metrics library. With no listener registered, observing costs a loop over
an empty list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_listeners: dict[str, list[Callable[..., None]]] = {}


def listen(name: str, listener: Callable[..., None]) -> Callable[[], None]:
    _listeners.setdefault(name, []).append(listener)
    return lambda: _listeners[name].remove(listener)


def observe(name: str, **facts: Any) -> None:
    for listener in _listeners.get(name, ()):
        listener(**facts)


TRANSITION = "transition"  # machine, from_state, to_state, event, actor_kind
SWEEP = "sweep"  # seconds, fired
DEADLINE_FIRED = "deadline"  # kind, lateness_seconds
WEBHOOK_ATTEMPT = "webhook"  # ok, status_code


async def observe_after_commit(name: str, **facts: Any) -> None:
    """Observe once the enclosing transaction commits: a rolled-back change is never counted."""
    from domain.infra.db import after_commit  # db is the heavier module; observing alone needs none of it

    async def report() -> None:
        observe(name, **facts)

    await after_commit(report)
