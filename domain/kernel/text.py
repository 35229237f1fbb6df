"""Text the databases can store: PostgreSQL refuses NUL characters in text and jsonb."""

from __future__ import annotations

from typing import Any

from domain.kernel.rejections import InvalidInput

MAX_REASON_LENGTH = 2000


def has_nul(value: Any) -> bool:
    """True when a string, or any string inside a JSON-like value, contains a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_nul(v) for v in value)
    return False


NUL_PROBLEM = "must not contain NUL characters"


def reason_problem(reason: str, *, required: bool) -> InvalidInput | None:
    """What is wrong with the reason given for a decision, or None. Admins must always give one."""
    text = reason.strip()
    if has_nul(text):
        return InvalidInput("reason", NUL_PROBLEM)
    if required and not text:
        return InvalidInput("reason", "every admin action needs a reason")
    if len(text) > MAX_REASON_LENGTH:
        return InvalidInput("reason", f"at most {MAX_REASON_LENGTH} characters")
    return None
