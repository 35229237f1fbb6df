"""What a guard may look at when it decides whether a transition can happen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.kernel.actors import Actor
from domain.standing.policy import StandingPolicy


@dataclass(frozen=True)
class TransitionContext:
    actor: Actor
    now: datetime
    policy: StandingPolicy
    params: dict[str, Any] = field(default_factory=dict)  # event-specific input, e.g. `until`
    overrules: int | None = None  # the logged step an appeal's decision overrules, if this is one
