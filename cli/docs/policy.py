"""The tables of docs/policy.md, generated from the policy objects so the page cannot drift from the code.

Regenerate with `python -c "from cli.docs.policy import policy_markdown; print(policy_markdown(), end='')"`
and paste between the `policy:begin` and `policy:end` markers; a test fails when the page is stale.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta
from typing import Any

from domain.activity.policy import ACTIVITY_POLICY
from domain.badges.criteria.base import Measure
from domain.badges.policy import BADGE_POLICIES
from domain.erasure.policy import ERASURE_POLICY
from domain.events.policy import WEBHOOK_POLICY
from domain.kernel.thresholds import CountRule, Threshold
from domain.standing.policy import STANDING_POLICY, TIME_POLICY

ROLE_NAMES = {"mentor": "Mentor", "protege": "Protégé"}


def duration(value: timedelta) -> str:
    """A timedelta the way the Code says it: 48 hours, 60 days."""
    seconds = int(value.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        if seconds % size == 0 and (unit != "day" or seconds >= 3 * 86400):
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return str(value)  # pragma: no cover - every policy value is a whole number of seconds


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code_policy(title: str, name: str, policy: Any) -> list[str]:
    rows = [
        f"### {title}: `{name}`, version `{policy.version}`",
        "",
        "| Setting | Value | Where it comes from |",
        "|---|---|---|",
    ]
    for item in fields(policy):  # type: ignore[arg-type]
        value = getattr(policy, item.name)
        if isinstance(value, Threshold):
            rows.append(f"| `{item.name}` | {duration(value.value)} | {_cell(value.source)} |")
        elif isinstance(value, CountRule):
            rows.append(
                f"| `{item.name}` | {value.count} within {duration(value.window.value)} | "
                f"{_cell(value.window.source)} |"
            )
    return rows + [""]


def _badge_policy(policy) -> list[str]:
    rows = [
        f"### {ROLE_NAMES[policy.role.value]} badge: version `{policy.version}`",
        "",
        "| Criterion (override key) | Requirement | Measure | Threshold | Window | Where it comes from |",
        "|---|---|---|---|---|---|",
    ]
    for c in policy.criteria:
        threshold = f"{c.threshold:.0%} (`{c.threshold:g}`)" if c.measure is Measure.RATE else f"{c.threshold:g}"
        window = duration(c.window) if c.window else "none"
        rows.append(
            f"| `{c.key}` | {_cell(c.description)} | {c.measure.value} | {threshold} | {window} | {_cell(c.source)} |"
        )
    return rows + [""]


def _webhook_policy() -> list[str]:
    rows = [
        f"### Webhook delivery (operations, not the Code): `WEBHOOK_POLICY`, version `{WEBHOOK_POLICY.version}`",
        "",
        "| Setting | Value |",
        "|---|---|",
    ]
    for item in fields(WEBHOOK_POLICY):
        value = getattr(WEBHOOK_POLICY, item.name)
        if item.name != "version":
            rows.append(f"| `{item.name}` | {duration(value) if isinstance(value, timedelta) else value} |")
    return rows + [""]


def policy_markdown() -> str:
    """Every threshold Standing enforces, with its value and source, as Markdown tables."""
    rows = ["## Standing, activity and time rules (`domain/standing/policy.py`, `domain/activity/policy.py`)", ""]
    rows += _code_policy("Standing machines", "STANDING_POLICY", STANDING_POLICY)
    rows += _code_policy("Activity windows", "ACTIVITY_POLICY", ACTIVITY_POLICY)
    rows += _code_policy("Time-based rules and nudges", "TIME_POLICY", TIME_POLICY)
    rows += _code_policy("Erasure (`domain/erasure/policy.py`)", "ERASURE_POLICY", ERASURE_POLICY)
    rows += _webhook_policy()
    rows += ["## Accountability Badges (`domain/badges/criteria/`)", ""]
    for policy in BADGE_POLICIES.values():
        rows += _badge_policy(policy)
    return "\n".join(rows)
