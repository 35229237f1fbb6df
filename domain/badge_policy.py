"""The Accountability Badge criteria, exactly as the Code of Conduct gives them, as data.

Mentor: "Earning the Accountability Badge". Protégé: "Earning the Protégé Accountability Badge".
Where the Code names no window, the choice is ours and says so in `source`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import Enum
from typing import Any

from domain.roles import Role


class Measure(str, Enum):
    COUNT = "count"  # at least `threshold` things in the window
    RATE = "rate"    # at least `threshold` (0..1) of the due things done on time


@dataclass(frozen=True)
class Criterion:
    key: str
    description: str
    measure: Measure
    threshold: float
    window: timedelta | None
    source: str

    def met(self, value: float | None) -> bool:
        # A rate with nothing due is met: nobody was left waiting.
        return True if value is None else value >= self.threshold


@dataclass(frozen=True)
class BadgePolicy:
    role: Role
    version: str
    criteria: tuple[Criterion, ...]

    def criterion(self, key: str) -> Criterion:
        return next(c for c in self.criteria if c.key == key)

    def stretched(self, paused: timedelta) -> "BadgePolicy":
        """The same policy with every rolling window longer by time spent on excused leave."""
        return replace(self, criteria=tuple(
            replace(c, window=c.window + paused) if c.window else c for c in self.criteria
        ))

    @property
    def longest_window(self) -> timedelta:
        return max((c.window for c in self.criteria if c.window), default=timedelta(0))

    def with_overrides(self, overrides: dict[str, Any] | None) -> "BadgePolicy":
        """An organization's values on top of the Code's; the version names the override set."""
        mine = (overrides or {}).get(self.role.value) or {}
        if not mine:
            return self
        criteria = []
        for criterion in self.criteria:
            change = mine.get(criterion.key) or {}
            updated = criterion
            if "threshold" in change:
                updated = replace(updated, threshold=float(change["threshold"]))
            if "window_days" in change:
                updated = replace(updated, window=timedelta(days=int(change["window_days"])))
            criteria.append(updated)
        digest = hashlib.sha256(json.dumps(mine, sort_keys=True).encode()).hexdigest()[:8]
        return replace(self, version=f"{self.version}+org.{digest}", criteria=tuple(criteria))


def validate_overrides(overrides: dict[str, Any]) -> str | None:
    """A problem with an organization's overrides, or None."""
    for role_name, changes in overrides.items():
        if role_name not in {r.value for r in Role}:
            return f"unknown role {role_name!r}"
        keys = {c.key for c in BADGE_POLICIES[Role(role_name)].criteria}
        for key, change in (changes or {}).items():
            if key not in keys:
                return f"unknown {role_name} criterion {key!r}"
            criterion = BADGE_POLICIES[Role(role_name)].criterion(key)
            for field, value in change.items():
                if field not in {"threshold", "window_days"}:
                    return f"{role_name}.{key}: unknown setting {field!r}"
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                    return f"{role_name}.{key}.{field}: must be a positive number"
                if field == "threshold" and criterion.measure is Measure.RATE and value > 1:
                    return f"{role_name}.{key}.threshold: a rate is at most 1 (100%)"
                if field == "window_days" and (criterion.window is None or not isinstance(value, int)):
                    return f"{role_name}.{key}.window_days: only windowed criteria take a whole number of days"
    return None


DAYS = timedelta(days=1)
CHOSEN_RATE_WINDOW = "; the Code names no window, Standing uses 90 days (a quarter)"

MENTOR_BADGE_POLICY = BadgePolicy(
    role=Role.MENTOR,
    version="mentor-badge-2026.1",
    criteria=(
        Criterion("smart_goals", "Mentor sessions link to active goals: 3+ tracked goals.", Measure.COUNT, 3, None,
                  "Mentor badge, SMART Goal Alignment: active goals tracked by the mentor and linked to a session"),
        Criterion("reliable_scheduling", "Active availability and 3+ booked sessions in 60 days.", Measure.COUNT, 3,
                  60 * DAYS, "Mentor badge, Reliable Scheduling"),
        Criterion("responsiveness", "95%+ of mentee messages answered within 48 hours.", Measure.RATE, 0.95,
                  90 * DAYS, "Mentor badge, Responsiveness" + CHOSEN_RATE_WINDOW),
        Criterion("session_reporting", "90% of session notes submitted on time (48 hours).", Measure.RATE, 0.90,
                  90 * DAYS, "Mentor badge, Session Reporting" + CHOSEN_RATE_WINDOW),
        Criterion("community_engagement", "1 mentor circle, training or webinar per quarter.", Measure.COUNT, 1,
                  90 * DAYS, "Mentor badge, Community Engagement; a quarter is a rolling 90 days"),
    ),
)

PROTEGE_BADGE_POLICY = BadgePolicy(
    role=Role.PROTEGE,
    version="protege-badge-2026.1",
    criteria=(
        Criterion("active_goal", "At least 1 active goal created and tracked.", Measure.COUNT, 1, None,
                  "Protégé badge, SMART Goal Active"),
        Criterion("session_attendance", "Attend at least 3 sessions over 60 days.", Measure.COUNT, 3, 60 * DAYS,
                  "Protégé badge, Session Attendance"),
        Criterion("timely_response", "Respond to mentors within 48 hours, 90% of the time.", Measure.RATE, 0.90,
                  90 * DAYS, "Protégé badge, Timely Response" + CHOSEN_RATE_WINDOW),
        Criterion("feedback_participation", "Submit session feedback for at least 2 sessions.", Measure.COUNT, 2,
                  None, "Protégé badge, Feedback Participation; the Code names no window"),
        Criterion("goal_progress", "Log at least 1 goal progress update every 30 days.", Measure.COUNT, 1,
                  30 * DAYS, "Protégé badge, Goal Progress Update"),
    ),
)

BADGE_POLICIES: dict[Role, BadgePolicy] = {Role.MENTOR: MENTOR_BADGE_POLICY, Role.PROTEGE: PROTEGE_BADGE_POLICY}


def policies_with(overrides: dict[str, Any] | None) -> dict[Role, BadgePolicy]:
    """Every role's policy under an organization's overrides (None: the Code's)."""
    return {role: policy.with_overrides(overrides) for role, policy in BADGE_POLICIES.items()}
