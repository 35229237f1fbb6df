"""Each role's badge policy: the Code's criteria, versioned, and an organization's overrides on top.

Mentor: "Earning the Accountability Badge". Protégé: "Earning the Protégé Accountability Badge".
Where the Code names no window, the choice is ours and the criterion says so in its `source`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from domain.badges.criteria import mentor, protege
from domain.badges.criteria.base import Criterion, Measure
from domain.kernel.roles import Role


@dataclass(frozen=True)
class BadgePolicy:
    role: Role
    version: str
    criteria: tuple[Criterion, ...]
    # A lapsed criterion puts the badge at risk for this long before it is revoked (docs/decisions.md).
    cure_window: timedelta = timedelta(days=14)

    def criterion(self, key: str) -> Criterion:
        return next(c for c in self.criteria if c.key == key)

    def stretched(self, paused: timedelta) -> BadgePolicy:
        """The same policy with every rolling window longer by time spent on excused leave."""
        return replace(
            self, criteria=tuple(replace(c, window=c.window + paused) if c.window else c for c in self.criteria)
        )

    @property
    def longest_window(self) -> timedelta:
        return max((c.window for c in self.criteria if c.window), default=timedelta(0))

    def with_overrides(self, overrides: dict[str, Any] | None) -> BadgePolicy:
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


MENTOR_BADGE_POLICY = BadgePolicy(role=Role.MENTOR, version="mentor-badge-2026.2", criteria=mentor.CRITERIA)
PROTEGE_BADGE_POLICY = BadgePolicy(role=Role.PROTEGE, version="protege-badge-2026.2", criteria=protege.CRITERIA)

BADGE_POLICIES: dict[Role, BadgePolicy] = {Role.MENTOR: MENTOR_BADGE_POLICY, Role.PROTEGE: PROTEGE_BADGE_POLICY}


def policies_with(overrides: dict[str, Any] | None) -> dict[Role, BadgePolicy]:
    """Every role's policy under an organization's overrides (None: the Code's)."""
    return {role: policy.with_overrides(overrides) for role, policy in BADGE_POLICIES.items()}
