"""How long a sanction may be appealed, and how long an appeal may wait for its decision.

Mastodon allows one appeal per strike within 20 days; Standing takes the same window. The Code names none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.kernel.thresholds import Threshold


@dataclass(frozen=True)
class AppealPolicy:
    version: str
    window: Threshold  # from the step to the last moment an appeal is accepted
    decide_within: Threshold  # from filing; then the appeal expires and nothing changes
    max_statement: int


APPEAL_POLICY = AppealPolicy(
    version="appeals-2026.1",
    window=Threshold(timedelta(days=20), "Standing's choice, after Mastodon: one appeal per step, within 20 days."),
    decide_within=Threshold(timedelta(days=14), "Standing's choice: an appeal is decided within 14 days of filing."),
    max_statement=5000,
)
