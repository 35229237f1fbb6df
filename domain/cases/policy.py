"""The stages a case must reach in time, the window in which reports join it, and how often one may report.

Protégé Code 5 asks participants to "Report any issues or concerns to the program admin"; the Code names
no deadlines for handling them, so these are Standing's, and an organization may override the stages.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from domain.kernel.thresholds import Threshold

STAGE_FIELDS = {"acknowledge_hours": "acknowledge", "triage_days": "triage", "decide_days": "decide"}


@dataclass(frozen=True)
class CasePolicy:
    version: str
    acknowledge: Threshold  # an admin takes the case (assignCase)
    triage: Threshold
    decide: Threshold
    join_window: Threshold  # a report about the same subject joins an active case opened this recently
    reports_per_day: int  # per reporter, to keep reporting from becoming harassment
    max_description: int

    def with_overrides(self, overrides: dict[str, Any] | None) -> CasePolicy:
        if not overrides:
            return self
        changed = self
        for key, name in STAGE_FIELDS.items():
            if key in overrides:
                unit = timedelta(hours=1) if key.endswith("hours") else timedelta(days=1)
                current: Threshold = getattr(self, name)
                changed = replace(changed, **{name: replace(current, value=unit * int(overrides[key]))})  # type: ignore[arg-type]
        return replace(changed, version=f"{self.version}+org")


CASE_POLICY = CasePolicy(
    version="cases-2026.1",
    acknowledge=Threshold(timedelta(hours=24), "Standing's choice: a reporter hears from a person within a day."),
    triage=Threshold(timedelta(days=3), "Standing's choice: within 3 days an admin has judged what the case is."),
    decide=Threshold(timedelta(days=14), "Standing's choice: a decision within 14 days of the first report."),
    join_window=Threshold(
        timedelta(days=30),
        "Standing's choice: reports about the same participant within 30 days of an open case are the same facts.",
    ),
    reports_per_day=5,
    max_description=5000,
)


def validate_case_overrides(overrides: Any) -> str | None:
    """A problem with an organization's stage overrides, or None."""
    if not isinstance(overrides, dict):
        return 'an object, e.g. {"triage_days": 2}'
    for key, value in overrides.items():
        if key not in STAGE_FIELDS:
            return f"unknown setting {key!r}; choose from {sorted(STAGE_FIELDS)}"
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 365:
            return f"{key}: a whole number from 1 to 365"
    return None
