"""How long a recorded fact stays open to dispute before it counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.kernel.thresholds import Threshold


@dataclass(frozen=True)
class FactPolicy:
    version: str
    dispute_window: Threshold
    max_statement: int


FACT_POLICY = FactPolicy(
    version="facts-2026.1",
    dispute_window=Threshold(
        timedelta(hours=72),
        "Standing's choice: a no-show or a lapsed response window is provisional for 72 hours, in which either "
        "party may dispute it; undisputed, it then counts.",
    ),
    max_statement=5000,
)
