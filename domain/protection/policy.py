"""How long the other party's clocks pause after a removal, and how long a no-contact order may last."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.kernel.thresholds import Threshold


@dataclass(frozen=True)
class ProtectionPolicy:
    version: str
    rematch_pause: Threshold
    max_no_contact: Threshold


PROTECTION_POLICY = ProtectionPolicy(
    version="protection-2026.1",
    rematch_pause=Threshold(
        timedelta(days=14),
        "Standing's choice: when a protégé's mentor is removed, their clocks pause for 14 days while they find "
        "a new mentor (a suspension pauses them for the suspension's length).",
    ),
    max_no_contact=Threshold(timedelta(days=365), "Standing's choice: a no-contact order lasts at most a year."),
)
